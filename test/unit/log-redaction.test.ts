import { describe, expect, it } from '@jest/globals';
import pino, { type LoggerOptions } from 'pino';
import { redactingLogOptions } from '../../src/observability/log-redaction.js';

/** The redaction the gateway had as pino paths; its output is the oracle for the cheaper options. */
const WILDCARD_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'secret',
  'token',
  'password',
  '*.password',
  '*.secret',
  '*.token',
];

const reqSerializer = (req: { method: string; url: string; ip?: string }) => ({
  method: req.method,
  url: req.url.split('?')[0],
  remoteAddress: req.ip,
});

function linesOf(options: LoggerOptions, write: (log: pino.Logger) => void): string[] {
  const lines: string[] = [];
  const log = pino({ timestamp: false, base: undefined, ...options }, { write: (line: string) => lines.push(line) });
  write(log);
  return lines;
}

class Credentials {
  constructor(
    readonly user: string,
    readonly token: string,
  ) {}
}

describe('log redaction without wildcard paths', () => {
  const write = (log: pino.Logger) => {
    log.info({ password: 'pw-top', token: 'tk-top', secret: 'sc-top', authorization: 'Bearer x' }, 'top level');
    log.info({ input: { name: 'Ana', password: 'pw-nested', meetingId: 'm1' } }, 'one level down');
    log.info({ a: { token: 'tk-1' }, b: { secret: 'sc-1', keep: 1 }, c: { deeper: { password: 'stays' } } }, 'several');
    log.info({ headers: { authorization: 'Bearer h', accept: 'x' } }, 'headers');
    log.info({ req: { method: 'GET', url: '/graphql?query=x', headers: { authorization: 'Bearer r' } } }, 'req');
    log.info({ input: { password: undefined, name: 'x' } }, 'own key without a value');
    log.info({ list: [{ password: 'in-array' }], n: 3, s: 'text', t: true, z: null }, 'arrays and primitives');
    log.info({ creds: new Credentials('u', 'tk-class') }, 'class instance');
    const err = Object.assign(new Error('failed'), { token: 'tk-err', code: 'E1' });
    log.error({ err, code: 'E1' }, 'error with a token property');
    // Bindings get the exact paths (the gateway's one child logger is fastify's, bound to reqId).
    log.child({ token: 'tk-binding', reqId: 'r1' }).info({ app: 'lms', input: { password: 'pw-child' } }, 'child');
    log.info('plain message');
  };

  it('writes exactly what the pino wildcard paths wrote', () => {
    const oracle = linesOf(
      { redact: { paths: WILDCARD_PATHS, censor: '[redacted]' }, serializers: { req: reqSerializer } },
      write,
    );
    const cheap = linesOf(redactingLogOptions({ req: reqSerializer }), write);
    // The error's stack differs by the line it was created on; everything else must be byte for byte the same.
    const withoutStack = (lines: string[]) => lines.map((l) => l.replace(/"stack":"[^"]*"/, '"stack":"…"'));
    expect(withoutStack(cheap)).toEqual(withoutStack(oracle));
    const text = cheap.join('');
    for (const secret of ['pw-top', 'tk-top', 'sc-top', 'Bearer', 'pw-nested', 'tk-1', 'sc-1', 'tk-class', 'tk-err'])
      expect(text).not.toContain(secret);
    for (const secret of ['tk-binding', 'pw-child']) expect(text).not.toContain(secret);
    expect(cheap).toHaveLength(11);
  });
});
