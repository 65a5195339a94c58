import * as crypto from 'node:crypto';

/**
 * Hashing and comparing secrets (API tokens, the metrics token, meeting passwords, callback signatures): the one place
 * that does it, so every comparison is constant-time the same way.
 */

// crypto.hash (Node 20.12+) is the one-shot form, about twice as fast for short inputs; a namespace lookup rather than
// a named import, which would fail to link on Node 20.11. Every request hashes its token, every join a password.
const ONE_SHOT_HASH: ((algorithm: string, data: string | Uint8Array, encoding: 'binary') => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

/**
 * SHA-256 of a text (UTF-8) or of bytes. The Buffer may be a slice of Node's shared 8 KB pool: one kept for long (in a
 * cache) should be copied into bytes of its own (`new Uint8Array(digest)`), or it keeps the whole pool alive.
 */
export function sha256(data: string | Uint8Array): Buffer {
  // The digest as a 'binary' (latin1) string, one char per byte, made into a Buffer; not crypto.hash's 'buffer'
  // output, which gets an ArrayBuffer of its own for the GC to track, while Buffer.from of 32 bytes takes a slice of
  // Node's shared pool. A REST join's two hashes: 49 → 26 units in the server's profile (bench/README.md).
  return ONE_SHOT_HASH
    ? Buffer.from(ONE_SHOT_HASH('sha256', data, 'binary'), 'binary')
    : typeof data === 'string'
      ? crypto.createHash('sha256').update(data, 'utf8').digest()
      : crypto.createHash('sha256').update(data).digest();
}

/** SHA-256 of a text as lowercase hex: names derived from values that must not show (URLs, sessions) in Redis keys. */
export function sha256Hex(text: string): string {
  return sha256(text).toString('hex');
}

/** Whether two byte strings are equal, in time that depends only on their length; false when the lengths differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Whether a presented secret is the one whose sha256 is `digest`: hashed first, so the comparison is between two
 * 32-byte digests and its time says nothing about the secret, not even its length.
 */
export function matchesDigest(presented: string, digest: Uint8Array): boolean {
  return constantTimeEqual(sha256(presented), digest);
}
