import type { Caller } from './auth/caller.js';

/**
 * Isolation between applications, in one place: the app tag every meeting (and so every recording) carries, who may see
 * what by it, and which metadata keys an application may set (on createMeeting, on recordings) and which ones belong to
 * the gateway. BBB stores `meta_*` names lowercased (bbb-api.md §2.1), so every comparison is on the lowercased key:
 * `BBB-Interface-App` would overwrite the app tag as surely as the lowercase spelling. BBB's own rule for a key's
 * spelling is META_KEY_PATTERN in bbb/rules.ts.
 */

/**
 * The app tag: which application created a meeting, sent as `meta_bbb-interface-app` (BBB stores keys lowercased, and
 * this one already is). The tag lives on the BBB server, so any gateway replica can enforce isolation; a recording
 * carries the tag of the meeting it was made in.
 */
export const APP_META_KEY = 'bbb-interface-app';

/** Whether the caller may see a meeting or recording: its own app's, or any with ALL_MEETINGS_APPS. */
export function isVisible(caller: Caller, item: { metadata: Record<string, string> }): boolean {
  return caller.allMeetings || item.metadata[APP_META_KEY] === caller.app;
}

/** The `meta_` filter that asks BBB for the caller's own recordings only (none for a caller that sees every meeting). */
export function appMetaFilter(caller: Caller): { meta?: Record<string, string> } {
  return caller.allMeetings ? {} : { meta: { [APP_META_KEY]: caller.app } };
}

/** Every key the gateway writes for itself starts with this (the app tag, the waiting-room setting, …). */
const GATEWAY_META_PREFIX = 'bbb-interface-';

/** The meeting's waiting room (NONE, GUESTS, ALL_VIEWERS), kept on BBB so that any gateway replica can read it at join. */
export const WAITING_ROOM_META_KEY = 'bbb-interface-waiting-room';

/** The create-time `record` flag as the gateway sent it ("true"/"false"), for Meeting.recordingEnabled. */
export const RECORD_META_KEY = 'bbb-interface-record';

/** The session nonce of the meeting's callback tokens, so endMeeting emits meeting.ended under the callback's event ID. */
export const EVENTS_NONCE_META_KEY = 'bbb-interface-events-nonce';

/** The recording-ready callback the gateway registers (BBB reads it under this name; it shows in recording metadata). */
export const RECORDING_READY_META_KEY = 'bbb-recording-ready-url';

/** The analytics callback the gateway registers for apps in WEBHOOK_ANALYTICS_APPS (BBB's post_events reads it). */
export const ANALYTICS_CALLBACK_META_KEY = 'analytics-callback-url';

/**
 * Why `key` is reserved, as the end of a sentence (`metadata.0.key must not be …`), or undefined when an app may use it.
 * Reserved: the gateway's own keys, and every callback key BBB or its scripts act on (`endCallbackUrl`,
 * `bbb-/bn-/canvas-recording-ready-url`, `analytics-callback-url`, any `*-callback-url`): callbacks are the gateway's to own.
 */
export function reservedMetadataKeyReason(key: string): string | undefined {
  const k = key.toLowerCase();
  if (k === APP_META_KEY) return `must not be ${APP_META_KEY}: the gateway uses that key to tell applications apart`;
  if (k.startsWith(GATEWAY_META_PREFIX))
    return `must not start with ${GATEWAY_META_PREFIX}: those keys are the gateway's own`;
  if (isCallbackKey(k)) {
    return 'must not be a callback key (endCallbackUrl, *-recording-ready-url, *-callback-url): callbacks are set by the gateway';
  }
  return undefined;
}

/** A key BBB or its scripts call back to (lowercased): `endCallbackUrl`, `*-recording-ready-url`, `*-callback-url`. */
function isCallbackKey(k: string): boolean {
  return k === 'endcallbackurl' || k.endsWith('-recording-ready-url') || k.endsWith('-callback-url');
}

function isReservedMetadataKey(key: string): boolean {
  return reservedMetadataKeyReason(key) !== undefined;
}

/** The metadata an application may read back: everything but the gateway's reserved keys. */
export function appMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter(([k]) => !isReservedMetadataKey(k)));
}

/**
 * Recording metadata as apps read it: the gateway's callback registration (the recording-ready URL, the events nonce) and
 * every other callback key are left out; the app tag and the rest stay, as documented on Recording.metadata.
 */
export function withoutCallbackKeys(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([key]) => {
      const k = key.toLowerCase();
      return k !== EVENTS_NONCE_META_KEY && !isCallbackKey(k);
    }),
  );
}

/** The waiting room a meeting was created with, read from its reserved metadata key; NONE when absent. */
export function waitingRoomOf(metadata: Record<string, string>): 'NONE' | 'GUESTS' | 'ALL_VIEWERS' {
  const v = metadata[WAITING_ROOM_META_KEY];
  return v === 'GUESTS' || v === 'ALL_VIEWERS' ? v : 'NONE';
}
