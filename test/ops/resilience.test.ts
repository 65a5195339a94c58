import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { END } from '../helpers/operations.js';
import { sampleValue, scrapeMetrics, unusedPort } from './support/ops-helpers.js';

const lms = { authorization: TOKENS.lms };

interface ReadyBody {
  status: string;
  reason?: string;
  bbb?: { apiVersion?: string; bbbVersion?: string };
  checkedAt: string;
}

async function readyz(stack: Stack): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${stack.url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

describe('GET /healthz and GET /readyz', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { READINESS_CACHE_MS: '0', READINESS_TIMEOUT_MS: '300' } });
  });
  afterEach(() => stack.sim.clearFaults());
  afterAll(async () => {
    await stack.close();
  });

  it('answers /healthz without a token and without asking BBB', async () => {
    const before = stack.sim.received.length;
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(stack.sim.received.length).toBe(before);
  });

  it("answers /readyz 200 with BBB's versions when BBB answers its API root", async () => {
    const before = stack.sim.callCount('');
    const { status, body } = await readyz(stack);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', bbb: { apiVersion: '2.0', bbbVersion: '3.0.0' } });
    expect(stack.sim.callCount('')).toBe(before + 1);
  });

  it.each([
    ['BBB drops the connection', { kind: 'drop' } as const, /could not be reached/],
    ['BBB is slower than READINESS_TIMEOUT_MS', { kind: 'latency', ms: 1500 } as const, /did not answer/],
    ['BBB answers an nginx 502 page', { kind: 'status', status: 502 } as const, /HTTP 502/],
    ['BBB answers HTML', { kind: 'html' } as const, /BigBlueButton/],
  ])('answers /readyz 503 with a reason when %s, and 200 again once it recovers', async (_label, fault, reason) => {
    stack.sim.injectFault({ fault, calls: [''] });
    const down = await readyz(stack);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not ready');
    expect(down.body.reason).toMatch(reason);
    expect(down.body.reason).not.toContain(stack.sim.secret);
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_bbb_up')).toBe(0);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);

    stack.sim.clearFaults();
    expect((await readyz(stack)).status).toBe(200);
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_bbb_up')).toBe(1);
  });
});

describe('GET /readyz caching', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { READINESS_CACHE_MS: '600000' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('asks BBB once per READINESS_CACHE_MS however often it is probed', async () => {
    const before = stack.sim.callCount('');
    const first = await readyz(stack);
    stack.sim.injectFault({ fault: { kind: 'drop' }, calls: [''] });
    const answers = await Promise.all([readyz(stack), readyz(stack), readyz(stack)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.checkedAt)).toEqual([
      first.body.checkedAt,
      first.body.checkedAt,
      first.body.checkedAt,
    ]);
    expect(stack.sim.callCount('')).toBe(before + 1);
  });
});

