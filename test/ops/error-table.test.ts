import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { BbbNotFoundError, BbbUnavailableError } from '../../src/bbb/errors.js';
import { ERROR_TABLE, errorAnswer, GatewayError, SERVER_SIDE_CODES, type ErrorKind } from '../../src/errors.js';

/** The document that holds the error table (if it moves, change it here only). */
const ERROR_DOC = 'docs/errors.md';

const DOC = readFileSync(ERROR_DOC, 'utf8');
/** The error table: the one whose header is `| code | HTTP | when |`, up to the first line that is not a table row. */
const TABLE = (() => {
  const start = DOC.indexOf('| code | HTTP | when |');
  const lines = DOC.slice(start).split('\n');
  return lines
    .slice(
      0,
      lines.findIndex((l) => !l.startsWith('|')),
    )
    .join('\n');
})();

/** The documented rows: code → the HTTP column as written (`503 / 504`). */
const documented = new Map([...TABLE.matchAll(/^\| `([A-Z_]+)` \| ([^|]+?) \|/gm)].map((m) => [m[1]!, m[2]!]));

/** The one table as the caller sees it: each code the gateway answers with, and its statuses in table order. */
const answered = new Map<string, string>();
const graphqlOnly: string[] = [];
for (const kind of Object.keys(ERROR_TABLE) as ErrorKind[]) {
  const error = new GatewayError(kind, 'x');
  if ('graphqlOnly' in ERROR_TABLE[kind]) {
    graphqlOnly.push(error.code);
    continue;
  }
  const known = answered.get(error.code);
  answered.set(error.code, known === undefined ? String(error.status) : `${known} / ${error.status}`);
}

describe(`${ERROR_DOC} error table`, () => {
  it('is found', () => {
    expect(documented.size).toBeGreaterThan(0);
  });

  it.each([...answered])('has the row %s with HTTP %s', (code, statuses) => {
    expect(documented.get(code)).toBe(statuses);
  });

  it('names no code the gateway does not answer with', () => {
    expect([...documented.keys()].filter((code) => !answered.has(code))).toEqual([]);
  });

  it.each(graphqlOnly)('names the GraphQL-only code %s with the request errors of HTTP 400', (code) => {
    expect(DOC).toContain(`\`${code}\``);
    expect(new GatewayError(code as ErrorKind, 'x').status).toBe(400);
  });

  it('documents the headers the table gives: WWW-Authenticate on UNAUTHENTICATED, Retry-After on RATE_LIMITED', () => {
    expect(errorAnswer(new GatewayError('UNAUTHENTICATED', 'x')).headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(TABLE).toMatch(/^\| `UNAUTHENTICATED` \|.*WWW-Authenticate: Bearer/m);
    const limited = errorAnswer(new GatewayError('RATE_LIMITED', 'x', { retryAfterSeconds: 7 }));
    expect(limited.headers).toEqual({ 'retry-after': '7' });
    expect(TABLE).toMatch(/^\| `RATE_LIMITED` \|.*Retry-After/m);
  });
});

describe('the one error path', () => {
  it("answers BBB's notFound about a recording for a recording call, about a meeting for the others", () => {
    const recording = errorAnswer(
      new BbbNotFoundError('publishRecordings', 'notFound', 'We could not find recordings'),
    );
    expect(recording).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(recording.message).toMatch(/^One of the recordings does not exist/);
    const meeting = errorAnswer(new BbbNotFoundError('end', 'notFound', 'We could not find a meeting'));
    expect(meeting.message).toMatch(/^No running meeting has that meetingId/);
  });

  it('answers a BBB timeout from the table (BBB_TIMEOUT: BBB_UNAVAILABLE, 504) and unreachable BBB with 503', () => {
    const timedOut = errorAnswer(new BbbUnavailableError('create', 'timed out', true));
    expect(timedOut).toMatchObject({ code: 'BBB_UNAVAILABLE', status: 504, serverSide: true });
    expect(errorAnswer(new BbbUnavailableError('create', 'refused', false))).toMatchObject({
      code: 'BBB_UNAVAILABLE',
      status: 503,
    });
  });

  it("reads fastify's own errors only where the HTTP layer caught them; below it they are bugs, masked", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(errorAnswer(tooLarge, { http: { bodyLimitBytes: 1024 } })).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      message: 'The request body is larger than the limit of 1024 bytes.',
    });
    expect(errorAnswer(new SyntaxError('Unexpected token'), { http: { bodyLimitBytes: 1024 } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'The request body is not valid JSON.',
    });
    expect(errorAnswer(new SyntaxError('Unexpected token'))).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('masks anything unexpected and keeps it only as the cause to log', () => {
    const bug = new TypeError('secret detail');
    const answer = errorAnswer(bug);
    expect(answer).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500, serverSide: true, cause: bug });
    expect(answer.message).not.toContain('secret detail');
  });
});

describe('SERVER_SIDE_CODES', () => {
  it('are the codes of the 5xx rows', () => {
    expect([...SERVER_SIDE_CODES].sort()).toEqual([
      'BBB_ERROR',
      'BBB_UNAVAILABLE',
      'INTERNAL_SERVER_ERROR',
      'SHUTTING_DOWN',
    ]);
  });
});
