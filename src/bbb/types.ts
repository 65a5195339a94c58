/**
 * Typed inputs and outputs of the BBB adapter. Every identifier, password and time BBB sends stays a string
 * (`"0123"` must not become `123`); counts and flags are converted.
 */

export const CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export type BbbRole = 'MODERATOR' | 'VIEWER';

/** What the adapter reports after every HTTP call to BBB (for logs and metrics; never carries the query string). */
export interface BbbCallEvent {
  /** API call name, e.g. `getMeetingInfo`. */
  call: string;
  durationMs: number;
  /** `success` (SUCCESS), `failed` (FAILED with a messageKey), `protocol` (unusable answer), `unavailable` (no answer). */
  outcome: 'success' | 'failed' | 'protocol' | 'unavailable';
  messageKey?: string;
  /** What `callContext` returned when the call started (the request it was made for); absent when it returned undefined. */
  context?: unknown;
}

export interface BbbClientOptions {
  /** Base URL as `bbb-conf --secret` prints it (`https://host/bigbluebutton/`); a missing slash or an extra `api/` is tolerated. */
  baseUrl: string;
  /** Shared secret (`securitySalt`); surrounding whitespace is trimmed. */
  secret: string;
  /** Checksum algorithm for every signed URL. Default `sha256`. */
  algorithm?: ChecksumAlgorithm;
  /** Whole-request timeout per attempt, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Retries for calls that are safe to repeat (reads only), with backoff. Default 2. */
  retries?: number;
  /** Largest answer read from BBB, in bytes; a longer one is aborted and fails with BbbProtocolError. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Observer called once per finished call. */
  onCall?: (event: BbbCallEvent) => void;
  /** Read synchronously as each call starts; the value comes back as that call's event's `context`. */
  callContext?: () => unknown;
}

export interface CreateMeetingParams {
  meetingID: string;
  name: string;
  attendeePW?: string;
  moderatorPW?: string;
  /** `maxParticipants`; 0 or absent means unlimited. */
  maxParticipants?: number;
  logoutURL?: string;
  record?: boolean;
  welcome?: string;
  /**
   * Further create parameters under BBB's own names (`muteOnStart`, `lockSettingsDisableCam`, …), sent as given after
   * the ones above. The caller validated them; `meta_*`, `checksum` and the names above are refused here.
   */
  options?: Array<[string, string]>;
  /** Metadata sent as `meta_<key>`; keys must match `[a-zA-Z][a-zA-Z0-9-]*` (BBB lowercases them). */
  meta?: Record<string, string>;
  /** Slides BBB downloads on create. When present, create is a POST with BBB's XML body (bbb-api.md §2.1). */
  presentations?: PresentationDocument[];
}

/** One `<document>` of BBB's presentation module (create and insertDocument). */
export interface PresentationDocument {
  url: string;
  filename?: string;
  downloadable?: boolean;
  current?: boolean;
}

export interface CreateMeetingResult {
  meetingID: string;
  internalMeetingID: string;
  parentMeetingID: string;
  attendeePW: string;
  moderatorPW: string;
  /** Epoch milliseconds, as a string. */
  createTime: string;
  /** Java `Date.toString()` in the server's timezone, e.g. `Mon Jul 09 17:03:29 UTC 2018`. */
  createDate: string;
  voiceBridge: string;
  dialNumber: string;
  hasUserJoined: boolean;
  duration: number;
  hasBeenForciblyEnded: boolean;
  /** `duplicateWarning` when the meeting already existed, else undefined. */
  messageKey?: string;
  message?: string;
}

export interface Attendee {
  userID: string;
  fullName: string;
  role: BbbRole;
  isPresenter: boolean;
  isListeningOnly: boolean;
  hasJoinedVoice: boolean;
  hasVideo: boolean;
  clientType: string;
  customdata: Record<string, string>;
}