describe('when BBB is down and comes back', () => {
  let port: number;
  let stack: Stack;
  let sim: Simulator | undefined;
  let standIn: Simulator;

  beforeAll(async () => {
    port = await unusedPort();
    // Only for its secret and to satisfy startStack; the gateway points at `port`, where nothing listens yet.
    standIn = await startSimulator();
    stack = await startStack({
      simulator: standIn,
      env: {
        BBB_URL: `http://127.0.0.1:${port}/bigbluebutton/`,
        BBB_SECRET: standIn.secret,
        READINESS_CACHE_MS: '0',
        BBB_RETRIES: '0',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await standIn.close();
    await sim?.close();
  });

  it('answers 503 BBB_UNAVAILABLE and is not ready, stays alive, and works once BBB listens again, without a restart', async () => {
    const r = await post<{ message: string }>(`${stack.url}/create`, { name: 'down' }, lms);
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(/cannot be reached/);
    const g = await gql(stack, 'query { meetings { meetingId } }', {});
    expect(g.status).toBe(503);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('BBB_UNAVAILABLE');
    const down = await readyz(stack);
    expect(down.status).toBe(503);
    expect(down.body.reason).toMatch(/ECONNREFUSED/);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);

    sim = await startSimulator({ port, secret: standIn.secret });
    expect((await readyz(stack)).status).toBe(200);
    expect((await post(`${stack.url}/create`, { name: 'up' }, lms)).status).toBe(200);
  });
});

describe('retries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { BBB_RETRIES: '2', JOIN_CACHE_TTL_MS: '0' } });
  });
  afterEach(() => stack.sim.clearFaults());
  afterAll(async () => {
    await stack.close();
  });

  it('repeats a read that lost its connection, and the caller never sees the failure', async () => {
    const m = (await post<Record<string, string>>(`${stack.url}/create`, { name: 'retried' }, lms)).body;
    const before = stack.sim.callCount('getMeetingInfo');
    stack.sim.injectFault({ fault: { kind: 'drop' }, calls: ['getMeetingInfo'], times: 1 });
    const res = await post(
      `${stack.url}/join`,
      { name: 'Ana', meeting_id: m.meeting_id, password: m.moderator_pass, create_time: m.create_time },
      lms,
    );
    expect(res.status).toBe(303);
    expect(stack.sim.callCount('getMeetingInfo')).toBe(before + 2);
  });

  it('repeats a create that carries both passwords (BBB answers a repeat with the same meeting)', async () => {
    const before = stack.sim.callCount('create');
    stack.sim.injectFault({ fault: { kind: 'status', status: 503 }, calls: ['create'], times: 1 });
    const res = await post<Record<string, string>>(`${stack.url}/create`, { name: 'created on the second try' }, lms);
    expect(res.status).toBe(200);
    expect(stack.sim.callCount('create')).toBe(before + 2);
  });

  it('does not repeat end, whose repeat after a lost answer would report notFound for an ended meeting', async () => {
    const m = (await post<Record<string, string>>(`${stack.url}/create`, { name: 'ended once' }, lms)).body;
    const before = stack.sim.callCount('end');
    stack.sim.injectFault({ fault: { kind: 'drop' }, calls: ['end'], times: 1 });
    const failed = await gql(stack, END, { meetingId: m.meeting_id });
    expect(failed.status).toBe(503);
    expect(stack.sim.callCount('end')).toBe(before + 1);
    // The caller may repeat it: it knows whether it wants the meeting ended.
    const again = await gql<{ endMeeting: boolean }>(stack, END, { meetingId: m.meeting_id });
    expect(again.body.data?.endMeeting).toBe(true);
  });

  it('gives up after BBB_RETRIES repeats', async () => {
    const m = (await post<Record<string, string>>(`${stack.url}/create`, { name: 'bounded' }, lms)).body;
    const before = stack.sim.callCount('getMeetingInfo');
    stack.sim.injectFault({ fault: { kind: 'status', status: 502 }, calls: ['getMeetingInfo'] });
    const res = await post(
      `${stack.url}/join`,
      { name: 'Ana', meeting_id: m.meeting_id, password: m.moderator_pass, create_time: m.create_time },
      lms,
    );
    expect(res.status).toBe(502);
    expect(stack.sim.callCount('getMeetingInfo')).toBe(before + 3);
  });
});

describe.each([
  [
    'the checksum algorithm does not match the server',
    { BBB_CHECKSUM_ALGORITHM: 'sha512' },
    { algorithms: ['sha1' as const] },
  ],
  ['BBB_SECRET is wrong', { BBB_SECRET: 'not-the-secret-of-this-server-0123' }, {}],
])('when %s', (_label, env, simOptions) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ...env, READINESS_CACHE_MS: '0' }, sim: simOptions });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers a 5xx telling the operator to check the secret and the algorithm, and /readyz 503 with a reason naming BBB_SECRET', async () => {
    const r = await post<{ message: string }>(`${stack.url}/create`, { name: 'wrong algorithm' }, lms);
    expect(r.status).toBe(502);
    expect(r.body.message).toMatch(/BBB_SECRET and BBB_CHECKSUM_ALGORITHM/);
    expect(r.text).not.toContain(stack.sim.secret);
    // The probe is a signed call (isMeetingRunning on an unused ID), so the wrong configuration is found by readiness.
    const before = stack.sim.callCount('isMeetingRunning');
    const down = await readyz(stack);
    expect(down.status).toBe(503);
    expect(down.body.reason).toMatch(/checksum.*BBB_SECRET/);
    expect(down.body.reason).not.toContain(stack.sim.secret);
    expect(stack.sim.callCount('isMeetingRunning')).toBe(before + 1);
    expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_bbb_up')).toBe(0);
  });
});
