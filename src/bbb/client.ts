import got, { RequestError, TimeoutError, type Got, type RetryObject } from 'got';
import { normaliseBaseUrl } from './base-url.js';
import { BbbFailedError, BbbProtocolError, BbbUnavailableError } from './errors.js';
import {
  childText,
  parseResponse,
  toApiVersion,
  toCreateMeetingResult,
  toFlag,
  toMeetingInfo,
  toMeetingList,
  toRecordingList,
  type ParseContext,
  type XmlNode,
} from './parse.js';
import { signQuery, type QueryParams } from './signing.js';
import { META_KEY_PATTERN } from './rules.js';
import {
  CHECKSUM_ALGORITHMS,
  type BbbCallEvent,
  type BbbClient,
  type BbbClientOptions,
  type ChecksumAlgorithm,
  type CreateMeetingParams,
  type GetRecordingsParams,
  type JoinUrlParams,
  type PresentationDocument,
} from './types.js';

const DEFAULT_ALGORITHM: ChecksumAlgorithm = 'sha256';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const RETRY_BASE_DELAY_MS = 250;
const RETRY_MAX_DELAY_MS = 2_000;
const RETRY_JITTER_MS = 100;

// What a proxy in front of bbb-web answers while Tomcat restarts or is overloaded; BBB itself answers 200 even for FAILED.
const RETRY_STATUS_CODES = [502, 503, 504];
// Connection-level failures only. ETIMEDOUT is left out on purpose: a server that did not answer within timeoutMs is
// most likely overloaded, and retrying would make the caller wait up to (retries + 1) × timeoutMs.
const RETRY_ERROR_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
];

interface ResolvedOptions {
  apiBase: string;
  origin: string;
  secret: string;
  algorithm: ChecksumAlgorithm;
  timeoutMs: number;
  retries: number;
  maxResponseBytes: number;
  onCall: ((event: BbbCallEvent) => void) | undefined;
  callContext: (() => unknown) | undefined;
}

/**
 * Builds the BBB adapter over one configured got instance: `algorithm` defaults to sha256, `timeoutMs` (per attempt) to
 * 10000 ms and `retries` (only for calls that are safe to repeat) to 2; throws an Error listing every invalid option.
 */
