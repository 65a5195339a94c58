import {
  BbbError,
  BbbFailedError,
  BbbMisconfiguredError,
  BbbNotFoundError,
  BbbProtocolError,
  BbbUnavailableError,
} from './bbb/errors.js';
import { isRecordingCall, safeMessageKey } from './bbb/rules.js';

/**
 * The one error path of the gateway. Whatever is thrown below the transports (a GatewayError, a BBB adapter error,
 * fastify's own errors, a bug) is turned into one ErrorAnswer here, from the one table below; the REST error handler,
 * the GraphQL mapping, the auth and limits plugins and Apollo's formatError only put that answer on the wire.
 */

/**
 * The one table: every kind of failure, the HTTP status it stands for, the code the caller reads (its own name unless
 * `code` says otherwise) and the headers it carries. GraphQL puts the code in `extensions.code`; the REST shim answers
 * `{"message"}` with the status. The README's error table is checked against it (test/ops/docs.test.ts).
 */
export const ERROR_TABLE = {
  BAD_USER_INPUT: { status: 400 },
  UNAUTHENTICATED: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  CONFLICT: { status: 409 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  RATE_LIMITED: { status: 429 },
  // A subscription limit (connections per app or access token on this replica, subscriptions per connection).
  LIMIT_EXCEEDED: { status: 429 },
  // A GET /graphql that asks for a WebSocket but is no upgrade the gateway can take.
  UPGRADE_REQUIRED: { status: 426, headers: { upgrade: 'websocket' } },
  INTERNAL_SERVER_ERROR: { status: 500 },
  BBB_ERROR: { status: 502 },
  BBB_UNAVAILABLE: { status: 503 },
  // BBB did not answer within BBB_TIMEOUT_MS: the same code as unreachable, the gateway-timeout status.
  BBB_TIMEOUT: { status: 504, code: 'BBB_UNAVAILABLE' },
  SHUTTING_DOWN: { status: 503 },
  // A GraphQL operation over one of the gateway's limits, under Apollo's code for an invalid document (graphql/limits.ts).
  GRAPHQL_VALIDATION_FAILED: { status: 400, graphqlOnly: true },
  // Not GraphQL at all (Apollo's code), as the subscription transports parse documents themselves.
  GRAPHQL_PARSE_FAILED: { status: 400, graphqlOnly: true },
} as const satisfies Record<string, ErrorRow>;

interface ErrorRow {
  status: number;
  code?: string;
  headers?: Readonly<Record<string, string>>;
  /** Only GraphQL answers it (documented with Apollo's own request errors, not in the error table). */
  graphqlOnly?: boolean;
}

export type ErrorKind = keyof typeof ERROR_TABLE;
type Row = (typeof ERROR_TABLE)[ErrorKind];
/** What `extensions.code` says: the kind's name, or the code its row gives. */
export type ErrorCode = { [K in ErrorKind]: (typeof ERROR_TABLE)[K] extends { code: infer C } ? C : K }[ErrorKind];

/** Codes of failures that are not the caller's (a 5xx status): their message is no help in the request line. */
export const SERVER_SIDE_CODES: ReadonlySet<string> = new Set(
  (Object.keys(ERROR_TABLE) as ErrorKind[]).flatMap((kind): string[] => {
    const row: Row = ERROR_TABLE[kind];
    return row.status < 500 ? [] : ['code' in row ? row.code : kind];
  }),
);

const MASKED_INTERNAL_MESSAGE = 'Something went wrong inside the gateway; the error was logged with this request id.';

/** One field a validation failure names, in the caller's spelling (`attendee_pass` on REST): a form shows it there. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A failure the caller can act on. Not a GraphQLError: the service layer stays transport-agnostic. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  /** Every failing field of a validation failure; the message names them all too. */
  readonly fields: readonly FieldProblem[] | undefined;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; fields?: readonly FieldProblem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const row: Row = ERROR_TABLE[kind];
    this.code = ('code' in row ? row.code : kind) as ErrorCode;
    this.status = row.status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.fields = options?.fields;
  }
}

export function badInput(message: string, fields?: readonly FieldProblem[]): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, fields === undefined ? undefined : { fields });
}

export function meetingNotFound(): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    'No running meeting has that meetingId for this application; it may have ended, expired, or never existed.',
  );
}

/** A recording that does not exist and another application's recording get this same answer, so IDs cannot be probed. */
export function recordingNotFound(recordId?: string): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    recordId === undefined
      ? 'One of the recordings does not exist for this application; it may have been deleted, or never existed.'
      : `No recording with recordId "${recordId}" exists for this application; it may have been deleted, or never existed.`,
  );
}

/** What the caller is answered: the code, the status, the headers to send, and a message that is safe to show. */
export interface ErrorAnswer {
  code: ErrorCode;
  status: number;
  headers: Readonly<Record<string, string>>;
  message: string;
  fields: readonly FieldProblem[] | undefined;
  retryAfterSeconds: number | undefined;
  /** A failure of the gateway or of BBB, not of the caller: logged at error level with `cause`. */
  serverSide: boolean;
  /** What to log (the original error); never sent. */
  cause: unknown;
}

/**
 * Where the error was caught. Only the HTTP layer (the REST error handler) sees fastify's own errors (body parsing, its
 * 4xx); below it, in a resolver, an error that looks like one is a bug like any other, and is masked.
 */
export interface ErrorContext {
  http?: {
    /** BODY_LIMIT_BYTES, named in the PAYLOAD_TOO_LARGE message. */
    bodyLimitBytes: number;
  };
}

