import xml2js from 'xml2js';
import { BbbFailedError, BbbMisconfiguredError, BbbNotFoundError, BbbProtocolError } from './errors.js';
import type {
  ApiVersion,
  Attendee,
  BbbRole,
  CreateMeetingResult,
  MeetingInfo,
  PlaybackFormat,
  PlaybackImage,
  Recording,
} from './types.js';

/** What a parser needs to name in its errors: the call, and optionally the server origin and HTTP status. */
export interface ParseContext {
  call: string;
  /** e.g. `https://bbb.example.org`; never a URL with a query string. */
  origin?: string;
  statusCode?: number;
}

/**
 * One XML element as xml2js returns it with `explicitArray: true`: a string for a text-only element, otherwise an object
 * whose element-named keys hold arrays of child values, with text under `#text` and attributes under `@attrs`.
 */
export type XmlNode = string | { readonly [key: string]: unknown };

// `#` and `@` cannot start an XML name, so no element (metadata keys included) can collide with these two keys.
const TEXT_KEY = '#text';
const ATTRS_KEY = '@attrs';

// No value processors and no trimming: BBB identifiers and passwords stay byte-for-byte strings (`0123` is not 123,
// fast-xml-parser's coercion is a known pitfall, bbb-api.md §8.6).
const PARSER_OPTIONS: xml2js.ParserOptions = {
  explicitArray: true,
  explicitRoot: true,
  explicitCharkey: false,
  attrkey: ATTRS_KEY,
  charkey: TEXT_KEY,
  trim: false,
  normalize: false,
  normalizeTags: false,
  emptyTag: '',
  strict: true,
  async: false,
};

/** Parses `body` as BBB's `<response>` envelope and throws the typed error for FAILED or unusable answers; returns the SUCCESS `<response>` element. */
export function parseResponse(body: string, ctx: ParseContext): XmlNode {
  const root = readResponseRoot(body, ctx);
  const returncode = childText(root, 'returncode')?.trim().toUpperCase();
  if (returncode === 'SUCCESS') return root;
  // FAILURE is what pre-2.2.29 recording endpoints sent (#11564).
  if (returncode === 'FAILED' || returncode === 'FAILURE') throw failure(root, ctx);
  throw protocolError(
    ctx,
    returncode === undefined ? 'a <response> without a returncode' : 'a returncode that is neither SUCCESS nor FAILED',
  );
}

/** Maps the `getMeetings` `<response>` element to its meetings. */
export function toMeetingList(node: XmlNode, ctx: ParseContext): MeetingInfo[] {
  return listOf(node, 'meetings', 'meeting').map((m) => toMeetingInfo(m, ctx));
}

/** Maps the `getRecordings` `<response>` element to its recordings. */
export function toRecordingList(node: XmlNode, ctx: ParseContext): Recording[] {
  return listOf(node, 'recordings', 'recording').map((r) => toRecording(r, ctx));
}

/** Reads a required boolean element such as `<running>` or `<published>`; only `true` (any case) is true, as in Java. */
export function toFlag(node: XmlNode, name: string, ctx: ParseContext): boolean {
  if (childText(node, name) === undefined) throw protocolError(ctx, `a response without <${name}>`);
  return flag(node, name);
}

/** Maps the API root's `<response>` element to ApiVersion. */
export function toApiVersion(node: XmlNode, ctx: ParseContext): ApiVersion {
  const result: ApiVersion = { version: requiredText(node, 'version', ctx) };
  const apiVersion = nonEmpty(childText(node, 'apiVersion'));
  // bbbVersion is printed empty unless allowRevealOfBBBVersion is set.
  const bbbVersion = nonEmpty(childText(node, 'bbbVersion'));
  if (apiVersion !== undefined) result.apiVersion = apiVersion;
  if (bbbVersion !== undefined) result.bbbVersion = bbbVersion;
  return result;
}