export function createBbbClient(options: BbbClientOptions): BbbClient {
  const config = resolveOptions(options);
  const { apiBase, origin, secret, algorithm, timeoutMs, maxResponseBytes } = config;

  const http: Got = got.extend({
    method: 'GET',
    responseType: 'text',
    // Status codes are inspected here: a 5xx or an HTML error page must become a BbbProtocolError, not got's HTTPError.
    throwHttpErrors: false,
    // A redirect on an API call means a wrong base URL (http→https, missing path); following it would hide that.
    followRedirect: false,
    // Bodies arrive as sent, so the size bound below counts what is buffered: a small gzip answer could inflate without limit.
    decompress: false,
    timeout: { request: timeoutMs },
    headers: { accept: 'text/xml, application/xml;q=0.9, */*;q=0.1', 'user-agent': 'bbb-interface' },
    retry: {
      // Per call: got's default would retry every GET, and BBB uses GET for calls that change state.
      limit: 0,
      methods: ['GET'],
      statusCodes: RETRY_STATUS_CODES,
      errorCodes: RETRY_ERROR_CODES,
      enforceRetryRules: true,
      calculateDelay: retryDelay,
    },
  });
  // Two configured instances instead of per-call options: got merges and re-validates the options of every call that
  // passes any (measured in the performance report, `npm run bench`).
  const withRetries: Got = http.extend({ retry: { limit: config.retries } });

  async function call<T>(
    name: string,
    url: string,
    retryable: boolean,
    map: (root: XmlNode, ctx: ParseContext) => T,
    xmlBody?: string,
  ): Promise<T> {
    const started = performance.now();
    const context = config.callContext?.();
    let outcome: BbbCallEvent['outcome'] = 'protocol';
    let messageKey: string | undefined;
    try {
      const response = await send(name, url, retryable, xmlBody);
      const ctx: ParseContext = { call: name, origin, statusCode: response.statusCode };
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new BbbProtocolError(
          name,
          `BigBlueButton at ${origin} answered ${name} with HTTP ${response.statusCode} instead of an API response.`,
          response.statusCode,
        );
      }
      const root = parseResponse(response.body, ctx);
      messageKey = nonEmpty(childText(root, 'messageKey'));
      const value = map(root, ctx);
      outcome = 'success';
      return value;
    } catch (err) {
      if (err instanceof BbbFailedError) {
        outcome = 'failed';
        messageKey = err.messageKey;
      } else if (err instanceof BbbUnavailableError) {
        outcome = 'unavailable';
      }
      throw err;
    } finally {
      const event: BbbCallEvent = { call: name, durationMs: performance.now() - started, outcome };
      // Set only when there is one (absent, not undefined), without spreads: V8's slow path for object literals.
      if (messageKey !== undefined) event.messageKey = messageKey;
      if (context !== undefined) event.context = context;
      notify(event);
    }
  }

  async function send(
    name: string,
    url: string,
    retryable: boolean,
    xmlBody?: string,
  ): Promise<{ statusCode: number; body: string }> {
    // The URL string already holds the encoded, signed query; got keeps it as is because it contains only unreserved
    // characters, `%XX`, `+`, `=` and `&`, none of which the WHATWG URL parser re-encodes (test/bbb/client.test.ts checks it).
    // An XML body (presentations) goes as a POST; the checksum still covers the URL query only (bbb-api.md §1.2).
    // got retries only GET, so a POST is sent once.
    const request =
      xmlBody === undefined
        ? (retryable ? withRetries : http)(url)
        : http(url, { method: 'POST', body: xmlBody, headers: { 'content-type': 'application/xml' } });
    // got buffers the whole body; an answer over the bound is aborted as soon as its length is announced or read.
    let tooLarge = false;
    const guard = (bytes: number) => {
      if (bytes <= maxResponseBytes || tooLarge) return;
      tooLarge = true;
      request.cancel();
    };
    request.on('response', (res: { headers: Record<string, string | string[] | undefined> }) =>
      guard(Number(res.headers['content-length'] ?? 0)),
    );
    request.on('downloadProgress', (progress: { transferred: number }) => guard(progress.transferred));
    try {
      const response = await request;
      return { statusCode: response.statusCode, body: response.body };
    } catch (err) {
      if (tooLarge) {
        throw new BbbProtocolError(
          name,
          `BigBlueButton at ${origin} answered ${name} with more than ${maxResponseBytes} bytes (BBB_MAX_RESPONSE_BYTES); the answer was aborted.`,
        );
      }
      throw unavailable(name, err);
    }
  }

  function unavailable(name: string, err: unknown): BbbUnavailableError {
    // got's messages and options carry the full URL, checksum included; only the name and code survive.
    const cause = sanitizedCause(err);
    if (err instanceof TimeoutError) {
      return new BbbUnavailableError(
        name,
        `BigBlueButton at ${origin} did not answer ${name} within ${timeoutMs} ms.`,
        true,
        { cause },
      );
    }
    const code = err instanceof RequestError ? err.code : 'an unexpected client error';
    return new BbbUnavailableError(
      name,
      `BigBlueButton at ${origin} could not be reached for ${name} (${code}).`,
      false,
      { cause },
    );
  }

  function notify(event: BbbCallEvent): void {
    if (config.onCall === undefined) return;
    try {
      config.onCall(event);
    } catch {
      // An observer is for logs and metrics; its failure must not turn BBB's answer into an error.
    }
  }

  function signedUrl(name: string, params: QueryParams): string {
    return `${apiBase}${name}?${signQuery(name, params, secret, algorithm)}`;
  }

  // Methods that validate their input are async, so that a refused metadata key arrives as a rejection like any failure.
  return {
    async create(params: CreateMeetingParams) {
      const query: QueryParams = [
        ['name', params.name],
        ['meetingID', params.meetingID],
        ['attendeePW', params.attendeePW],
        ['moderatorPW', params.moderatorPW],
        ['maxParticipants', optionalString(params.maxParticipants)],
        ['logoutURL', params.logoutURL],
        ['record', optionalString(params.record)],
        ['welcome', params.welcome],
        ...createOptions(params),
        ...metaParams(params.meta),
      ];
      // With both passwords, BBB answers a repeated create for a running meeting with duplicateWarning and the same
      // meeting, so a retry after a lost answer is harmless. Without them, servers before PR #17937 (2.6) answer
      // idNotUnique, and with only one of them every server does (bbb-api.md §2.3), so such a create is sent once.
      const retryable = Boolean(params.attendeePW) && Boolean(params.moderatorPW);
      const body =
        params.presentations && params.presentations.length > 0 ? presentationModules(params.presentations) : undefined;
      return call('create', signedUrl('create', query), retryable, toCreateMeetingResult, body);
    },

    getMeetingInfo(meetingID: string) {
      return call('getMeetingInfo', signedUrl('getMeetingInfo', [['meetingID', meetingID]]), true, toMeetingInfo);
    },

    isMeetingRunning(meetingID: string) {
      return call('isMeetingRunning', signedUrl('isMeetingRunning', [['meetingID', meetingID]]), true, (root, ctx) =>
        toFlag(root, 'running', ctx),
      );
    },

    // Not retried: if the first end was executed and its answer lost, the repeat answers notFound for a meeting that
    // was in fact ended, which would be reported as a failure.
    async end(meetingID: string) {
      await call('end', signedUrl('end', [['meetingID', meetingID]]), false, () => undefined);
    },

    getMeetings() {
      return call('getMeetings', signedUrl('getMeetings', []), true, toMeetingList);
    },

    async getRecordings(params: GetRecordingsParams = {}) {
      const query: QueryParams = [
        ['meetingID', commaList(params.meetingID)],
        ['recordID', commaList(params.recordID)],
        ['state', commaList(params.state)],
        ...metaParams(params.meta),
        ['offset', optionalString(params.offset)],
        ['limit', optionalString(params.limit)],
      ];
      return call('getRecordings', signedUrl('getRecordings', query), true, toRecordingList);
    },

    // Publishing to the same state twice gives the same result, so a repeat is safe.
    publishRecordings(recordIDs: string[], publish: boolean) {
      const query: QueryParams = [
        ['recordID', recordIDs.join(',')],
        ['publish', String(publish)],
      ];
      return call('publishRecordings', signedUrl('publishRecordings', query), true, (root, ctx) =>
        toFlag(root, 'published', ctx),
      );
    },

    // Not retried, like end: a repeat after a lost answer gives notFound for recordings that were deleted.
    deleteRecordings(recordIDs: string[]) {
      const query: QueryParams = [['recordID', recordIDs.join(',')]];
      return call('deleteRecordings', signedUrl('deleteRecordings', query), false, (root, ctx) =>
        toFlag(root, 'deleted', ctx),
      );
    },

    // Setting the same metadata twice gives the same result, so a repeat is safe.
    async updateRecordings(recordIDs: string[], meta: Record<string, string>) {
      const query: QueryParams = [['recordID', recordIDs.join(',')], ...metaParams(meta)];
      return call('updateRecordings', signedUrl('updateRecordings', query), true, (root, ctx) =>
        toFlag(root, 'updated', ctx),
      );
    },

    apiVersion() {
      // The API root carries no checksum; bbb-web serves it at `/bigbluebutton/api`, without the trailing slash.
      return call('apiVersion', apiBase.slice(0, -1), true, toApiVersion);
    },

    // Neither is retried: a repeat after a lost answer would upload the slides or post the message twice.
    async insertDocument(meetingID: string, documents: PresentationDocument[]) {
      const url = signedUrl('insertDocument', [['meetingID', meetingID]]);
      await call('insertDocument', url, false, () => undefined, presentationModules(documents));
    },

    async sendChatMessage(meetingID: string, message: string, userName?: string) {
      const query: QueryParams = [
        ['meetingID', meetingID],
        ['message', message],
        ['userName', userName],
      ];
      await call('sendChatMessage', signedUrl('sendChatMessage', query), false, () => undefined);
    },

    joinUrl(params: JoinUrlParams) {
      const query: QueryParams = [
        ['fullName', params.fullName],
        ['meetingID', params.meetingID],
        ['role', params.role],
        ['createTime', params.createTime],
        ['userID', params.userID],
        ['avatarURL', params.avatarURL],
        ['guest', params.guest === true ? 'true' : undefined],
        ['password', params.password],
        ['redirect', optionalString(params.redirect)],
        ['errorRedirectUrl', params.errorRedirectUrl],
        ['enforceLayout', params.enforceLayout],
        ['excludeFromDashboard', optionalString(params.excludeFromDashboard)],
        ...(params.userdata ?? []).map(([key, value]): [string, string] => {
          if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key))
            throw new RangeError(`The userdata key "${key}" cannot be sent to BigBlueButton.`);
          return [`userdata-${key}`, value];
        }),
      ];
      return signedUrl('join', query);
    },
  };
}

