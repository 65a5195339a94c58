import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { gql, post, startReplicas, startStack, TOKENS, type Replicas, type Stack } from '../helpers/stack.js';
import {
  deleteKeys,
  redisClient,
  REDIS_URL,
  sampleValue,
  scrapeMetrics,
  TcpProxy,
  unusedPort,
  waitFor,
} from './support/ops-helpers.js';

const MEETINGS = 'query Meetings { meetings { meetingId } }';
const RUN_PREFIX = `bbb-interface-test:${randomUUID()}`;

/** One cheap authenticated request; GraphQL and REST count against the same budget. */
async function hit(stack: Stack, token: string = TOKENS.lms): Promise<number> {
  return (await gql(stack, MEETINGS, {}, token)).status;
}

describe('rate limiting in memory (no REDIS_URL)', () => {
  let stack: Stack;
  // A gateway per test: each test spends budgets, and none may depend on what another one spent.
  beforeEach(async () => {
    stack = await startStack({ env: { RATE_LIMIT_POINTS: '3', RATE_LIMIT_DURATION_S: '60' } });
  });
  afterEach(async () => {
    await stack.close();
  });
  const spendBudget = async (token: string) => {
    expect([await hit(stack, token), await hit(stack, token), await hit(stack, token)]).toEqual([200, 200, 200]);
  };

  it('counts GraphQL and REST requests of one token together and refuses the one over the limit on both faces', async () => {
    const first = await gql(stack, MEETINGS, {});
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await post(`${stack.url}/create`, { name: 'counted' }, { authorization: TOKENS.lms })).status).toBe(200);
    expect(await hit(stack)).toBe(200);

    const g = await gql(stack, MEETINGS, {});
    expect(g.status).toBe(429);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(g.body.errors?.[0]?.message).toMatch(/the app "lms".*limit is 3 per 60 s/);
    const retryAfter = Number(g.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(g.headers.get('x-ratelimit-remaining')).toBe('0');

    const before = stack.sim.received.length;
    const r = await post<{ message: string }>(
      `${stack.url}/create`,
      { name: 'refused' },
      { authorization: TOKENS.lms },
    );
    expect(r.status).toBe(429);
    expect(Object.keys(r.body)).toEqual(['message']);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Refused before anything reached BBB.
    expect(stack.sim.received.length).toBe(before);
  });

  it('keeps a separate budget per token', async () => {
    await spendBudget(TOKENS.lms);
    expect(await hit(stack, TOKENS.lms)).toBe(429);
    expect(await hit(stack, TOKENS.portal)).toBe(200);
  });

  it('never limits /healthz, /readyz or /metrics', async () => {
    await spendBudget(TOKENS.lms);
    expect(await hit(stack, TOKENS.lms)).toBe(429);
    for (let i = 0; i < 5; i++) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const res = await fetch(`${stack.url}${path}`, { headers: { authorization: TOKENS.lms } });
        await res.text();
        expect(res.status).toBe(200);
      }
    }
    // Only the one refused GraphQL request counted as limited.
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limited_total', { app: 'lms' })).toBe(1);
  });

  it('limits requests without a valid token by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await post(`${stack.url}/create`, { name: 'x' }, { authorization: 'not-a-token-0123456789' })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('rate limiting shared through Redis (REDIS_URL)', () => {
  const prefix = `${RUN_PREFIX}:shared`;
  let a: Stack;
  let b: Stack;
  let redis: Redis;

  let replicas: Replicas;

  beforeAll(async () => {
    redis = redisClient();
    replicas = await startReplicas({
      env: { REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_POINTS: '4', RATE_LIMIT_DURATION_S: '60' },
    });
    ({ a, b } = replicas);
  });
  afterAll(async () => {
    await replicas.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('gives two replicas one budget per token', async () => {
    expect([await hit(a), await hit(b), await hit(a), await hit(b)]).toEqual([200, 200, 200, 200]);
    expect(await hit(a)).toBe(429);
    expect(await hit(b)).toBe(429);
    expect(await hit(b, TOKENS.portal)).toBe(200);
    expect(await redis.get(`${prefix}:app:lms`)).toBe('6');
    expect(await redis.get(`${prefix}:app:portal`)).toBe('1');
    expect(sampleValue(await scrapeMetrics(a.url), 'bbb_interface_rate_limit_redis_up')).toBe(1);
  });
});

describe('when Redis goes away', () => {
  const prefix = `${RUN_PREFIX}:outage`;
  const proxy = new TcpProxy({ host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) });
  let stack: Stack;
  let redis: Redis;

  beforeAll(async () => {
    redis = redisClient();
    await proxy.start();
    stack = await startStack({
      env: {
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        REDIS_KEY_PREFIX: prefix,
        RATE_LIMIT_POINTS: '3',
        RATE_LIMIT_DURATION_S: '60',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await proxy.stop();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it("keeps serving, limits in this replica's memory meanwhile, and shares the limit again once Redis is back", async () => {
    expect(await hit(stack)).toBe(200);
    expect(await redis.get(`${prefix}:app:lms`)).toBe('1');

    await proxy.stop();
    await waitFor(
      async () => sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limit_redis_up') === 0,
      'the gateway to notice',
    );
    // A fresh budget in memory: requests succeed, and the limit still holds per replica.
    expect([await hit(stack), await hit(stack), await hit(stack), await hit(stack)]).toEqual([200, 200, 200, 429]);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect(await redis.get(`${prefix}:app:lms`)).toBe('1');
    await waitFor(() => stack.logs.some((l) => l.includes('Redis is unreachable')), 'the outage warning');

    await proxy.start();
    await waitFor(
      async () => sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limit_redis_up') === 1,
      'the gateway to reconnect',
    );
    expect(await hit(stack)).toBe(200);
    expect(await redis.get(`${prefix}:app:lms`)).toBe('2');
  });
});

describe('when Redis is unreachable at start', () => {
  let stack: Stack;
  beforeAll(async () => {
    const port = await unusedPort();
    stack = await startStack({
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: `${RUN_PREFIX}:never`, RATE_LIMIT_POINTS: '2' },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('starts, serves and limits in memory', async () => {
    expect([await hit(stack), await hit(stack), await hit(stack)]).toEqual([200, 200, 429]);
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_rate_limit_redis_up')).toBe(0);
  });
});

describe('RATE_LIMIT_POINTS=0', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_POINTS: '0' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('switches rate limiting off', async () => {
    const res = await gql(stack, MEETINGS, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });
});
