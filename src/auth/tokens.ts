import { constantTimeEqual, sha256 } from '../secrets.js';

/** One calling application: its name travels in the request context and tags the meetings it creates. */
export interface TokenEntry {
  readonly name: string;
  /** sha256 of the token; clear-text tokens are hashed on load so both forms compare the same way. */
  readonly sha256: Buffer;
}

/** App names go into BBB metadata and logs, so they are kept to a safe alphabet. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MIN_TOKEN_LENGTH = 16;

/**
 * Parses `API_TOKENS`: comma-separated `name:token` or `name:sha256:<64 hex>` pairs. Problems are returned, never the
 * tokens themselves, so they can be shown to an operator without leaking anything.
 */
export function parseTokenList(text: string): { tokens: TokenEntry[]; problems: string[] } {
  const tokens: TokenEntry[] = [];
  const problems: string[] = [];
  const entries = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push('no name:token pair given');
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      problems.push(`${where} is not of the form name:token`);
      return;
    }
    const name = entry.slice(0, colon);
    const rest = entry.slice(colon + 1);
    if (!NAME.test(name)) {
      problems.push(
        `${where}: the name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
      return;
    }
    if (tokens.some((t) => t.name === name)) {
      problems.push(`${where}: the name "${name}" is used twice`);
      return;
    }
    const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(rest);
    if (rest.startsWith('sha256:') && !hashed) {
      problems.push(`${where} ("${name}"): a hashed token must be sha256: followed by 64 hex digits`);
      return;
    }
    if (!hashed && rest.length < MIN_TOKEN_LENGTH) {
      problems.push(`${where} ("${name}"): the token must be at least ${MIN_TOKEN_LENGTH} characters`);
      return;
    }
    const digest = hashed ? Buffer.from(hashed[1]!, 'hex') : sha256(rest);
    if (tokens.some((t) => constantTimeEqual(t.sha256, digest))) {
      problems.push(`${where} ("${name}"): the same token is already given to another name`);
      return;
    }
    tokens.push({ name, sha256: digest });
  });
  return { tokens, problems };
}

/**
 * Finds the app a presented token belongs to. The token is hashed first so every comparison is between two 32-byte
 * digests with timingSafeEqual, and every entry is compared, so timing says nothing about which one matched.
 */
export function findApp(tokens: readonly TokenEntry[], presented: string): string | undefined {
  const digest = sha256(presented);
  let match: string | undefined;
  for (const t of tokens) if (constantTimeEqual(t.sha256, digest) && match === undefined) match = t.name;
  return match;
}

/** Reads the token from `Authorization: <token>` (the legacy contract) or `Authorization: Bearer <token>`. */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(value);
  return bearer ? bearer[1]!.trim() : value;
}
