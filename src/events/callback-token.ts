import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../secrets.js';
import { hmacSha256 } from './signing.js';

/**
 * Tokens in the callback URLs the gateway registers on BBB (events.md §5.2): they name the app, the meeting, the kind of
 * callback and a nonce, signed with HMAC-SHA256, so any replica can check them and nothing is stored. The gateway never
 * trusts the meetingID that BBB or a balancer appends; the token's is the one that counts.
 */

export type CallbackKind = 'ended' | 'recording-ready' | 'analytics';

export interface CallbackClaims {
  readonly kind: CallbackKind;
  readonly app: string;
  /** The meeting ID as the gateway sent it to BBB. */
  readonly meetingId: string;
  /** Tells apart two sessions that reuse a meeting ID; part of the event IDs. */
  readonly nonce: string;
  /** Whether the meeting was created with record=true: after its end the gateway polls for the recording. */
  readonly record?: boolean;
  /**
   * When the token was minted (unix ms), just before the create call: the session's BBB createTime is not earlier, which
   * is how the end callback's confirmation tells this session from an older one of the same meeting ID; and the token
   * expires CALLBACK_TOKEN_MAX_AGE_MS later. A token without it is refused (none was ever released without it).
   */
  readonly issuedAtMs: number;
}

/**
 * How long a callback token verifies after it was minted: 30 days. A session's last callback comes after its meeting
 * (hours; BBB ends a meeting once its last user left), BBB's retries of the end callback (minutes), then recording
 * processing (hours, days on a backlogged server) for recording-ready and the analytics callback. Past it a leaked URL cannot be replayed, well after the 7 days the delivery
 * log and the queues' deduplication remember an event id, so a replay never makes a second event under an id receivers
 * have forgotten.
 */
export const CALLBACK_TOKEN_MAX_AGE_MS = 30 * 86_400_000;

/** A key for callback tokens only, derived from the operator's key so it differs from every app's webhook secret. */
export function callbackKeyFrom(operatorKey: string): Buffer {
  return hmacSha256(operatorKey, 'bbb-interface|callback-token|v1');
}

export function newNonce(): string {
  return randomBytes(8).toString('base64url');
}

/** `base64url(JSON) "." base64url(HMAC)`: URL-safe, so it fits in a path segment. */
export function mintCallbackToken(key: Uint8Array, claims: CallbackClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      k: claims.kind,
      a: claims.app,
      m: claims.meetingId,
      n: claims.nonce,
      ...(claims.record ? { r: 1 } : {}),
      t: claims.issuedAtMs,
    }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${hmacSha256(key, payload).toString('base64url')}`;
}

/**
 * The claims of a token this gateway minted for `kind`, or `undefined` for anything else (tampered, other kind, garbage,
 * older than CALLBACK_TOKEN_MAX_AGE_MS at `nowMs`, without its issue time). `keys`: the current key first, then the
 * previous ones (WEBHOOK_SIGNING_KEY_PREVIOUS), so a key rotation does not break the tokens live meetings carry; new tokens
 * are minted with the current key only.
 */
export function verifyCallbackToken(
  keys: Uint8Array | readonly Uint8Array[],
  token: string,
  kind: CallbackKind,
  nowMs = Date.now(),
): CallbackClaims | undefined {
  if (token.length > 2048) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const matches = (key: Uint8Array) => constantTimeEqual(given, hmacSha256(key, payload));
  if (!(keys instanceof Uint8Array ? [keys] : keys).some(matches)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const c = claims as { v?: unknown; k?: unknown; a?: unknown; m?: unknown; n?: unknown; r?: unknown; t?: unknown };
  if (c.v !== 1 || c.k !== kind || typeof c.a !== 'string' || typeof c.m !== 'string' || typeof c.n !== 'string')
    return undefined;
  if (typeof c.t !== 'number' || !Number.isSafeInteger(c.t) || nowMs - c.t > CALLBACK_TOKEN_MAX_AGE_MS)
    return undefined;
  return { kind, app: c.a, meetingId: c.m, nonce: c.n, ...(c.r === 1 ? { record: true } : {}), issuedAtMs: c.t };
}

/**
 * Deterministic event IDs: the same facts give the same ID, so BBB's retries, a balancer's duplicates and a replayed URL
 * collapse into one event (the queues drop an ID they know). No `:` — BullMQ job IDs may not contain one.
 */
export function eventId(type: string, app: string, meetingId: string, nonce: string, extra = ''): string {
  return `evt_${hmacSha256('bbb-interface|event-id', JSON.stringify([type, app, meetingId, nonce, extra]))
    .subarray(0, 16)
    .toString('hex')}`;
}