/** Maps a `create` `<response>` element to CreateMeetingResult. */
export function toCreateMeetingResult(node: XmlNode, ctx: ParseContext): CreateMeetingResult {
  const result: CreateMeetingResult = {
    meetingID: requiredText(node, 'meetingID', ctx),
    internalMeetingID: text(node, 'internalMeetingID'),
    parentMeetingID: text(node, 'parentMeetingID'),
    attendeePW: text(node, 'attendeePW'),
    moderatorPW: text(node, 'moderatorPW'),
    createTime: text(node, 'createTime'),
    createDate: text(node, 'createDate'),
    voiceBridge: text(node, 'voiceBridge'),
    dialNumber: text(node, 'dialNumber'),
    hasUserJoined: flag(node, 'hasUserJoined'),
    duration: count(node, 'duration', ctx),
    hasBeenForciblyEnded: flag(node, 'hasBeenForciblyEnded'),
  };
  // A first create prints empty <messageKey/> and <message/> (`${msgKey!}`); only duplicateWarning carries a key.
  const messageKey = nonEmpty(childText(node, 'messageKey'));
  const message = nonEmpty(childText(node, 'message'));
  if (messageKey !== undefined) result.messageKey = messageKey;
  if (message !== undefined) result.message = message;
  return result;
}

/** Maps a `getMeetingInfo` `<response>` or a `getMeetings` `<meeting>` element to MeetingInfo. */
export function toMeetingInfo(node: XmlNode, ctx: ParseContext): MeetingInfo {
  return {
    meetingName: text(node, 'meetingName'),
    meetingID: requiredText(node, 'meetingID', ctx),
    internalMeetingID: text(node, 'internalMeetingID'),
    createTime: text(node, 'createTime'),
    createDate: text(node, 'createDate'),
    voiceBridge: text(node, 'voiceBridge'),
    dialNumber: text(node, 'dialNumber'),
    attendeePW: text(node, 'attendeePW'),
    moderatorPW: text(node, 'moderatorPW'),
    running: flag(node, 'running'),
    duration: count(node, 'duration', ctx),
    hasUserJoined: flag(node, 'hasUserJoined'),
    recording: flag(node, 'recording'),
    hasBeenForciblyEnded: flag(node, 'hasBeenForciblyEnded'),
    startTime: text(node, 'startTime'),
    endTime: text(node, 'endTime'),
    participantCount: count(node, 'participantCount', ctx),
    listenerCount: count(node, 'listenerCount', ctx),
    voiceParticipantCount: count(node, 'voiceParticipantCount', ctx),
    videoCount: count(node, 'videoCount', ctx),
    maxUsers: count(node, 'maxUsers', ctx),
    moderatorCount: count(node, 'moderatorCount', ctx),
    attendees: listOf(node, 'attendees', 'attendee').map(toAttendee),
    metadata: textMap(firstChild(node, 'metadata')),
    isBreakout: flag(node, 'isBreakout'),
  };
}

/** Maps an `<attendee>` element; `customdata` becomes a record of its child elements' text. */
function toAttendee(node: XmlNode): Attendee {
  return {
    userID: text(node, 'userID'),
    fullName: text(node, 'fullName'),
    role: toRole(text(node, 'role')),
    isPresenter: flag(node, 'isPresenter'),
    isListeningOnly: flag(node, 'isListeningOnly'),
    hasJoinedVoice: flag(node, 'hasJoinedVoice'),
    hasVideo: flag(node, 'hasVideo'),
    clientType: text(node, 'clientType'),
    customdata: textMap(firstChild(node, 'customdata')),
  };
}

/** Maps a `<recording>` element. */
function toRecording(node: XmlNode, ctx: ParseContext): Recording {
  const recordID = requiredText(node, 'recordID', ctx);
  return {
    recordID,
    meetingID: text(node, 'meetingID'),
    // Older servers omit internalMeetingID; a recordID is by construction the internalMeetingID of its session.
    internalMeetingID: nonEmpty(childText(node, 'internalMeetingID')) ?? recordID,
    name: text(node, 'name'),
    isBreakout: flag(node, 'isBreakout'),
    published: flag(node, 'published'),
    state: text(node, 'state'),
    startTime: text(node, 'startTime'),
    endTime: text(node, 'endTime'),
    participants: count(node, 'participants', ctx),
    metadata: textMap(firstChild(node, 'metadata')),
    playback: listOf(node, 'playback', 'format').map((f) => toPlaybackFormat(f, ctx)),
  };
}

