import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type {
  CreateMeetingMutation,
  IssueAccessTokenMutation,
  RedeliverWebhookMutation,
  WebhookDeliveriesQuery,
  WebhookDeliveriesQueryVariables,
} from '../generated/graphql.js';
import { CREATE, ISSUE_TOKEN, REDELIVER_WEBHOOK, WEBHOOK_DELIVERIES } from '../helpers/operations.js';
import { gql, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { REDIS_URL } from '../ops/support/ops-helpers.js';
import { startAppReceivers, type AppReceivers, type Receiver } from './support/receiver.js';

const SIGNING_KEY = 'webhook-deliveries-test-signing-key-0123456789';
type Delivery = WebhookDeliveriesQuery['webhookDeliveries']['nodes'][number];

/** The delivery log over GraphQL, for both queues: the in-process one (dev) and BullMQ on the real Redis. */
describe.each([
  ['in-process', false],
  ['BullMQ on Redis', true],
])('webhookDeliveries and redeliverWebhook (%s queue)', (_kind, withRedis) => {
  let prefix: string;
  let stack: Stack;
  let lms: Receiver;
  let portal: Receiver;

  let receivers: AppReceivers;

  // A gateway, receivers and queue keys per test: each test reads the whole delivery log, so none may see another's.
  beforeEach(async () => {
    prefix = `test-deliveries-${randomUUID()}`;
    receivers = await startAppReceivers(SIGNING_KEY);
    ({ lms, portal } = receivers);
    const env: Record<string, string> = {
      WEBHOOK_ENDPOINTS: receivers.endpoints,
      WEBHOOK_SIGNING_KEY: SIGNING_KEY,
      // One retry: a 500 then a 200 is delivered, two 500s are failed for good.
      WEBHOOK_RETRY_SCHEDULE_MS: '10',
      ACCESS_TOKEN_SIGNING_KEY: 'webhook-deliveries-access-token-key-0123456789',
      ...(withRedis ? { REDIS_URL } : {}),
    };
    stack = await startStack({ env, deps: { eventsKeyPrefix: prefix } });
  });

  afterEach(async () => {
    await stack.close();
    await receivers.close();
    if (withRedis) {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  const page = async (vars: WebhookDeliveriesQueryVariables, token: string = TOKENS.lms) => {
    const res = await gql<WebhookDeliveriesQuery>(stack, WEBHOOK_DELIVERIES, vars, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.webhookDeliveries;
  };
  /** Asks again, one request after the other (no timer), until the log shows what the test waits for. */
  const until = async (pred: (nodes: Delivery[]) => boolean, token: string = TOKENS.lms): Promise<Delivery[]> => {
    for (;;) {
      const nodes = (await page({ first: 100 }, token)).nodes;
      if (pred(nodes)) return nodes;
    }
  };
  const created = async (token: string = TOKENS.lms) => {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Delivery log' } }, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting.meetingId;
  };
  const eventIdOf = (r: Receiver, meetingId: string) =>
    r.received.find((x) => (x.verified as { data: { meetingId: string } }).data.meetingId === meetingId)!.headers[
      'webhook-id'
    ] as string;

  it("shows each delivery with its attempts, status codes, latencies and last error, and only the calling app's", async () => {
    lms.answer({ status: 500 });
    const meetingId = await created();
    const portalMeeting = await created(TOKENS.portal);
    await lms.waitForRequests(2);
    const id = eventIdOf(lms, meetingId);
    const nodes = await until((all) => all.some((d) => d.eventId === id && d.status === 'DELIVERED'));
    const d = nodes.find((x) => x.eventId === id)!;
    expect(d).toMatchObject({
      deliveryId: id,
      type: 'meeting.created',
      status: 'DELIVERED',
      attemptCount: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(d.attempts.map((a) => [a.attempt, a.outcome, a.statusCode, a.error])).toEqual([
      [1, 'failed', 500, null],
      [2, 'delivered', 200, null],
    ]);
    expect(d.attempts.every((a) => typeof a.latencyMs === 'number' && !Number.isNaN(Date.parse(a.at as string)))).toBe(
      true,
    );
    expect(d.lastLatencyMs).toBe(d.attempts[1]!.latencyMs);

    await portal.waitForRequests(1);
    const portalId = eventIdOf(portal, portalMeeting);
    const portalNodes = await until((all) => all.some((x) => x.eventId === portalId), TOKENS.portal);
    expect(portalNodes.map((x) => x.eventId)).not.toContain(id);
    expect((await page({ first: 100 })).nodes.map((x) => x.eventId)).not.toContain(portalId);
    // The admin app has no endpoint: an empty log, not an error.
    expect((await page({}, TOKENS.admin)).nodes).toEqual([]);
  });

  it('pages newest first with cursors and filters by status', async () => {
    lms.answer({ status: 500 }, { status: 500 });
    const before = lms.received.length;
    const failedMeeting = await created();
    // Both attempts of the failing one first, so the scripted 500s are its own.
    await lms.waitForRequests(before + 2);
    const failedId = eventIdOf(lms, failedMeeting);
    await until((nodes) => nodes.some((x) => x.eventId === failedId && x.status === 'FAILED'));
    for (let i = 0; i < 3; i++) await created();
    await lms.waitForRequests(before + 5);
    // The failing event (two attempts) and three delivered ones.
    const all = await until((nodes) => nodes.length === 4 && nodes.every((x) => x.status !== 'PENDING'));
    expect(all.find((x) => x.eventId === failedId)).toMatchObject({
      status: 'FAILED',
      attemptCount: 2,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
    });
    const queuedAt = all.map((x) => Date.parse(x.queuedAt as string));
    expect([...queuedAt].sort((a, b) => b - a)).toEqual(queuedAt);

    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p = await page({ first: 2, ...(after !== null ? { after } : {}) });
      pages++;
      expect(p.edges.map((e) => e.node.deliveryId)).toEqual(p.nodes.map((n) => n.deliveryId));
      expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
      walked.push(...p.nodes.map((n) => n.deliveryId));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor!;
    }
    expect(walked).toEqual(all.map((x) => x.deliveryId));
    expect(pages).toBe(Math.ceil(all.length / 2));

    expect((await page({ first: 100, status: 'FAILED' as never })).nodes.map((x) => x.eventId)).toEqual([failedId]);
    const delivered = (await page({ first: 100, status: 'DELIVERED' as never })).nodes;
    expect(delivered.length).toBe(all.length - 1);
    expect(delivered.every((x) => x.status === 'DELIVERED')).toBe(true);
  });

  it("redelivers an event of the calling app under the same webhook-id, and NOT_FOUND for another app's or an unknown one", async () => {
    lms.answer({ status: 500 }, { status: 500 });
    const failedMeeting = await created();
    await lms.waitForRequests(2);
    const failedId = eventIdOf(lms, failedMeeting);
    await until((nodes) => nodes.some((x) => x.eventId === failedId && x.status === 'FAILED'));
    const before = lms.received.length;
    const res = await gql<RedeliverWebhookMutation>(stack, REDELIVER_WEBHOOK, { eventId: failedId }, TOKENS.lms);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.redeliverWebhook).toMatchObject({ eventId: failedId, deliveryId: `${failedId}.r1` });
    await lms.waitForRequests(before + 1);
    const again = lms.received[before]!;
    expect(again.headers['webhook-id']).toBe(failedId);
    expect(again.error).toBeUndefined();
    expect(again.verified).toMatchObject({ type: 'meeting.created' });
    const nodes = await until((all) => all.some((x) => x.deliveryId === `${failedId}.r1` && x.status === 'DELIVERED'));
    // The first delivery stays in the log as it was.
    expect(nodes.find((x) => x.deliveryId === failedId)).toMatchObject({ status: 'FAILED', attemptCount: 2 });

    // A delivered event can be sent again too (the queue's deduplication is bypassed), as a second redelivery.
    const second = await gql<RedeliverWebhookMutation>(stack, REDELIVER_WEBHOOK, { eventId: failedId }, TOKENS.lms);
    expect(second.body.data!.redeliverWebhook.deliveryId).toBe(`${failedId}.r2`);
    await lms.waitForRequests(before + 2);
    expect(lms.received[before + 1]!.headers['webhook-id']).toBe(failedId);

    for (const [eventId, token] of [
      [failedId, TOKENS.portal],
      [`evt_${randomUUID()}`, TOKENS.lms],
      [`${failedId}.r1`, TOKENS.lms],
    ] as const) {
      const refused = await gql(stack, REDELIVER_WEBHOOK, { eventId }, token);
      expect(refused.body.errors?.[0]).toMatchObject({
        extensions: { code: 'NOT_FOUND' },
        message: expect.stringContaining('eventId'),
      });
    }
    expect(portal.received.map((r) => r.headers['webhook-id'])).not.toContain(failedId);
  });

  it('exports the queue depth: 1 while a delivery is in flight, 0 once it is delivered', async () => {
    const depth = async () => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      return Number(/^bbb_interface_webhook_queue_depth (\S+)$/m.exec(text)?.[1]);
    };
    expect(await depth()).toBe(0);
    let release!: () => void;
    lms.answer({ status: 200, after: new Promise<void>((r) => (release = r)) });
    const before = lms.received.length;
    const meetingId = await created();
    await lms.waitForRequests(before + 1);
    expect(await depth()).toBe(1);
    release();
    const id = eventIdOf(lms, meetingId);
    await until((all) => all.some((x) => x.eventId === id && x.status === 'DELIVERED'));
    // BullMQ moves the job to completed right after the log line the log reads.
    for (;;) if ((await depth()) === 0) break;
    expect(await depth()).toBe(0);
  });

  it('refuses a bad page size or cursor naming the argument, and access tokens', async () => {
    for (const [vars, word] of [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const res = await gql(stack, WEBHOOK_DELIVERIES, vars, TOKENS.lms);
      expect(res.body.errors?.[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: expect.stringContaining(word),
      });
    }
    const meetingId = await created();
    const token = (
      await gql<IssueAccessTokenMutation>(
        stack,
        ISSUE_TOKEN,
        { input: { meetingId, scopes: ['READ_MEETING'] } },
        TOKENS.lms,
      )
    ).body.data!.issueAccessToken.token;
    for (const [op, vars] of [
      [WEBHOOK_DELIVERIES, {}],
      [REDELIVER_WEBHOOK, { eventId: 'evt_x' }],
    ] as const) {
      const res = await gql(stack, op, vars, `Bearer ${token}`);
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      expect(res.body.data ?? null).toBeNull();
    }
  });
});
