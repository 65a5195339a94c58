/**
 * Public types of the BBB simulator: a stateful stand-in for a BigBlueButton server (or a Scalelite load balancer) used by
 * every test and by `npm start` when no BBB server is configured. What it models and what it does not: `src/simulator/README.md`.
 */
import type { ChecksumAlgorithm } from '../bbb/types.js';

export interface SimulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Shared secret (`securitySalt`). Default: 32 random hex characters. An empty string disables checksum checks, as in BBB. */
  secret?: string;
  /** Accepted checksum algorithms. Default all four; in scalelite mode sha1, sha256, sha512 (Scalelite never accepts sha384). */
  algorithms?: ChecksumAlgorithm[];
  /** Delay added before every API answer, in milliseconds. Default 0. */
  latencyMs?: number;
  /** A meeting nobody entered is ended this long after create, in milliseconds. Default 300000 (BBB's 5 minutes). */
  expireIfNoUserJoinedMs?: number;
  /**
   * Accepted for interface parity; users never leave in the simulator, so it has no effect. Default 60000.
   */
  expireWhenLastUserLeftMs?: number;
  /**
   * How long an ended meeting stays in memory as "forcibly ended" (join answers `meetingForciblyEnded`, getMeetingInfo shows
   * `hasBeenForciblyEnded=true`), in milliseconds. Real BBB keeps it a few seconds. Default 0: removed at once.
   */
  endedMeetingLingerMs?: number;
  /** Behave like BigBlueButton (default) or like a Scalelite load balancer in front of it. */
  mode?: 'bbb' | 'scalelite';
  /** Scalelite `GET_MEETINGS_API_DISABLED`: getMeetings always answers noMeetings. Default false. */
  getMeetingsDisabled?: boolean;
  /** IANA time zone of the simulated JVM, used for `createDate`. Default `UTC`. */
  timeZone?: string;
  /**
   * The BBB version imitated: `bbbVersion` in the API root, and its major version decides the 3.0-only behaviour
   * (sendChatMessage, getSessions, html5PluginSdkVersion and the graphql URLs in the version document). Default `3.0.0`.
   */
  serverVersion?: string;
  /**
   * How long a recorded meeting's recording is `processing` after the meeting ended before it is `published` and the
   * recording-ready callback is sent, in milliseconds. Default 0: published the moment the meeting ends.
   */
  recordingProcessingMs?: number;
  /** Delays between the end callback's 5 attempts, in milliseconds. Default BBB's 30000, 60000, 120000, 300000. */
  callbackRetryScheduleMs?: number[];
  /**
   * Where the simulated server's time comes from: the `now` it stamps (createTime, endTime, callback and request
   * times, meeting expiry) and the timers it waits on (latency, recording processing, callback retries, the expiry
   * timer). Default: the wall clock and Node's timers. A test passes a fake clock to let simulated time pass at once.
   */
  clock?: SimulatorClock;
}

/** The simulator's source of time; see `SimulatorOptions.clock`. */
export interface SimulatorClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds later on this clock; returns a handle for clearTimeout. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/**
 * The callbacks the simulator makes: `ended` (meetingEndedURL / meta_endCallbackUrl), `recording-ready`, and `analytics`
 * (meta_analytics-callback-url of a meeting created with meetingKeepEvents=true).
 */
export type CallbackKind = 'ended' | 'recording-ready' | 'analytics';

/** One callback attempt the simulator made (or, with `lost`, was told to lose). */
export interface FiredCallback {
  kind: CallbackKind;
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  status?: number;
  /** Why no status: the error's name (`TimeoutError`, `TypeError` for a refused connection). */
  error?: string;
  lost?: boolean;
  /** Epoch milliseconds. */
  at: number;
}

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html' }
  | { kind: 'garbage' }
  | { kind: 'empty' }
  | { kind: 'drop' };

export interface FaultRule {
  fault: Fault;
  /** API call names it applies to (the API root is the call `''`); all calls when absent. */
  calls?: string[];
  /** How many matching requests it applies to; forever when absent. */
  times?: number;
}

