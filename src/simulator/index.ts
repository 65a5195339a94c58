/** The BBB simulator: a stateful stand-in for a BigBlueButton server (or Scalelite) over real HTTP. */
export { startSimulator } from './server.js';
export type { Fault, SeedRecording, SimRecording, Simulator, SimulatorClock, SimulatorOptions } from './types.js';
