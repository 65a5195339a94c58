/**
 * Checksum verification, written independently of the adapter's signing code on purpose: a signing bug there must not be
 * able to pass its own test here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChecksumAlgorithm } from '../bbb/types.js';

const BY_HEX_LENGTH: Record<number, ChecksumAlgorithm> = { 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

export interface ChecksumPolicy {
  secret: string;
  algorithms: readonly ChecksumAlgorithm[];
  /** Scalelite compares with `secure_compare`; BBB with `equalsIgnoreCase`. */
  caseSensitive: boolean;
}

/** Every raw value of `checksum` in the query, undecoded. */
function checksumValues(rawQuery: string): string[] {
  const values: string[] = [];
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (name === 'checksum') values.push(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return values;
}

/**
 * The three literal replaces of BBB's GetChecksum (Java `String.replace` replaces every occurrence). The server never
 * decodes before hashing, so any encoding the client chose is fine as long as it hashed the bytes it sent.
 */
export function stripChecksum(rawQuery: string, checksum: string): string {
  return rawQuery
    .split(`&checksum=${checksum}`)
    .join('')
    .split(`checksum=${checksum}&`)
    .join('')
    .split(`checksum=${checksum}`)
    .join('');
}

export function isChecksumValid(call: string, rawQuery: string, policy: ChecksumPolicy): boolean {
  // BBB with an empty securitySalt logs a warning and checks nothing.
  if (policy.secret === '') return true;
  const values = checksumValues(rawQuery);
  if (values.length !== 1) return false;
  const given = values[0]!;
  const algorithm = BY_HEX_LENGTH[given.length];
  if (!algorithm || !policy.algorithms.includes(algorithm)) return false;
  const query = stripChecksum(rawQuery, given);
  // Node hands the request line over as latin1, so this recovers the exact bytes the client hashed.
  const expected = createHash(algorithm)
    .update(
      Buffer.concat([Buffer.from(call, 'utf8'), Buffer.from(query, 'latin1'), Buffer.from(policy.secret, 'utf8')]),
    )
    .digest('hex');
  const a = Buffer.from(policy.caseSensitive ? given : given.toLowerCase(), 'latin1');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
