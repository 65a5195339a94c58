/**
 * The parsers of whole answers, composed as the client composes them (src/bbb/client.ts: parseResponse, then the
 * call's mapper), so the parse tests can feed a body straight in.
 */
import type { ApiVersion, CreateMeetingResult, MeetingInfo, Recording } from '../../src/bbb/types.js';
import {
  parseResponse,
  toApiVersion,
  toCreateMeetingResult,
  toFlag,
  toMeetingInfo,
  toMeetingList,
  toRecordingList,
  type ParseContext,
} from '../../src/bbb/parse.js';

/** Parses a `create` answer (first create, or `duplicateWarning` for an existing meeting). */
export function parseCreateMeeting(body: string, ctx: ParseContext = { call: 'create' }): CreateMeetingResult {
  return toCreateMeetingResult(parseResponse(body, ctx), ctx);
}

/** Parses a `getMeetingInfo` answer; unknown meetings throw BbbNotFoundError. */
export function parseMeetingInfo(body: string, ctx: ParseContext = { call: 'getMeetingInfo' }): MeetingInfo {
  return toMeetingInfo(parseResponse(body, ctx), ctx);
}

/** Parses a `getMeetings` answer; `noMeetings` (an empty `<meetings/>`) gives an empty array. */
export function parseMeetings(body: string, ctx: ParseContext = { call: 'getMeetings' }): MeetingInfo[] {
  return toMeetingList(parseResponse(body, ctx), ctx);
}

/** Parses an `isMeetingRunning` answer. */
export function parseIsMeetingRunning(body: string, ctx: ParseContext = { call: 'isMeetingRunning' }): boolean {
  return toFlag(parseResponse(body, ctx), 'running', ctx);
}

/** Parses a `getRecordings` answer; `noRecordings` (an empty `<recordings/>`) gives an empty array. */
export function parseRecordings(body: string, ctx: ParseContext = { call: 'getRecordings' }): Recording[] {
  return toRecordingList(parseResponse(body, ctx), ctx);
}

/** Parses the answer of publish/delete/updateRecordings and returns its one flag (`published`, `deleted` or `updated`). */
export function parseRecordingsFlag(
  body: string,
  flag: 'published' | 'deleted' | 'updated',
  ctx: ParseContext,
): boolean {
  return toFlag(parseResponse(body, ctx), flag, ctx);
}

/** Parses the API root's answer (`GET /bigbluebutton/api`). */
export function parseApiVersion(body: string, ctx: ParseContext = { call: 'apiVersion' }): ApiVersion {
  return toApiVersion(parseResponse(body, ctx), ctx);
}