/** Maps a playback `<format>` element, including its preview images. */
function toPlaybackFormat(node: XmlNode, ctx: ParseContext): PlaybackFormat {
  const format: PlaybackFormat = {
    type: text(node, 'type'),
    url: text(node, 'url'),
    length: count(node, 'length', ctx),
    preview: listOf(firstChild(node, 'preview'), 'images', 'image').map(toPlaybackImage),
  };
  if (nonEmpty(childText(node, 'processingTime')) !== undefined)
    format.processingTime = count(node, 'processingTime', ctx);
  return format;
}

function toPlaybackImage(node: XmlNode): PlaybackImage {
  const image: PlaybackImage = { url: textOf(node).trim() };
  const width = optionalNumber(attribute(node, 'width'));
  const height = optionalNumber(attribute(node, 'height'));
  const alt = attribute(node, 'alt');
  if (width !== undefined) image.width = width;
  if (height !== undefined) image.height = height;
  if (alt !== undefined) image.alt = alt;
  return image;
}

// Image sizes are cosmetic: an unparseable one is dropped rather than failing the whole getRecordings call.
function optionalNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function toRole(value: string): BbbRole {
  return value.trim().toUpperCase() === 'MODERATOR' ? 'MODERATOR' : 'VIEWER';
}

// --- Generic accessors over xml2js output, exported for tests of responses the client has no mapper for. ---

/** The child elements called `name`, in document order; empty when there are none. */
export function childNodes(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string' || !Object.hasOwn(node, name)) return [];
  const values = node[name];
  if (!Array.isArray(values)) return [];
  // xml2js tests `key in obj`, so an element named like an Object.prototype member (`<constructor>`, a legal meta key)
  // gets the inherited value pushed in front of the real one; only strings and plain objects come from the document.
  return values.filter(isXmlNode);
}

/** The text of the first child element called `name`, or undefined when there is no such element. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const child = firstChild(node, name);
  return child === undefined ? undefined : textOf(child);
}

/** The items of a list element such as `<attendees><attendee/>…</attendees>`: one, many or none all give an array. */
export function listOf(node: XmlNode | undefined, container: string, item: string): XmlNode[] {
  return childNodes(firstChild(node, container), item);
}

/** A map element such as `<metadata>` or `<customdata>` as a record of child name → text; empty or absent gives {}. */
function textMap(node: XmlNode | undefined): Record<string, string> {
  if (node === undefined || typeof node === 'string') return {};
  const entries: Array<[string, string]> = [];
  for (const key of Object.keys(node)) {
    if (key === TEXT_KEY || key === ATTRS_KEY) continue;
    const child = childNodes(node, key)[0];
    if (child !== undefined) entries.push([key, textOf(child)]);
  }
  // fromEntries defines own properties, so a `__proto__` key stays data instead of replacing the prototype.
  return Object.fromEntries(entries);
}

/** The value of attribute `name`, or undefined. */
export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const attrs = node[ATTRS_KEY];
  if (attrs === null || typeof attrs !== 'object' || !Object.hasOwn(attrs, name)) return undefined;
  const value = (attrs as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function firstChild(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return childNodes(node, name)[0];
}

function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const value = node[TEXT_KEY];
  return typeof value === 'string' ? value : '';
}

function isXmlNode(value: unknown): value is XmlNode {
  return (
    typeof value === 'string' ||
    (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)
  );
}

