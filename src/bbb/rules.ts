/**
 * BigBlueButton's own rules that the gateway's validation, isolation and error wording reuse (bbb-api.md). Only `src/bbb/`
 * knows BBB; the rest of the gateway imports these instead of writing them again.
 */

/** What BBB accepts as a meta name (ParamsProcessorUtil.processMetaParam); it drops any other key without a word. */
export const META_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]*$/;

/** The states a recording goes through on BBB, in order (getRecordings' `state` filter takes them, or `any`). */
export const RECORDING_STATES = ['processing', 'processed', 'published', 'unpublished', 'deleted'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

/** The calls about recordings: a `notFound` from one of them means a recording, from any other call a meeting. */
const RECORDING_CALLS: ReadonlySet<string> = new Set([
  'getRecordings',
  'publishRecordings',
  'deleteRecordings',
  'updateRecordings',
]);

export function isRecordingCall(call: string): boolean {
  return RECORDING_CALLS.has(call);
}

// A messageKey is a camelCase word in every BBB version.
const MESSAGE_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

/** BBB's messageKey when it is one, else `unknownError`: anything else in that place is not echoed to a caller. */
export function safeMessageKey(messageKey: string): string {
  return MESSAGE_KEY.test(messageKey) ? messageKey : 'unknownError';
}

/** BBB's createTime: the meeting's creation in epoch milliseconds, written as digits. */
export const CREATE_TIME_PATTERN = /^\d{1,20}$/;
// 2000-01-01T00:00:00Z: no BBB server created a meeting before (BigBlueButton began in 2007).
const EARLIEST_CREATE_TIME = 946_684_800_000;

/** Whether digits can be a createTime BBB ever returned, rather than a made-up or truncated number. */
export function isPlausibleCreateTime(createTime: string): boolean {
  return CREATE_TIME_PATTERN.test(createTime) && Number(createTime) >= EARLIEST_CREATE_TIME;
}
