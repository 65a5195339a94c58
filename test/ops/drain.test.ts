import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { waitFor } from './support/ops-helpers.js';

const CONNECTIONS = 100;

type Outcome = { status: number; connection: string | undefined; body: string } | { error: string };

function createOnce(agent: Agent, url: URL): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ name: 'under load' });
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          authorization: TOKENS.lms,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

describe('closing the gateway under load over keep-alive connections', () => {
  let stack: Stack;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  beforeAll(async () => {
    stack = await startStack({ env: { SHUTDOWN_DRAIN_MS: '5000', RATE_LIMIT_POINTS: '0' } });
  });
  afterAll(async () => {
    agent.destroy();
    await stack.close();
  });

  it('answers every request that reached it (served, or 503 with Connection: close as {"message"}) and resets none', async () => {
    const url = new URL(`${stack.url}/create`);
    const outcomes: Outcome[] = [];
    const done = new Array<number>(CONNECTIONS).fill(0);
    // eslint-disable-next-line prefer-const -- the clients above read it before it is assigned
    let closing: Promise<void> | undefined;
    // Each client sends its next request as soon as the last one is answered, until the gateway refuses connections.
    const clients = done.map(async (_, i) => {
      for (;;) {
        const outcome = await createOnce(agent, url);
        if ('error' in outcome && outcome.error === 'ECONNREFUSED' && closing !== undefined) return;
        outcomes.push(outcome);
        done[i]! += 1;
        if ('error' in outcome) return;
      }
    });
    // Close once every connection has carried at least two requests: all 100 are open keep-alive connections.
    await waitFor(() => done.every((n) => n >= 2), 'every client to reuse its connection');
    const open = [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].flat().length;
    expect(open).toBe(CONNECTIONS);
    closing = stack.gateway.close();
    await Promise.all(clients);
    await closing;

    const errors = outcomes.filter((o) => 'error' in o);
    expect(errors).toEqual([]);
    const answers = outcomes as Extract<Outcome, { status: number }>[];
    expect(answers.length).toBeGreaterThanOrEqual(2 * CONNECTIONS);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 503]));
    for (const refused of answers.filter((a) => a.status === 503)) {
      expect(refused.connection).toBe('close');
      expect(JSON.parse(refused.body)).toEqual({ message: expect.stringMatching(/shutting down/) });
    }
  });
});
