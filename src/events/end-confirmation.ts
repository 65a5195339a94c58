import { BbbNotFoundError } from '../bbb/errors.js';
import type { BbbClient } from '../bbb/types.js';
import type { CallbackClaims } from './callback-token.js';

/**
 * How far BBB's clock (createTime) may lag the gateway's (the token's issue time) before a running meeting of the same ID
 * counts as an older session rather than the token's. Generous: the gateway's meeting IDs are random, so an older session
 * of one practically never exists, and a small value would let a slow BBB clock turn a leaked URL into a false end.
 */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Whether the session an end-callback token names has really ended, as BBB tells it: BBB's end callbacks are unsigned (the
 * token proves only that the gateway minted the URL), so a leaked URL could otherwise announce an end that has not happened.
 * Ended: BBB no longer knows the meeting; or it reports it ended (endTime set, or forcibly ended); or the meeting of that ID
 * it reports began before the token was issued (an older session: the token's is not running). Throws when BBB cannot be
 * asked (the callback then answers 503, and BBB tries again).
 */
export async function sessionHasEnded(
  bbb: Pick<BbbClient, 'getMeetingInfo'>,
  claims: Pick<CallbackClaims, 'meetingId' | 'issuedAtMs'>,
): Promise<boolean> {
  let info;
  try {
    info = await bbb.getMeetingInfo(claims.meetingId);
  } catch (err) {
    if (err instanceof BbbNotFoundError) return true;
    throw err;
  }
  if (info.hasBeenForciblyEnded || (info.endTime !== '' && info.endTime !== '0')) return true;
  const createTime = Number(info.createTime);
  return Number.isFinite(createTime) && createTime < claims.issuedAtMs - CLOCK_SKEW_MS;
}