export interface ReceivedRequest {
  method: string;
  /** API call name (last path segment); `''` for the API root. */
  call: string;
  path: string;
  /** The query string exactly as received, without `?`. */
  rawQuery: string;
  /** Decoded parameters of the query and of a form body; the first value wins for repeated names. */
  params: Record<string, string>;
  /** The raw body of a POST that is not a form, e.g. create's `<modules>` XML. */
  body?: string;
  /** Epoch milliseconds. */
  at: number;
}

export type RecordingStateName = 'processing' | 'processed' | 'published' | 'unpublished' | 'deleted';

interface SimPreviewImage {
  url: string;
  width: number;
  height: number;
  alt: string;
}

interface SimPlaybackFormat {
  type: string;
  url: string;
  /** Milliseconds. */
  processingTime: number;
  /** Minutes. */
  length: number;
  preview: SimPreviewImage[];
}

export interface SimRecording {
  recordID: string;
  meetingID: string;
  internalMeetingID: string;
  name: string;
  isBreakout: boolean;
  published: boolean;
  state: RecordingStateName;
  /** Epoch milliseconds. */
  startTime: number;
  /** Epoch milliseconds. */
  endTime: number;
  participants: number;
  /** Lowercased keys, plus the `meetingId`, `meetingName` and `isBreakout` entries BBB adds. */
  metadata: Record<string, string>;
  formats: SimPlaybackFormat[];
}

export interface SeedRecording {
  meetingID: string;
  name: string;
  /** Default `published` (or `unpublished` when `published: false`). */
  state?: RecordingStateName;
  published?: boolean;
  /** Epoch milliseconds; default one hour ago. The recordID is `sha1(meetingID)-startTime`. */
  startTime?: number;
  /** Epoch milliseconds; default startTime + 30 minutes. */
  endTime?: number;
  participants?: number;
  isBreakout?: boolean;
  metadata?: Record<string, string>;
  /** Default: one `presentation` format with three preview images. */
  formats?: Array<Partial<SimPlaybackFormat> & { type: string }>;
}

export interface SimulatedUser {
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  userID?: string;
}

export interface MeetingDetails {
  /** Every create parameter as received (first value of each name). */
  params: Record<string, string>;
  /** Documents from create's XML body and from insertDocument. */
  documents: Array<{ url: string; filename: string; downloadable: boolean; current: boolean }>;
  /** Messages posted with sendChatMessage. */
  chat: Array<{ userName: string; message: string }>;
  /** Full names of the participants waiting for a moderator. */
  waitingGuests: string[];
}

export interface Simulator {
  /** The base URL as `bbb-conf --secret` prints it: `http://127.0.0.1:PORT/bigbluebutton/`. */
  readonly url: string;
  readonly secret: string;
  /** Every request under `/bigbluebutton/api`, in order (faulted ones included); the newest 10000 are kept. */
  readonly received: ReceivedRequest[];
  callCount(call: string): number;
  setLatency(ms: number): void;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  seedRecording(rec: SeedRecording): SimRecording;
  /** As if an HTML5 client entered: the user becomes an attendee and the meeting runs. Throws for an unknown meeting. */
  connectUser(meetingID: string, user: SimulatedUser): void;
  /** As if a moderator accepted every guest waiting in the meeting (guestPolicy ASK_MODERATOR); returns how many. */
  admitGuests(meetingID: string): number;
  /** What the simulated server holds about a meeting beyond the API: every create parameter, its documents, who waits. */
  meetingDetails(meetingID: string): MeetingDetails | undefined;
  /** Every callback attempt so far, in order. */
  readonly callbacks: readonly FiredCallback[];
  /** The next `times` (default 1) callbacks of `kind` are lost: recorded with `lost: true`, never sent. */
  loseCallbacks(kind: CallbackKind, times?: number): void;
  /** Resolves once no callback is in flight or waiting for a retry, and no recording is still processing. */
  callbacksIdle(): Promise<void>;
  /** Forgets meetings, sessions, recordings, faults and received requests, and restores the configured latency. */
  reset(): void;
  /** Stops listening, cancels pending answers and destroys open sockets. */
  close(): Promise<void>;
}
