import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { BullMqQueue, RedisEndpointStates } from '../../src/events/bullmq-queue.js';
import type { WorkerProblem } from '../../src/events/worker-problems.js';
import {
  Deliverer,
  InProcessQueue,
  MemoryEndpointStates,
  nextDelayMs,
  parseRetryAfter,
  type AttemptReport,
  type DeliveryQueue,
  type EndpointStates,
} from '../../src/events/delivery.js';
import { WebhookSecrets } from '../../src/events/signing.js';
import type { GatewayEvent } from '../../src/events/types.js';
import { REDIS_URL, waitFor } from '../ops/support/ops-helpers.js';
import { Receiver, Reports } from './support/receiver.js';

const secrets = new WebhookSecrets('delivery-test-signing-key-0123456789abcdef', [1]);

function event(app = 'lms', type: GatewayEvent['type'] = 'meeting.ended'): GatewayEvent {
  return { id: `evt_${randomUUID()}`, app, type, timestamp: new Date().toISOString(), data: { meetingId: 'room-42' } };
}

describe('retry schedule', () => {
  it('jitters each delay by at most 20 %, lets Retry-After replace it, and ends with the schedule', () => {
    expect(nextDelayMs(1, [1000, 2000], undefined, () => 0)).toBe(800);
    expect(nextDelayMs(1, [1000, 2000], undefined, () => 1)).toBe(1200);
    expect(nextDelayMs(2, [1000, 2000], undefined, () => 0.5)).toBe(2000);
    expect(nextDelayMs(1, [1000, 2000], 7000)).toBe(7000);
    expect(nextDelayMs(1, [1000], 10 * 86_400_000)).toBe(86_400_000);
    expect(nextDelayMs(3, [1000, 2000])).toBeUndefined();
    expect(nextDelayMs(1, [], 0)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

const kinds: [
  string,
  (opts: ConstructorParameters<typeof InProcessQueue>[0], states: EndpointStates) => DeliveryQueue,
  () => EndpointStates,
][] = [];
let redis: Redis | undefined;
const prefixes: string[] = [];
const queues: DeliveryQueue[] = [];
kinds.push(['in-process', (opts) => new InProcessQueue(opts), () => new MemoryEndpointStates()]);
kinds.push([
  'BullMQ on Redis',
  (opts) => {
    const prefix = `test-webhooks-${randomUUID()}`;
    prefixes.push(prefix);
    return new BullMqQueue({ ...opts, redisUrl: REDIS_URL, prefix });
  },
  () => new RedisEndpointStates(redis!, `test-webhooks-states-${randomUUID()}`),
]);

describe.each(kinds)('delivery (%s queue)', (_kind, makeQueue, makeStates) => {
  let receiver: Receiver;
  let url: string;

  beforeAll(async () => {
    redis ??= new Redis(REDIS_URL);
    receiver = new Receiver(secrets.current('lms'));
    url = await receiver.start();
  });

  afterEach(async () => {
    for (const q of queues.splice(0)) {
      if (q instanceof BullMqQueue) await q.obliterate();
      await q.close();
    }
    receiver.received.length = 0;
  });

  afterAll(async () => {
    await receiver.close();
  });

  function setUp(scheduleMs: number[], states = makeStates(), timeoutMs?: number) {
    const reports = new Reports<AttemptReport>();
    const deliverer = new Deliverer({
      endpoints: [
        { app: 'lms', url: `${url}/hooks`, types: [] },
        { app: 'picky', url: `${url}/picky`, types: ['recording.ready'] },
      ],
      secrets,
      states,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    const queue = makeQueue({ deliverer, retryScheduleMs: scheduleMs, onAttempt: reports.push }, states);
    queues.push(queue);
    return { reports, queue, states };
  }

  it('retries 500, 500, 200 with growing gaps, one stable webhook-id, every attempt verified by standardwebhooks', async () => {
    receiver.answer({ status: 500 }, { status: 500 });
    const { reports, queue } = setUp([10, 100]);
    const e = event();
    await queue.enqueue(e);
    await reports.until((all) => all.some((r) => r.outcome === 'delivered'));

    expect(reports.all.map((r) => [r.attempt, r.outcome, r.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 200],
    ]);
    const [first, second] = reports.all;
    expect(first!.nextDelayMs!).toBeLessThan(second!.nextDelayMs!);
    expect(reports.all[2]!.nextDelayMs).toBeUndefined();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([e.id]));
    for (const r of receiver.received) {
      expect(r.error).toBeUndefined();
      expect(r.verified).toEqual({ type: 'meeting.ended', timestamp: e.timestamp, data: { meetingId: 'room-42' } });
      expect(r.headers['content-type']).toBe('application/json');
    }
  });

  it('stops at 410 and sends nothing more to that endpoint until it is enabled again', async () => {
    receiver.answer({ status: 410 });
    const { reports, queue, states } = setUp([10, 10, 10]);
    await queue.enqueue(event());
    await reports.until((all) => all.length === 1);
    expect(reports.all[0]).toMatchObject({ outcome: 'gone', status: 410 });
    expect(reports.all[0]!.nextDelayMs).toBeUndefined();
    expect(await states.isDisabled({ app: 'lms', url: `${url}/hooks` })).toBe(true);

    await queue.enqueue(event());
    await reports.until((all) => all.length === 2);
    expect(reports.all[1]).toMatchObject({ outcome: 'disabled' });
    expect(receiver.received).toHaveLength(1);

    await states.enable({ app: 'lms', url: `${url}/hooks` });
    await queue.enqueue(event());
    await reports.until((all) => all.length === 3);
    expect(reports.all[2]).toMatchObject({ outcome: 'delivered' });
  });

  it("keeps the 410 state per endpoint URL: the app's endpoint moved to a new URL (a config change) is enabled", async () => {
    receiver.answer({ status: 410 });
    const { reports, queue, states } = setUp([10]);
    await queue.enqueue(event());
    await reports.until((all) => all.length === 1);
    expect(reports.all[0]).toMatchObject({ outcome: 'gone' });
    expect(await states.isDisabled({ app: 'lms', url: `${url}/hooks` })).toBe(true);
    expect(await states.isDisabled({ app: 'lms', url: `${url}/hooks-v2` })).toBe(false);
    // The gateway restarted with the new WEBHOOK_ENDPOINTS: same states (Redis), new URL.
    const moved = new Deliverer({ endpoints: [{ app: 'lms', url: `${url}/hooks-v2`, types: [] }], secrets, states });
    expect(await moved.attempt(event())).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks', '/hooks-v2']);
  });

  it('honours Retry-After on 503 instead of the schedule', async () => {
    receiver.answer({ status: 503, headers: { 'retry-after': '0' } });
    // Without Retry-After the second attempt would come a minute later and the test would time out.
    const { reports, queue } = setUp([60_000]);
    await queue.enqueue(event());
    await reports.until((all) => all.some((r) => r.outcome === 'delivered'));
    expect(reports.all.map((r) => [r.outcome, r.status, r.nextDelayMs])).toEqual([
      ['failed', 503, 0],
      ['delivered', 200, undefined],
    ]);
  });

  it('retries an attempt that timed out', async () => {
    receiver.answer({ hang: true, status: 0 });
    const { reports, queue } = setUp([10], undefined, 200);
    await queue.enqueue(event());
    await reports.until((all) => all.some((r) => r.outcome === 'delivered'));
    expect(reports.all.map((r) => [r.outcome, r.status, r.error])).toEqual([
      ['failed', undefined, 'ETIMEDOUT'],
      ['delivered', 200, undefined],
    ]);
  });

  it('reads only the status of an answer, never its body (an endless body is cut off and the delivery still counts)', async () => {
    receiver.answer({ status: 200, endlessBody: true });
    const closedBefore = receiver.closedEarly;
    const { reports, queue } = setUp([]);
    await queue.enqueue(event());
    await reports.until((all) => all.length === 1);
    expect(reports.all[0]).toMatchObject({ outcome: 'delivered', status: 200 });
    await waitFor(() => receiver.closedEarly === closedBefore + 1, 'the receiver to see the connection closed');
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    receiver.answer({ status: 302, headers: { location: `${url}/elsewhere` } });
    const { reports, queue } = setUp([]);
    await queue.enqueue(event());
    await reports.until((all) => all.length === 1);
    expect(reports.all[0]).toMatchObject({ outcome: 'failed', status: 302 });
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks']);
  });

  it('counts an attempt that threw before sending (a Redis hiccup in the 410 state) as failed, retried on the schedule', async () => {
    const real = makeStates();
    let throws = 1;
    const flaky: EndpointStates = {
      isDisabled: async (e) => {
        if (throws-- > 0) throw new Error('Reached the max retries per request limit (which is 2).');
        return real.isDisabled(e);
      },
      disable: (e) => real.disable(e),
      enable: (e) => real.enable(e),
    };
    const { reports, queue } = setUp([10, 10], flaky);
    const e = event();
    await queue.enqueue(e);
    await reports.until((all) => all.some((r) => r.outcome === 'delivered'));
    expect(reports.all.map((r) => [r.attempt, r.outcome, r.error, r.nextDelayMs !== undefined])).toEqual([
      [1, 'failed', 'internal error', true],
      [2, 'delivered', undefined, false],
    ]);
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers an event added twice once, and only the types an endpoint asked for', async () => {
    const { reports, queue } = setUp([10]);
    const e = event();
    await queue.enqueue(e);
    await queue.enqueue(e);
    await queue.enqueue(event('picky', 'meeting.ended'));
    await queue.enqueue(event('nobody'));
    const wanted = event('picky', 'recording.ready');
    await queue.enqueue(wanted);
    await reports.until((all) => all.length >= 2);
    await receiver.waitForRequests(2);
    expect(reports.all.map((r) => [r.eventId, r.outcome]).sort()).toEqual(
      [
        [e.id, 'delivered'],
        [wanted.id, 'delivered'],
      ].sort(),
    );
    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/hooks', '/picky']);
  });
});

describe('two replicas on one Redis', () => {
  it('deliver each event once, however many replicas add it', async () => {
    const receiver = new Receiver(secrets.current('lms'));
    const url = await receiver.start();
    const prefix = `test-webhooks-${randomUUID()}`;
    prefixes.push(prefix);
    const states = new MemoryEndpointStates();
    const reports = new Reports<AttemptReport & { replica: number }>();
    const replicas = [1, 2].map(
      (replica) =>
        new BullMqQueue({
          deliverer: new Deliverer({ endpoints: [{ app: 'lms', url: `${url}/hooks`, types: [] }], secrets, states }),
          retryScheduleMs: [10],
          redisUrl: REDIS_URL,
          prefix,
          onAttempt: (r) => reports.push({ ...r, replica }),
        }),
    );
    try {
      const events = Array.from({ length: 20 }, () => event());
      // Both replicas see every callback (a balancer's duplicate, BBB's retry to another replica).
      for (const e of events) await Promise.all(replicas.map((q) => q.enqueue(e)));
      await reports.until((all) => all.filter((r) => r.outcome === 'delivered').length === events.length);
      expect(receiver.received).toHaveLength(events.length);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(events.map((e) => e.id)));
      expect(receiver.received.every((r) => r.error === undefined)).toBe(true);
      // obliterate removes the delivery index with the queue.
      redis ??= new Redis(REDIS_URL);
      expect(await redis.keys(`${prefix}:deliveries:*`)).toHaveLength(1);
      await replicas[0]!.obliterate();
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      await replicas[0]!.obliterate();
      await Promise.all(replicas.map((q) => q.close()));
      await receiver.close();
    }
  });
});

/** A replica that dies: its Redis connections drop at once, so it neither renews its claim nor finishes the job. */
class CrashableQueue extends BullMqQueue {
  crash(): void {
    for (const c of this.connections) c.disconnect();
  }
}

describe('a replica killed mid-delivery', () => {
  it('loses nothing: another replica takes the stalled job over and delivers it with the same webhook-id', async () => {
    const receiver = new Receiver(secrets.current('lms'));
    const url = await receiver.start();
    const prefix = `test-webhooks-${randomUUID()}`;
    prefixes.push(prefix);
    const states = new MemoryEndpointStates();
    const reports = new Reports<AttemptReport>();
    const problems = new Reports<WorkerProblem>();
    const make = () =>
      new CrashableQueue({
        onWorkerProblem: problems.push,
        deliverer: new Deliverer({ endpoints: [{ app: 'lms', url: `${url}/hooks`, types: [] }], secrets, states }),
        retryScheduleMs: [10],
        redisUrl: REDIS_URL,
        prefix,
        lockDurationMs: 500,
        stalledIntervalMs: 200,
        onAttempt: reports.push,
      });
    // The first request hangs: replica 1 is in the middle of delivering when it dies.
    receiver.answer({ hang: true, status: 0 });
    const replica1 = make();
    let replica2: CrashableQueue | undefined;
    try {
      const e = event();
      await replica1.enqueue(e);
      await receiver.waitForRequests(1);
      replica1.crash();
      replica2 = make();
      await receiver.waitForRequests(2);
      await reports.until((all) => all.some((r) => r.outcome === 'delivered'));
      expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([e.id, e.id]);
      expect(receiver.received[1]!.error).toBeUndefined();
      // The takeover is visible (logs and metrics are fed from this): the job stalled once, and was not given up.
      await problems.until((all) => all.some((p) => p.kind === 'stalled'));
      expect(problems.all.filter((p) => p.kind === 'stalled')).toEqual([
        { queue: 'webhooks', kind: 'stalled', jobId: e.id, reason: expect.stringMatching(/lock/) },
      ]);
      expect(problems.all.filter((p) => p.kind === 'failed')).toEqual([]);
    } finally {
      await replica2?.obliterate();
      // Closing the receiver first ends replica 1's hung request, which its worker waits for while closing.
      await receiver.close();
      await Promise.allSettled([replica1.close(true), replica2?.close()]);
    }
  });
});

describe('worker problems', () => {
  it("a worker that cannot reach Redis reports it (no secret: the URL's password never shows), and closes", async () => {
    const problems = new Reports<WorkerProblem>();
    const queue = new BullMqQueue({
      deliverer: new Deliverer({ endpoints: [], secrets, states: new MemoryEndpointStates() }),
      retryScheduleMs: [10],
      redisUrl: 'redis://:hunter2-redis-password@127.0.0.1:1',
      prefix: `test-webhooks-${randomUUID()}`,
      onWorkerProblem: problems.push,
    });
    try {
      await problems.until((all) => all.some((p) => p.kind === 'error'));
      const problem = problems.all.find((p) => p.kind === 'error')!;
      expect(problem).toEqual({ queue: 'webhooks', kind: 'error', reason: expect.stringMatching(/ECONNREFUSED/) });
      expect(JSON.stringify(problems.all)).not.toContain('hunter2');
    } finally {
      await queue.close(true);
    }
  });
});

afterAll(async () => {
  if (redis) {
    for (const prefix of [...prefixes, 'test-webhooks-states-']) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  }
});