function resolveOptions(options: BbbClientOptions): ResolvedOptions {
  const problems: string[] = [];
  let endpoint = { apiBase: '', origin: '' };
  try {
    endpoint = normaliseBaseUrl(options.baseUrl);
  } catch (err) {
    problems.push((err as Error).message);
  }
  // Whitespace copied along with `bbb-conf --secret` output breaks every checksum (#7630).
  const secret = options.secret.trim();
  if (secret === '') problems.push('The BigBlueButton shared secret is empty; `bbb-conf --secret` prints it.');
  const algorithm = options.algorithm ?? DEFAULT_ALGORITHM;
  if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    problems.push(`The checksum algorithm must be one of ${CHECKSUM_ALGORITHMS.join(', ')}.`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    problems.push('timeoutMs must be a positive whole number of milliseconds.');
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0) problems.push('retries must be a whole number, 0 or more.');
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes <= 0)
    problems.push('maxResponseBytes must be a positive whole number of bytes.');
  if (problems.length > 0) throw new Error(`The BBB client cannot be built: ${problems.join(' ')}`);
  return Object.freeze({
    ...endpoint,
    secret,
    algorithm,
    timeoutMs,
    retries,
    maxResponseBytes,
    onCall: options.onCall,
    callContext: options.callContext,
  });
}

