import {
  BbbError,
  BbbFailedError,
  BbbMisconfiguredError,
  BbbNotFoundError,
  BbbProtocolError,
  BbbUnavailableError,
} from './bbb/errors.js';

/**
 * The one table of error codes the gateway answers with, and the HTTP status each stands for. GraphQL puts the code in
 * `extensions.code` and the status in `extensions.http`; the REST shim answers `{"message"}` with the status.
 */
const ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  BBB_ERROR: 502,
  BBB_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const MASKED_INTERNAL_MESSAGE =
  'Something went wrong inside the gateway; the error was logged with this request id.';

/** A failure the caller can act on. Not a GraphQLError: the service layer stays transport-agnostic. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status ?? ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly retryAfterSeconds: number | undefined;
}

export function badInput(message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message);
}

export function meetingNotFound(): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    'No running meeting has that meetingId for this application; it may have ended, expired, or never existed.',
  );
}

/**
 * Maps anything thrown below the transports onto the table. BBB errors keep their (secret-free) sentence; anything
 * unexpected becomes INTERNAL_SERVER_ERROR with a masked message, the original kept only as `cause` for the log.
 */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof BbbNotFoundError) return meetingNotFound();
  if (err instanceof BbbMisconfiguredError) {
    return new GatewayError(
      'BBB_ERROR',
      "BigBlueButton rejected the gateway's checksum: the operator must check BBB_SECRET and BBB_CHECKSUM_ALGORITHM against the server (bbb-conf --secret).",
      { cause: err },
    );
  }
  if (err instanceof BbbUnavailableError) {
    return new GatewayError(
      'BBB_UNAVAILABLE',
      err.timedOut
        ? 'BigBlueButton did not answer in time; try again in a moment.'
        : 'BigBlueButton cannot be reached right now; try again in a moment.',
      { cause: err, status: err.timedOut ? 504 : 503 },
    );
  }
  if (err instanceof BbbProtocolError) {
    return new GatewayError(
      'BBB_ERROR',
      'BigBlueButton answered with something the gateway cannot use; the operator should check the server.',
      { cause: err },
    );
  }
  if (err instanceof BbbFailedError) {
    return new GatewayError('BBB_ERROR', refusalMessage(err), { cause: err });
  }
  if (err instanceof BbbError) {
    return new GatewayError('BBB_ERROR', err.message, { cause: err });
  }
  return new GatewayError('INTERNAL_SERVER_ERROR', MASKED_INTERNAL_MESSAGE, { cause: err });
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

// A messageKey is a camelCase word in every BBB version; anything else is not echoed either.
const MESSAGE_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

/**
 * A FAILED answer as the gateway words it: BBB's `message` may echo the server's configuration (paths, URLs, settings),
 * so only the call, the messageKey and a sentence written here reach the caller.
 */
function refusalMessage(err: BbbFailedError): string {
  const key = MESSAGE_KEY.test(err.messageKey) ? err.messageKey : 'unknownError';
  const known = Object.hasOwn(BBB_REFUSALS, key) ? ` ${BBB_REFUSALS[key]}` : '';
  return `BigBlueButton refused ${err.call} (${key}).${known} BigBlueButton's own message is in the gateway's log under this request id.`;
}
