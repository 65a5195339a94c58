/** The BBB simulator: a stateful stand-in for a BigBlueButton server (or Scalelite) over real HTTP. */
export { startSimulator } from './server.js';
export type {
  CallbackKind,
  Fault,
  FiredCallback,
  FaultRule,
  MeetingDetails,
  ReceivedRequest,
  RecordingStateName,
  SeedRecording,
  SimPlaybackFormat,
  SimPreviewImage,
  SimRecording,
  SimulatedUser,
  Simulator,
  SimulatorOptions,
} from './types.js';