export interface MeetingInfo {
  meetingName: string;
  meetingID: string;
  internalMeetingID: string;
  createTime: string;
  createDate: string;
  voiceBridge: string;
  dialNumber: string;
  /** Empty string when the server reports none. */
  attendeePW: string;
  moderatorPW: string;
  running: boolean;
  duration: number;
  hasUserJoined: boolean;
  recording: boolean;
  hasBeenForciblyEnded: boolean;
  startTime: string;
  endTime: string;
  participantCount: number;
  listenerCount: number;
  voiceParticipantCount: number;
  videoCount: number;
  maxUsers: number;
  moderatorCount: number;
  attendees: Attendee[];
  /** Keys as BBB returns them (lowercased). */
  metadata: Record<string, string>;
  isBreakout: boolean;
}

export interface JoinUrlParams {
  meetingID: string;
  fullName: string;
  role: BbbRole;
  /** The meeting's createTime; BBB refuses the join when it differs. */
  createTime?: string;
  userID?: string;
  avatarURL?: string;
  guest?: boolean;
  /** Sent in addition to `role` for servers older than 2.4. */
  password?: string;
  /** Default: not sent (BBB then redirects, which is what a browser needs). */
  redirect?: boolean;
  /** Where BBB sends the browser when the join fails (2.7+). */
  errorRedirectUrl?: string;
  /** A layout the participant cannot change (3.0). */
  enforceLayout?: string;
  /** Leave this participant out of the learning dashboard. */
  excludeFromDashboard?: boolean;
  /** Sent as `userdata-<key>`; keys without dashes (BBB drops the rest). */
  userdata?: Array<[string, string]>;
}

export interface PlaybackImage {
  url: string;
  width?: number;
  height?: number;
  alt?: string;
}

export interface PlaybackFormat {
  type: string;
  url: string;
  /** Milliseconds the processing took, when reported. */
  processingTime?: number;
  /** Minutes, as BBB reports it. */
  length: number;
  preview: PlaybackImage[];
}

export type { RecordingState } from './rules.js';

export interface Recording {
  recordID: string;
  meetingID: string;
  internalMeetingID: string;
  name: string;
  isBreakout: boolean;
  published: boolean;
  state: string;
  startTime: string;
  endTime: string;
  participants: number;
  metadata: Record<string, string>;
  playback: PlaybackFormat[];
}

export interface GetRecordingsParams {
  meetingID?: string[];
  recordID?: string[];
  /** States, or `any`. BBB's default is published+unpublished. */
  state?: string[];
  /** `meta_<key>` filters. */
  meta?: Record<string, string>;
  offset?: number;
  limit?: number;
}

export interface ApiVersion {
  version: string;
  apiVersion?: string;
  bbbVersion?: string;
}

/** The only code that talks to BBB. */
export interface BbbClient {
  create(params: CreateMeetingParams): Promise<CreateMeetingResult>;
  /** Throws BbbNotFoundError for an unknown or ended meeting. */
  getMeetingInfo(meetingID: string): Promise<MeetingInfo>;
  isMeetingRunning(meetingID: string): Promise<boolean>;
  /** Throws BbbNotFoundError for an unknown meeting. */
  end(meetingID: string): Promise<void>;
  /** An empty array for `noMeetings`. */
  getMeetings(): Promise<MeetingInfo[]>;
  getRecordings(params?: GetRecordingsParams): Promise<Recording[]>;
  /** Throws BbbNotFoundError when none of the IDs exist. */
  publishRecordings(recordIDs: string[], publish: boolean): Promise<boolean>;
  deleteRecordings(recordIDs: string[]): Promise<boolean>;
  /** `meta` values that are empty strings remove the key. */
  updateRecordings(recordIDs: string[], meta: Record<string, string>): Promise<boolean>;
  /** The API root (no checksum): a cheap health probe. */
  apiVersion(): Promise<ApiVersion>;
  /** A signed `join` URL for a browser, built locally (no HTTP call). */
  joinUrl(params: JoinUrlParams): string;
  /** BBB 2.5+'s insertDocument: a POST with the presentation module XML. Throws BbbNotFoundError for an unknown meeting. */
  insertDocument(meetingID: string, documents: PresentationDocument[]): Promise<void>;
  /** BBB 3.0's sendChatMessage. An older server answers HTTP 404, Scalelite FAILED unsupportedRequest. */
  sendChatMessage(meetingID: string, message: string, userName?: string): Promise<void>;
}