/** Turns anything thrown into the answer the caller gets. The one place that maps, masks and picks headers. */
export function errorAnswer(thrown: unknown, context: ErrorContext = {}): ErrorAnswer {
  const err = toGatewayError(thrown, context);
  const row: Row = ERROR_TABLE[err.kind];
  const headers: Record<string, string> = { ...('headers' in row ? row.headers : {}) };
  if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
  return {
    code: err.code,
    status: err.status,
    headers,
    message: publicMessage(err.code, err.message),
    fields: err.fields,
    retryAfterSeconds: err.retryAfterSeconds,
    serverSide: err.status >= 500 && err.kind !== 'SHUTTING_DOWN',
    cause: err.cause ?? err,
  };
}

/** The message a caller may read under this code: an internal error's own text never leaves the gateway. */
export function publicMessage(code: unknown, message: string): string {
  return code === 'INTERNAL_SERVER_ERROR' ? MASKED_INTERNAL_MESSAGE : message;
}

/**
 * Maps anything thrown onto the table. BBB errors keep their (secret-free) sentence; anything unexpected becomes
 * INTERNAL_SERVER_ERROR with a masked message, the original kept only as `cause` for the log.
 */
function toGatewayError(err: unknown, context: ErrorContext): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof BbbError) return fromBbbError(err);
  const fastify = context.http && fromFastifyError(err, context.http);
  if (fastify !== undefined) return fastify;
  return new GatewayError('INTERNAL_SERVER_ERROR', MASKED_INTERNAL_MESSAGE, { cause: err });
}

function fromBbbError(err: BbbError): GatewayError {
  // The call says what was not found: a recording call's notFound is about recordings, every other about a meeting.
  if (err instanceof BbbNotFoundError) return isRecordingCall(err.call) ? recordingNotFound() : meetingNotFound();
  if (err instanceof BbbMisconfiguredError) {
    return new GatewayError(
      'BBB_ERROR',
      "BigBlueButton rejected the gateway's checksum: the operator must check BBB_SECRET and BBB_CHECKSUM_ALGORITHM against the server (bbb-conf --secret).",
      { cause: err },
    );
  }
  if (err instanceof BbbUnavailableError) {
    return err.timedOut
      ? new GatewayError('BBB_TIMEOUT', 'BigBlueButton did not answer in time; try again in a moment.', { cause: err })
      : new GatewayError('BBB_UNAVAILABLE', 'BigBlueButton cannot be reached right now; try again in a moment.', {
          cause: err,
        });
  }
  if (err instanceof BbbProtocolError) {
    return new GatewayError(
      'BBB_ERROR',
      'BigBlueButton answered with something the gateway cannot use; the operator should check the server.',
      { cause: err },
    );
  }
  if (err instanceof BbbFailedError) return new GatewayError('BBB_ERROR', refusalMessage(err), { cause: err });
  return new GatewayError('BBB_ERROR', err.message, { cause: err });
}

/** Fastify's own errors (body parsing, limits, its 4xx), by their code and status; undefined for anything else. */
function fromFastifyError(err: unknown, http: { bodyLimitBytes: number }): GatewayError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, statusCode } = err as Error & { code?: unknown; statusCode?: unknown };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the limit of ${http.bodyLimitBytes} bytes.`,
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidJson();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badInput('The request body is empty; send a JSON object.');
    default:
      break;
  }
  if (err instanceof SyntaxError) return invalidJson();
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  // A client error fastify raised with its own status: the table's kind for that status, else invalid input.
  const kind =
    (Object.keys(ERROR_TABLE) as ErrorKind[]).find(
      (k) => ERROR_TABLE[k].status === statusCode && !('code' in ERROR_TABLE[k]) && !('graphqlOnly' in ERROR_TABLE[k]),
    ) ?? 'BAD_USER_INPUT';
  return new GatewayError(kind, err.message.endsWith('.') ? err.message : `${err.message}.`);
}

/**
 * The error handler of a route with a body limit of its own: fastify's body-too-large becomes PAYLOAD_TOO_LARGE naming
 * that limit (the gateway's handler would quote BODY_LIMIT_BYTES); thrown on, so the gateway's handler answers it.
 */
export function ownBodyLimit(what: string, limitBytes: number): (err: unknown) => Promise<never> {
  return async (err) => {
    throw (err as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? new GatewayError('PAYLOAD_TOO_LARGE', `The ${what} is larger than the limit of ${limitBytes} bytes.`)
      : err;
  };
}

/** A request body that is not JSON at all. */
export function invalidJson(): GatewayError {
  return badInput('The request body is not valid JSON.');
}

/** BBB's refusals the gateway explains in its own words; BBB's `message` text is logged, never relayed. */
const BBB_REFUSALS: Readonly<Record<string, string>> = {
  idNotUnique: 'BigBlueButton already has a different meeting with this ID.',
  maxParticipantsReached: 'The meeting has reached its maximum number of participants.',
  guestDeniedAccess: 'BigBlueButton denied the guest access to the meeting.',
  mismatchCreateTimeParam: "The createTime is not the running meeting's; it was ended and created again.",
  invalidPassword: 'BigBlueButton did not accept the password for this meeting.',
  validationError: 'BigBlueButton found a parameter it cannot accept.',
  internalError: 'BigBlueButton failed internally while handling the call.',
};

/**
 * A FAILED answer as the gateway words it: BBB's `message` may echo the server's configuration (paths, URLs, settings),
 * so only the call, the messageKey and a sentence written here reach the caller.
 */
function refusalMessage(err: BbbFailedError): string {
  const key = safeMessageKey(err.messageKey);
  const known = Object.hasOwn(BBB_REFUSALS, key) ? ` ${BBB_REFUSALS[key]}` : '';
  return `BigBlueButton refused ${err.call} (${key}).${known} BigBlueButton's own message is in the gateway's log under this request id.`;
}