function retryDelay({ attemptCount, retryAfter, computedValue }: RetryObject): number {
  // A Retry-After that fits in the timeout has already been turned into computedValue by got.
  if (retryAfter !== undefined) return computedValue;
  return Math.min(RETRY_BASE_DELAY_MS * 2 ** (attemptCount - 1), RETRY_MAX_DELAY_MS) + Math.random() * RETRY_JITTER_MS;
}

function sanitizedCause(err: unknown): { name: string; code?: string } {
  if (err instanceof RequestError) return { name: err.name, code: err.code };
  return { name: err instanceof Error ? err.name : typeof err };
}

// Names create sets itself; an option may not repeat them (a repeated name makes BBB read the first one only).
const OWN_CREATE_PARAMS = new Set([
  'name',
  'meetingID',
  'attendeePW',
  'moderatorPW',
  'maxParticipants',
  'logoutURL',
  'record',
  'welcome',
  'checksum',
]);

function createOptions(params: CreateMeetingParams): Array<[string, string]> {
  const own = new Set(OWN_CREATE_PARAMS);
  // The optional typed fields may come as options instead.
  if (params.record === undefined) own.delete('record');
  if (params.welcome === undefined) own.delete('welcome');
  if (params.maxParticipants === undefined) own.delete('maxParticipants');
  if (params.logoutURL === undefined) own.delete('logoutURL');
  return (params.options ?? []).map(([name, value]): [string, string] => {
    if (own.has(name) || name.startsWith('meta_'))
      throw new RangeError(`The create option "${name}" cannot be sent as an option.`);
    return [name, value];
  });
}

// XML 1.0 forbids these characters even escaped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** An attribute value: the five XML specials escaped, so `&` in a URL's query arrives as `&`. */
function xmlAttr(value: string): string {
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** BBB's presentation module: `<modules><module name="presentation"><document url=… filename=…/></module></modules>`. */
function presentationModules(documents: PresentationDocument[]): string {
  const docs = documents.map((d) => {
    const attrs: Array<[string, string]> = [['url', d.url]];
    if (d.filename !== undefined) attrs.push(['filename', d.filename]);
    if (d.downloadable !== undefined) attrs.push(['downloadable', String(d.downloadable)]);
    if (d.current !== undefined) attrs.push(['current', String(d.current)]);
    return `<document ${attrs.map(([k, v]) => `${k}="${xmlAttr(v)}"`).join(' ')}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><modules><module name="presentation">${docs.join('')}</module></modules>`;
}

function metaParams(meta: Record<string, string> | undefined): Array<[string, string]> {
  if (meta === undefined) return [];
  return Object.entries(meta).map(([key, value]): [string, string] => {
    if (!META_KEY_PATTERN.test(key)) {
      throw new RangeError(
        `The metadata key "${key}" cannot be sent to BigBlueButton: keys must match [a-zA-Z][a-zA-Z0-9-]*.`,
      );
    }
    return [`meta_${key}`, value];
  });
}

function commaList(values: string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values.join(',');
}

function optionalString(value: number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
