import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { CreateMeetingMutation, JoinUrlQuery, MeetingEventsQuery } from '../generated/graphql.js';
import { CREATE, END, JOIN, MEETING_EVENTS } from '../helpers/operations.js';
import { gql, openJoinLink, startReplicas, TOKENS, type Replicas, type Stack } from '../helpers/stack.js';
import { deleteKeys, redisClient, REDIS_URL, sampleValue, scrapeMetrics, waitFor } from '../ops/support/ops-helpers.js';
import { WsClient } from './support/subscriber.js';

const SIGNING_KEY = 'subscriptions-replicas-signing-key-0123456789';

type Meeting = CreateMeetingMutation['createMeeting'];

/**
 * Two gateway replicas on the real Redis (the event log is a Redis Stream per app; each replica tails it with XREAD)
 * in front of one simulator. The meeting is created through A, so BBB calls A back; the subscriber is on B.
 */
describe('meeting-event subscriptions across two replicas on one Redis', () => {
  const prefix = `test-subscriptions-${randomUUID()}`;
  let replicas: Replicas;
  let a: Stack;
  let b: Stack;
  const clients: WsClient[] = [];
  const client = (stack: Stack) => {
    const c = new WsClient(stack.url, TOKENS.lms);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    replicas = await startReplicas({
      sim: { recordingProcessingMs: 30, callbackRetryScheduleMs: [10, 10, 10, 10] },
      env: {
        REDIS_URL,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        // Both sources of recording.ready run: the callback (to A) and the polls (on whichever replica ended it).
        RECORDING_POLL_SCHEDULE_MS: '20,20,20,20,20,20,20,20,20,20',
      },
      deps: { eventsKeyPrefix: prefix },
    });
    ({ a, b } = replicas);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(async () => (await streaming(a)) + (await streaming(b)) === 0, 'every subscription to end');
  });

  afterAll(async () => {
    await replicas.close();
    const redis = redisClient();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  async function create(stack: Stack, record = false): Promise<Meeting> {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Replicated', record } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  }

  const createdId = async (stack: Stack, m: Meeting) => {
    const res = await gql<MeetingEventsQuery>(stack, MEETING_EVENTS, {
      meetingId: m.meetingId,
      types: ['MEETING_CREATED'],
    });
    return res.body.data!.meetingEvents.nodes[0]!.id;
  };

  const streaming = async (stack: Stack) =>
    sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscriptions', { transport: 'ws' }) ?? 0;

  it('callback into A, subscriber on B: each event exactly once, though two sources emit it', async () => {
    const m = await create(a, true);
    const sub = client(b).subscribe({ after: await createdId(b, m) });
    await waitFor(async () => (await streaming(b)) === 1, 'the subscription on B to stream');
    const join = await gql<JoinUrlQuery>(a, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    // Ended through B (B emits meeting.ended and polls for the recording); BBB calls A back for both.
    expect((await gql(b, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await replicas.sim.callbacksIdle();
    await a.gateway.events!.meetings.idle();
    await b.gateway.events!.meetings.idle();
    expect(replicas.sim.callbacks.filter((c) => c.url.startsWith(a.url)).map((c) => [c.kind, c.status])).toEqual([
      ['ended', 204],
      ['recording-ready', 204],
    ]);
    await sub.count(2);
    // A later event through A: once it is in, a duplicate logged before it would have arrived first.
    const marker = await create(a);
    await sub.until(() => sub.events.some((e) => e.meetingId === marker.meetingId));
    expect(sub.errors).toEqual([]);
    expect(sub.events.map((e) => [e.type, e.meetingId])).toEqual([
      ['MEETING_ENDED', m.meetingId],
      ['RECORDING_READY', m.meetingId],
      ['MEETING_CREATED', marker.meetingId],
    ]);
    // Both replicas read the one log.
    const viaA = await gql<MeetingEventsQuery>(a, MEETING_EVENTS, { meetingId: m.meetingId });
    expect(viaA.body.data!.meetingEvents.nodes.map((n) => n.type)).toEqual([
      'MEETING_CREATED',
      'MEETING_ENDED',
      'RECORDING_READY',
    ]);
  });

  it('a client that leaves B and reconnects to A with after gets exactly what it missed', async () => {
    const start = await create(a);
    const onB = client(b);
    const sub = onB.subscribe({ after: await createdId(a, start) });
    await waitFor(async () => (await streaming(b)) === 1, 'the subscription on B to stream');
    const seenMeeting = await create(a);
    const [seen] = await sub.count(1);
    expect(seen!.meetingId).toBe(seenMeeting.meetingId);
    await onB.dispose();

    const missed = [await create(b), await create(a)];
    const resumed = client(a).subscribe({ after: seen!.id });
    await resumed.count(2);
    const live = await create(b);
    await resumed.count(3);
    expect(resumed.events.map((e) => e.meetingId)).toEqual([...missed, live].map((x) => x.meetingId));
  });

  it("portal's subscription on B gets nothing of lms' events that A logs", async () => {
    const portal = new WsClient(b.url, TOKENS.portal);
    clients.push(portal);
    const sub = portal.subscribe();
    await waitFor(async () => (await streaming(b)) === 1, 'the subscription on B to stream');
    await create(a);
    const own = (await gql<CreateMeetingMutation>(a, CREATE, { input: { name: 'Portal' } }, TOKENS.portal)).body.data!
      .createMeeting;
    await sub.count(1);
    expect(sub.events.map((e) => e.meetingId)).toEqual([own.meetingId]);
  });
});
