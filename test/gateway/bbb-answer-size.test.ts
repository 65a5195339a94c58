import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalServer, type LocalServer } from '../bbb/local-server.js';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';

const LIMIT = 256 * 1024;

/**
 * Streams a never-ending XML answer (respecting backpressure) until the client goes away; resolves with the bytes sent.
 * Without a size bound the gateway would buffer until BBB_TIMEOUT_MS and answer 504; with one it aborts early.
 */
function endless(res: ServerResponse, announce: boolean): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const chunk = Buffer.from(`<meeting><meetingID>${'x'.repeat(16 * 1024)}</meetingID></meeting>`);
    res.writeHead(200, {
      'content-type': 'text/xml;charset=utf-8',
      ...(announce ? { 'content-length': String(1024 * 1024 * 1024) } : {}),
    });
    res.write('<response><returncode>SUCCESS</returncode><meetings>');
    const pump = () => {
      while (!res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.on('close', () => resolve(sent));
    pump();
  });
}

describe('an answer from BBB larger than BBB_MAX_RESPONSE_BYTES', () => {
  let bbb: LocalServer;
  let stack: Stack;
  beforeAll(async () => {
    bbb = await startLocalServer();
    stack = await startStack({
      env: {
        BBB_URL: bbb.baseUrl,
        BBB_SECRET: 'a-secret-for-the-local-server-0123',
        BBB_MAX_RESPONSE_BYTES: String(LIMIT),
        BBB_TIMEOUT_MS: '20000',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await bbb.close();
  });

  it.each([
    ['streamed without a length', false],
    ['announced with a Content-Length', true],
  ])('is aborted and answered 502 BBB_ERROR when %s', async (_label, announce) => {
    let sentBytes: Promise<number> | undefined;
    bbb.reset((_req, res) => {
      sentBytes = endless(res, announce);
    });
    const g = await gql(stack, '{ meetings { meetingId } }');
    expect(g.status).toBe(502);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('BBB_ERROR');
    // The gateway closed the connection: the endless answer stopped; not retried either.
    expect(sentBytes).toBeDefined();
    expect(await sentBytes).toBeGreaterThan(0);
    expect(bbb.requests).toHaveLength(1);

    bbb.reset((_req, res) => {
      sentBytes = endless(res, announce);
    });
    const rest = await post<{ message: string }>(`${stack.url}/create`, { name: 'big' }, { authorization: TOKENS.lms });
    expect(rest.status).toBe(502);
    expect(Object.keys(rest.body)).toEqual(['message']);
    await sentBytes;
  });

  it('logs which call was too large and the setting that bounds it', async () => {
    // Its own too-large answer: the tests run in any order, so the log line must come from this one.
    bbb.reset((_req, res) => void endless(res, false));
    expect((await gql(stack, '{ meetings { meetingId } }')).status).toBe(502);
    expect(stack.logs.some((l) => l.includes('BBB_MAX_RESPONSE_BYTES') && l.includes('getMeetings'))).toBe(true);
  });
});
