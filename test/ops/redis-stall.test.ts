import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { gql, startStack, type Stack } from '../helpers/stack.js';
import { parseLogs, sampleValue, scrapeMetrics, unusedPort, waitFor } from './support/ops-helpers.js';

const MEETINGS = 'query Meetings { meetings { meetingId } }';
const PREFIX = 'bbb-interface-test:stall';
const STALL_WARNING =
  'Redis does not answer: each replica enforces the rate limit in its own memory until Redis answers again';

/** A redis-server of this test's own, on a free port, that the test can freeze (SIGSTOP) and thaw (SIGCONT). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    return output.includes('Ready to accept connections');
  }, 'redis-server to start');
  return child;
}

describe('when Redis stalls (the process is frozen, its socket stays open)', () => {
  let port: number;
  let server: ChildProcess;
  let direct: Redis;
  let stack: Stack;

  beforeAll(async () => {
    port = await unusedPort();
    server = await startRedis(port);
    direct = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
    stack = await startStack({
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: PREFIX,
        RATE_LIMIT_POINTS: '50',
        RATE_LIMIT_DURATION_S: '600',
        ACCESS_TOKEN_SIGNING_KEY: 'stall-test-signing-key-0123456789-abcdef',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    direct.disconnect();
    if (server.exitCode === null) {
      server.kill('SIGCONT');
      const exited = once(server, 'exit');
      server.kill('SIGKILL');
      await exited;
    }
  });

  it('keeps the app budgets and the access-token budgets on one connection (one breaker, one redis_up)', async () => {
    const clients = (await direct.call('CLIENT', 'LIST')) as string;
    // This test's own client and the gateway's one.
    expect(clients.trim().split('\n')).toHaveLength(2);
  });

  it('trips after a few timeouts, logs it once, limits in memory without waiting on Redis, and shares the limit again once Redis answers', async () => {
    expect((await gql(stack, MEETINGS)).status).toBe(200);
    expect(await direct.get(`${PREFIX}:app:lms`)).toBe('1');

    server.kill('SIGSTOP');
    // Each request still gets an answer while the breaker counts the first timeouts.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await gql(stack, MEETINGS)).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const warnings = () => parseLogs(stack.logs).filter((l) => l.msg === STALL_WARNING);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 40, store: 'redis' });
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limit_redis_up')).toBe(0);
    // Once tripped, requests do not reach Redis: ioredis is not "ready", so no command is sent and none times out.
    for (let i = 0; i < 10; i++) expect((await gql(stack, MEETINGS)).status).toBe(200);
    expect(warnings()).toHaveLength(1);

    server.kill('SIGCONT');
    await waitFor(
      async () => sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limit_redis_up') === 1,
      'the gateway to reconnect',
    );
    // The commands that timed out were still in the frozen server's socket buffer and ran once it woke up; the 17 requests
    // after the trip never reached Redis.
    const afterStall = Number(await direct.get(`${PREFIX}:app:lms`));
    expect(afterStall).toBeLessThanOrEqual(1 + 3);
    expect((await gql(stack, MEETINGS)).status).toBe(200);
    // Counted in Redis again.
    expect(Number(await direct.get(`${PREFIX}:app:lms`))).toBe(afterStall + 1);
    expect(warnings()).toHaveLength(1);
  });
});