function text(node: XmlNode, name: string): string {
  return childText(node, name) ?? '';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function requiredText(node: XmlNode, name: string, ctx: ParseContext): string {
  const value = childText(node, name);
  if (value === undefined || value === '') throw protocolError(ctx, `a response without <${name}>`);
  return value;
}

function flag(node: XmlNode, name: string): boolean {
  return childText(node, name)?.trim().toLowerCase() === 'true';
}

function count(node: XmlNode, name: string, ctx: ParseContext): number {
  const raw = childText(node, name);
  if (raw === undefined || raw.trim() === '') return 0;
  // 2.5/2.6 printed counts with the JVM locale's grouping separator, e.g. `1,000` (#17688).
  const value = Number(raw.replace(/[,\s\u00a0\u202f]/g, ''));
  if (!Number.isFinite(value)) throw protocolError(ctx, `a <${name}> that is not a number`);
  return value;
}

// --- Envelope ---

function readResponseRoot(body: string, ctx: ParseContext): XmlNode {
  const trimmed = body.trim();
  if (trimmed === '') throw protocolError(ctx, 'an empty body');
  if (/^(<!doctype\s+html|<html[\s>])/i.test(trimmed))
    throw protocolError(ctx, 'an HTML page instead of an XML API response');
  if (/^[[{]/.test(trimmed)) throw protocolError(ctx, 'JSON instead of an XML API response');
  let document: unknown;
  try {
    document = parseXml(body);
  } catch {
    throw protocolError(ctx, 'a body that is not well-formed XML');
  }
  if (document === null || typeof document !== 'object') throw protocolError(ctx, 'a body that is not well-formed XML');
  const [rootName] = Object.keys(document);
  if (rootName !== 'response') {
    throw protocolError(ctx, `XML whose root element is <${rootName ?? '?'}> instead of <response>`);
  }
  const root = (document as Record<string, unknown>)[rootName];
  if (!isXmlNode(root)) throw protocolError(ctx, 'an empty <response>');
  return root;
}

function parseXml(body: string): unknown {
  let settled = false;
  let result: unknown;
  let error: unknown;
  const parser = new xml2js.Parser(PARSER_OPTIONS);
  // With async: false xml2js reports synchronously, but may report twice (`end`, then an error for trailing bytes).
  parser.parseString(body, (err: Error | null, value: unknown) => {
    if (settled) return;
    settled = true;
    error = err;
    result = value;
  });
  if (!settled) throw new Error('The XML parser did not finish synchronously.');
  if (error) throw error;
  return result;
}

function failure(root: XmlNode, ctx: ParseContext): BbbFailedError {
  let key = childText(root, 'messageKey');
  let message = childText(root, 'message');
  if (nonEmpty(key) === undefined) {
    // api-errors.ftlx (`nonUniqueVoiceBridge`) lists errors instead; older Grails builders put key/message in attributes.
    const first = listOf(root, 'errors', 'error')[0];
    if (first !== undefined) {
      key = childText(first, 'key') ?? attribute(first, 'key');
      message = childText(first, 'message') ?? attribute(first, 'message');
    }
  }
  // `unknownError` is the catch-all key of BBB's own Go rewrite (bbb-api.md §5); a FAILED without any key is not usable otherwise.
  const messageKey = nonEmpty(key)?.trim() ?? 'unknownError';
  const bbbMessage = message?.trim() ?? '';
  if (messageKey === 'checksumError') return new BbbMisconfiguredError(ctx.call, messageKey, bbbMessage);
  // meetingNotFound: what BBB 3.0's newer calls (sendChatMessage) answer for an unknown meeting.
  if (messageKey === 'notFound' || messageKey === 'invalidMeetingIdentifier' || messageKey === 'meetingNotFound') {
    return new BbbNotFoundError(ctx.call, messageKey, bbbMessage);
  }
  // The one place the message text matters: BBB 2.4.0 answered unknown meetings with this key (#13369).
  if (messageKey === 'validationError' && /does not exist/i.test(bbbMessage)) {
    return new BbbNotFoundError(ctx.call, messageKey, bbbMessage);
  }
  return new BbbFailedError(ctx.call, messageKey, bbbMessage);
}

function protocolError(ctx: ParseContext, what: string): BbbProtocolError {
  const where = ctx.origin === undefined ? '' : ` at ${ctx.origin}`;
  const status = ctx.statusCode === undefined ? '' : ` (HTTP ${ctx.statusCode})`;
  return new BbbProtocolError(
    ctx.call,
    `BigBlueButton${where} answered ${ctx.call} with ${what}${status}.`,
    ctx.statusCode,
  );
}
