import * as crypto from 'node:crypto';
import type { ChecksumAlgorithm } from './types.js';

/** Query parameters in the order they go on the wire; an undefined value means "do not send". */
export type QueryParams =
  ReadonlyArray<readonly [string, string | undefined]> | Readonly<Record<string, string | undefined>>;

// encodeURIComponent leaves these five alone, but browsers and the BBB 2.4 betas re-encode them, and a re-encoded byte
// no longer matches the checksum (bbb-api.md §1.5, mconf/bigbluebutton-api-js#2).
const SUB_DELIMS: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

// A lone UTF-16 surrogate (legal in JSON input) makes encodeURIComponent throw; U+FFFD is what node:crypto's UTF-8
// conversion and every browser substitute for it, so the adapter does the same instead of failing the call.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Characters every encoder leaves as they are; IDs, roles, times and most passwords consist of nothing else.
const UNRESERVED_ONLY = /^[A-Za-z0-9_.~-]*$/;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

// What each ASCII character becomes: itself when unreserved, `+` for a space, else %XX (uppercase, as encodeURIComponent
// writes it, and `!'()*` too): the same as the passes below give for it.
const ASCII_ENCODED: readonly string[] = Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  if (UNRESERVED_ONLY.test(char)) return char;
  return code === 0x20 ? '+' : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
});

function encodeComponent(value: string): string {
  // Signing runs on every join; skipping the three passes for strings that need no escaping halves its cost.
  if (UNRESERVED_ONLY.test(value)) return value;
  // An ASCII value (a display name, mostly) by table: encodeURIComponent and two replace passes on a fresh string cost a
  // REST join about 6 µs of self time in the server's profile, the table 0.7 (bench/README.md).
  let encoded = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) return encodeUtf8Component(value);
    encoded += ASCII_ENCODED[code];
  }
  return encoded;
}

function encodeUtf8Component(value: string): string {
  const wellFormed = ANY_SURROGATE.test(value) ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
  return encodeURIComponent(wellFormed)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => SUB_DELIMS[c] as string);
}

/**
 * Percent-encodes parameters as UTF-8 the way the PHP BBB library does (RFC 3986, space as `+`, `!'()*` escaped),
 * keeping their order and skipping undefined values; the result is the exact string that is hashed and sent.
 */
export function encodeQuery(params: QueryParams): string {
  const pairs: ReadonlyArray<readonly [string, string | undefined]> = isPairList(params)
    ? params
    : Object.entries(params);
  const parts: string[] = [];
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    parts.push(`${encodeComponent(name)}=${encodeComponent(value)}`);
  }
  return parts.join('&');
}

function isPairList(params: QueryParams): params is ReadonlyArray<readonly [string, string | undefined]> {
  return Array.isArray(params);
}

// A namespace lookup rather than a named import, which would fail to link on Node 20.11.
const ONE_SHOT_HASH: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** Lowercase hex of H(call + query + secret), the checksum BBB expects; `query` must be the encoded string as sent. */
export function checksum(call: string, query: string, secret: string, algorithm: ChecksumAlgorithm): string {
  const input = call + query + secret;
  // crypto.hash (Node 20.12+) is the one-shot form of the same digest, about twice as fast for short inputs.
  return ONE_SHOT_HASH
    ? ONE_SHOT_HASH(algorithm, input, 'hex')
    : crypto.createHash(algorithm).update(input, 'utf8').digest('hex');
}

/**
 * Returns the query string to send for `call`, with `checksum=<hex>` appended; the caller's params are not modified, and
 * the string must go on the wire byte for byte because BBB hashes the raw query without decoding it.
 */
export function signQuery(call: string, params: QueryParams, secret: string, algorithm: ChecksumAlgorithm): string {
  const query = encodeQuery(params);
  const sum = checksum(call, query, secret, algorithm);
  return query === '' ? `checksum=${sum}` : `${query}&checksum=${sum}`;
}
