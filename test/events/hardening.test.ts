import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CreateMeetingMutation, JoinUrlQuery } from '../generated/graphql.js';
import { callbackUrl } from '../../src/events/callback-routes.js';
import { callbackKeyFrom, mintCallbackToken, newNonce, verifyCallbackToken } from '../../src/events/callback-token.js';
import { CREATE, END, JOIN } from '../helpers/operations.js';
import { callSimulator, gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { startAppReceivers, type AppReceivers, type Receiver } from './support/receiver.js';

const SIGNING_KEY = 'hardening-test-current-signing-key-0123456789';
const OLD_KEY = 'hardening-test-previous-signing-key-012345678';

/**
 * The events pipeline's defences, over real HTTP against the simulator: end callbacks confirmed with BBB, recording polls
 * once per session, callback tokens surviving a key rotation (in-process queue).
 */
describe('events hardening', () => {
  let stack: Stack;
  let receivers: AppReceivers;
  let lms: Receiver;

  beforeAll(async () => {
    receivers = await startAppReceivers(SIGNING_KEY);
    lms = receivers.lms;
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: receivers.endpoints,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_SIGNING_KEY_PREVIOUS: OLD_KEY,
        WEBHOOK_RETRY_SCHEDULE_MS: '10',
        RECORDING_POLL_SCHEDULE_MS: '20,20,20,20,20',
      },
      sim: { callbackRetryScheduleMs: [10, 10, 10, 10] },
    });
  });

  afterAll(async () => {
    await stack.close();
    await receivers.close();
  });

  const create = async (input: Record<string, unknown>) => {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input }, TOKENS.lms);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  };
  const join = async (m: { meetingId: string; createTime: string }) => {
    const res = await gql<JoinUrlQuery>(stack, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect(res.body.errors).toBeUndefined();
    expect((await openJoinLink(res.body.data!.joinUrl)).status).toBeLessThan(400);
  };
  const endedUrlOf = (meetingId: string) =>
    stack.sim.received.find((r) => r.call === 'create' && r.params['meetingID'] === meetingId)!.params[
      'meetingEndedURL'
    ]!;
  /** Waits until `meetingId`'s webhooks include `type` (a later event: anything queued before it has arrived too). */
  const arrived = async (meetingId: string, type: string) => {
    await lms.until(() => lms.typesFor(meetingId).includes(type));
  };

  it('a leaked end URL cannot announce an end BBB does not confirm: 409 while the session runs, one meeting.ended after', async () => {
    const m = await create({ name: 'Still running' });
    await join(m);
    await arrived(m.meetingId, 'meeting.created');
    const url = endedUrlOf(m.meetingId);
    const early = await fetch(url);
    expect(early.status).toBe(409);
    expect(await early.json()).toEqual({ message: expect.stringMatching(/still running/) });
    // BBB ends it (not through the gateway) and calls the same URL: now it is confirmed.
    await callSimulator(stack.sim, 'end', { meetingID: m.meetingId });
    await stack.sim.callbacksIdle();
    expect(stack.sim.callbacks.filter((c) => c.url === url).map((c) => c.status)).toEqual([204]);
    await arrived(m.meetingId, 'meeting.ended');
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended']);
    expect(stack.logs.join('\n')).toContain('BBB reports as running');
  });

  const unconfirmedEnds = async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const line =
      /^bbb_interface_events_received_total\{source="bbb-callback",kind="ended",outcome="unconfirmed"\} (\d+)/m;
    return Number(line.exec(metrics)?.[1] ?? 0);
  };

  it('answers 503 when BBB cannot be asked (BBB retries the end callback), and counts it', async () => {
    const m = await create({ name: 'BBB away' });
    const before = await unconfirmedEnds();
    stack.sim.injectFault({ fault: { kind: 'status', status: 503 }, calls: ['getMeetingInfo'] });
    try {
      expect((await fetch(endedUrlOf(m.meetingId))).status).toBe(503);
    } finally {
      stack.sim.clearFaults();
    }
    // Counted as this test's one more, whatever the file's other tests counted before it.
    expect(await unconfirmedEnds()).toBe(before + 1);
  });

  it("starts a session's recording polls once: a repeated end signal after they finished polls no more", async () => {
    const m = await create({ name: 'Recorded once', record: true });
    await join(m);
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await stack.sim.callbacksIdle();
    await stack.gateway.events!.meetings.idle();
    await arrived(m.meetingId, 'recording.ready');
    const polls = stack.sim.callCount('getRecordings');
    expect(polls).toBeGreaterThan(0);
    // BBB's end callback again (a replay, or BBB's own retry): accepted, but no second round of polls.
    expect((await fetch(endedUrlOf(m.meetingId))).status).toBe(204);
    await stack.gateway.events!.meetings.idle();
    expect(stack.sim.callCount('getRecordings')).toBe(polls);
    expect(lms.typesFor(m.meetingId)).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
  });

  it('accepts callback tokens minted with a previous key (live meetings survive a rotation); mints with the current one', async () => {
    const old = mintCallbackToken(callbackKeyFrom(OLD_KEY), {
      kind: 'ended',
      app: 'lms',
      meetingId: 'room-rotated',
      nonce: newNonce(),
      issuedAtMs: Date.now(),
    });
    const other = mintCallbackToken(callbackKeyFrom('some-other-signing-key-0123456789abcdef'), {
      kind: 'ended',
      app: 'lms',
      meetingId: 'room-rotated',
      nonce: newNonce(),
      issuedAtMs: Date.now(),
    });
    expect((await fetch(callbackUrl(stack.url, 'ended', other))).status).toBe(401);
    expect((await fetch(callbackUrl(stack.url, 'ended', old))).status).toBe(204);
    await arrived('room-rotated', 'meeting.ended');
    const m = await create({ name: 'After the rotation' });
    const token = new URL(endedUrlOf(m.meetingId)).searchParams.get('t')!;
    expect(verifyCallbackToken(callbackKeyFrom(SIGNING_KEY), token, 'ended')).toBeDefined();
    expect(verifyCallbackToken(callbackKeyFrom(OLD_KEY), token, 'ended')).toBeUndefined();
  });
});
