import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { sha256, sha256Hex } from '../../src/secrets.js';

describe('hashing (src/secrets.ts)', () => {
  it('gives the digests node:crypto gives, for text (UTF-8) and bytes: the Redis key names and token kids derived from them stay the same', () => {
    // FIPS 180-2's "abc" vector, then a non-ASCII text and raw bytes against createHash.
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('https://lms.example/hooks?ü')).toBe(
      createHash('sha256').update('https://lms.example/hooks?ü', 'utf8').digest('hex'),
    );
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(sha256(bytes).equals(createHash('sha256').update(bytes).digest())).toBe(true);
  });
});
