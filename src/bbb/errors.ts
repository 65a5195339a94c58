/**
 * Every error the BBB adapter throws, under one root. Messages are whole sentences that name the call and the
 * server's origin, never the query string, the shared secret or a checksum value.
 */

export type BbbErrorCode = 'BBB_FAILED' | 'BBB_NOT_FOUND' | 'BBB_MISCONFIGURED' | 'BBB_PROTOCOL' | 'BBB_UNAVAILABLE';

export abstract class BbbError extends Error {
  abstract readonly code: BbbErrorCode;
  /** API call name, e.g. `create`. */
  readonly call: string;

  constructor(call: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.call = call;
  }
}

/** BBB answered `returncode` FAILED; `messageKey` is the contract, `bbbMessage` is for humans. */
export class BbbFailedError extends BbbError {
  override readonly name: string = 'BbbFailedError';
  readonly code: BbbErrorCode = 'BBB_FAILED';
  constructor(
    call: string,
    readonly messageKey: string,
    readonly bbbMessage: string,
  ) {
    super(call, `BigBlueButton refused ${call}: ${messageKey}${bbbMessage ? ` (${bbbMessage})` : ''}.`);
  }
}

/** The meeting or recordings do not exist (`notFound`, `invalidMeetingIdentifier`, or 2.4's `validationError` "does not exist"). */
export class BbbNotFoundError extends BbbFailedError {
  override readonly name = 'BbbNotFoundError';
  override readonly code = 'BBB_NOT_FOUND';
}

/** BBB rejected the checksum: the shared secret or the algorithm does not match the server's configuration. */
export class BbbMisconfiguredError extends BbbFailedError {
  override readonly name = 'BbbMisconfiguredError';
  override readonly code = 'BBB_MISCONFIGURED';
}

/** BBB answered, but not with a usable API response (HTTP 5xx, HTML, empty or non-XML body). */
export class BbbProtocolError extends BbbError {
  override readonly name = 'BbbProtocolError';
  readonly code = 'BBB_PROTOCOL';
  constructor(
    call: string,
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(call, message, options);
  }
}

/** No answer from BBB: connection refused or reset, DNS failure, or timeout (`timedOut`). */
export class BbbUnavailableError extends BbbError {
  override readonly name = 'BbbUnavailableError';
  readonly code = 'BBB_UNAVAILABLE';
  constructor(
    call: string,
    message: string,
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(call, message, options);
  }
}
