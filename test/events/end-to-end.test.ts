import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import type { CreateMeetingMutation, JoinUrlQuery, RecordingsQuery } from '../generated/graphql.js';
import { deriveAppSecret } from '../../src/events/signing.js';
import { CREATE, END, JOIN, RECORDINGS } from '../helpers/operations.js';
import { callSimulator, gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver, startAppReceivers, type AppReceivers } from './support/receiver.js';

const SIGNING_KEY = 'end-to-end-events-signing-key-0123456789ab';
type Verified = { type: string; data: Record<string, unknown> };

/**
 * Issue 14's "done when", end to end over real HTTP: the simulator fires BBB's callbacks at the URLs the gateway registered,
 * the gateway emits its own events and polls for recordings, and local receivers verify every webhook with standardwebhooks.
 * (The in-process queue: BullMQ's delivery is tested in delivery.test.ts; its queue keys are not per test.)
 */
describe('meeting events end to end (simulator callbacks → gateway → webhooks)', () => {
  let stack: Stack;
  let lms: Receiver;
  let portal: Receiver;

  let receivers: AppReceivers;

  beforeAll(async () => {
    receivers = await startAppReceivers(SIGNING_KEY);
    ({ lms, portal } = receivers);
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: receivers.endpoints,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_RETRY_SCHEDULE_MS: '10',
        RECORDING_POLL_SCHEDULE_MS: '20,20,20,20,20,20,20,20,20,20',
      },
      sim: { recordingProcessingMs: 60, callbackRetryScheduleMs: [10, 10, 10, 10] },
    });
  });

  afterAll(async () => {
    await stack.close();
    await receivers.close();
  });

  beforeEach(() => {
    for (const r of [lms, portal]) for (const x of r.received) expect(x.error).toBeUndefined();
  });

  const create = async (input: Record<string, unknown>, token: string = TOKENS.lms) => {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input }, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  };
  const join = async (m: { meetingId: string; createTime: string }, token: string = TOKENS.lms) => {
    const res = await gql<JoinUrlQuery>(
      stack,
      JOIN,
      { input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' } },
      token,
    );
    expect(res.body.errors).toBeUndefined();
    expect((await openJoinLink(res.body.data!.joinUrl)).status).toBeLessThan(400);
  };
  /** The callback URL (meetingEndedURL, meta_bbb-recording-ready-url) the gateway gave BBB for meeting `m`. */
  const callbackUrlOf = (m: { meetingId: string }, param: 'meetingEndedURL' | 'meta_bbb-recording-ready-url') =>
    stack.sim.received.find((r) => r.call === 'create' && r.params['meetingID'] === m.meetingId)!.params[param]!;
  /** The simulator's attempts at one of those URLs: the other tests' callbacks are not this test's business. */
  const callbacksTo = (url: string) => stack.sim.callbacks.filter((c) => c.url === url);
  /**
   * Everything has settled: the simulator's callbacks (and retries) are done, no recording poll is pending, and a marker
   * event created last has reached each receiver, so any duplicate queued before it has had its chance to arrive.
   */
  const settle = async () => {
    await stack.sim.callbacksIdle();
    await stack.gateway.events!.meetings.idle();
    for (const [r, token] of [
      [lms, TOKENS.lms],
      [portal, TOKENS.portal],
    ] as const) {
      const marker = await create({ name: 'Marker' }, token);
      await new Promise<void>((resolve) => {
        const check = () =>
          r.typesFor(marker.meetingId).length > 0
            ? resolve()
            : void r.waitForRequests(r.received.length + 1).then(check);
        check();
      });
    }
  };

  it("create → join → end gives exactly one meeting.ended (the gateway's own and BBB's callback collapse)", async () => {
    const m = await create({ name: 'Lecture' });
    await join(m);
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await settle();
    // BBB did call back (with a 2xx), and that made no second event.
    expect(callbacksTo(callbackUrlOf(m, 'meetingEndedURL')).map((c) => c.status)).toEqual([204]);
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended']);
  });

  it('a recorded meeting gives exactly one recording.ready when the callback arrives (and the poll finds it too)', async () => {
    const m = await create({ name: 'Recorded', record: true });
    await join(m);
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await settle();
    expect(callbacksTo(callbackUrlOf(m, 'meta_bbb-recording-ready-url')).map((c) => c.status)).toEqual([204]);
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
  });

  it("… and when the callback arrives twice (a balancer's duplicate)", async () => {
    const m = await create({ name: 'Recorded twice', record: true });
    await join(m);
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await stack.sim.callbacksIdle();
    const readyUrl = callbackUrlOf(m, 'meta_bbb-recording-ready-url');
    expect(callbacksTo(readyUrl).map((c) => c.status)).toEqual([204]);
    // The duplicate names the same recording, as a balancer's retry of BBB's POST would.
    const recs = await gql<RecordingsQuery>(stack, RECORDINGS, { meetingId: m.meetingId });
    const recordId = recs.body.data!.recordings.edges[0]!.node.recordId;
    const jwt = await new SignJWT({ meeting_id: m.meetingId, record_id: recordId })
      .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
      .sign(new TextEncoder().encode(stack.sim.secret));
    const res = await fetch(readyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_parameters: jwt }).toString(),
    });
    expect(res.status).toBe(204);
    await settle();
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
  });

  it('… and when the callback is lost: the poll finds the recording', async () => {
    const m = await create({ name: 'Recorded, callback lost', record: true });
    await join(m);
    stack.sim.loseCallbacks('recording-ready');
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await settle();
    expect(callbacksTo(callbackUrlOf(m, 'meta_bbb-recording-ready-url')).map((c) => c.lost)).toEqual([true]);
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
  });

  it("a meeting ended on BBB (not through the gateway) is reported from BBB's callback, and its recording found by the poll even when recording-ready is lost", async () => {
    const m = await create({ name: 'Ended on BBB', record: true });
    await join(m);
    stack.sim.loseCallbacks('recording-ready');
    await callSimulator(stack.sim, 'end', { meetingID: m.meetingId });
    await settle();
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
  });

  it("app A's callbacks never produce an event for app B", async () => {
    const a = await create({ name: 'A room', record: true }, TOKENS.lms);
    const b = await create({ name: 'B room' }, TOKENS.portal);
    await join(a, TOKENS.lms);
    await join(b, TOKENS.portal);
    await callSimulator(stack.sim, 'end', { meetingID: a.meetingId });
    await callSimulator(stack.sim, 'end', { meetingID: b.meetingId });
    await settle();
    expect(lms.typesFor(a.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
    expect(portal.typesFor(b.meetingId)).toEqual(['meeting.created', 'meeting.ended']);
    expect(portal.typesFor(a.meetingId)).toEqual([]);
    expect(lms.typesFor(b.meetingId)).toEqual([]);
  });

  it('never logs a callback token (they are credentials): not from create, not from the callbacks', async () => {
    // A recorded meeting of its own, so both callbacks were made whichever tests ran before.
    const m = await create({ name: 'Logged', record: true });
    await join(m);
    await callSimulator(stack.sim, 'end', { meetingID: m.meetingId });
    await settle();
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
    const tokens = stack.sim.received
      .filter((r) => r.call === 'create')
      .flatMap((r) => [r.params['meetingEndedURL'], r.params['meta_bbb-recording-ready-url']])
      .filter((u): u is string => u !== undefined)
      .map((u) => new URL(u).searchParams.get('t')!);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const logs = stack.logs.join('\n');
    for (const t of tokens) expect(logs).not.toContain(t);
    expect(logs).toContain('/bbb/callbacks/v1/ended');
  });
});

describe('meeting events end to end: a meeting BBB ends on its own', () => {
  let stack: Stack;
  let lms: Receiver;
  const clock = new FakeClock();

  beforeAll(async () => {
    lms = new Receiver(deriveAppSecret(SIGNING_KEY, 'lms', 1));
    const lmsUrl = await lms.start();
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: `lms=${lmsUrl}/lms`,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_RETRY_SCHEDULE_MS: '10',
      },
      // Nobody joins within BBB's 5 minutes (on the simulator's clock): it ends the meeting and calls the end URL.
      sim: { clock },
    });
  });

  afterAll(async () => {
    await stack.close();
    await lms.close();
  });

  it('gives meeting.ended from the end callback when the meeting expires', async () => {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Nobody came' } });
    const m = res.body.data!.createMeeting;
    await lms.waitForRequests(1);
    await clock.advance(300_001);
    await lms.waitForRequests(2);
    await clock.runUntil(stack.sim.callbacksIdle());
    expect(lms.received.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(lms.received.map((r) => (r.verified as Verified).type)).toEqual(['meeting.created', 'meeting.ended']);
    expect((lms.received[1]!.verified as Verified).data).toEqual({ meetingId: m.meetingId });
  });
});
