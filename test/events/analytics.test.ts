import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import type { CreateMeetingMutation, JoinUrlQuery } from '../generated/graphql.js';
import { callbackKeyFrom, eventId, mintCallbackToken, newNonce } from '../../src/events/callback-token.js';
import { callbackUrl } from '../../src/events/callback-routes.js';
import { ANALYTICS_BODY_LIMIT_BYTES } from '../../src/events/analytics.js';
import type { MeetingSummaryData } from '../../src/events/types.js';
import type { SimulatorOptions } from '../../src/simulator/index.js';
import { CREATE, END, JOIN } from '../helpers/operations.js';
import { gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { startAppReceivers, type AppReceivers, type Receiver } from './support/receiver.js';

const SIGNING_KEY = 'analytics-test-signing-key-0123456789abcdef';
type Verified = { type: string; timestamp: string; data: Record<string, unknown> };

/** A gateway with lms opted into analytics (WEBHOOK_ANALYTICS_APPS=lms), portal not; receivers verify with standardwebhooks. */
async function startAnalyticsStack(sim: SimulatorOptions = {}) {
  const receivers = await startAppReceivers(SIGNING_KEY);
  const stack = await startStack({
    env: {
      WEBHOOK_ENDPOINTS: receivers.endpoints,
      WEBHOOK_SIGNING_KEY: SIGNING_KEY,
      WEBHOOK_ANALYTICS_APPS: 'lms',
      WEBHOOK_RETRY_SCHEDULE_MS: '10',
    },
    sim,
  });
  return { stack, receivers };
}

async function createJoinEnd(stack: Stack, token: string, name: string) {
  const created = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name } }, token);
  expect(created.body.errors).toBeUndefined();
  const m = created.body.data!.createMeeting;
  const join = await gql<JoinUrlQuery>(
    stack,
    JOIN,
    { input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR', userId: 'u-ada' } },
    token,
  );
  expect(join.body.errors).toBeUndefined();
  expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
  expect((await gql(stack, END, { meetingId: m.meetingId }, token)).body.errors).toBeUndefined();
  return m;
}

/** Resolves with the first webhook of `type` for `meetingId` that `r` receives (already received counts). */
async function webhookFor(r: Receiver, type: string, meetingId: string): Promise<Verified> {
  for (;;) {
    const found = r.received.find(
      (x) =>
        (x.verified as Verified | undefined)?.type === type && (x.verified as Verified).data['meetingId'] === meetingId,
    );
    if (found) return found.verified as Verified;
    await r.waitForRequests(r.received.length + 1);
  }
}

describe('meeting.summary: the analytics callback, end to end (BBB mode)', () => {
  let stack: Stack;
  let receivers: AppReceivers;

  beforeAll(async () => {
    ({ stack, receivers } = await startAnalyticsStack());
  });

  afterAll(async () => {
    await stack.close();
    await receivers.close();
  });

  const createParams = (meetingId: string) =>
    stack.sim.received.find((r) => r.call === 'create' && r.params['meetingID'] === meetingId)!.params;
  const bearer = (payload: Record<string, unknown>, alg = 'HS512', secret = stack.sim.secret) =>
    new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg }).sign(new TextEncoder().encode(secret));
  const exp = () => Math.floor(Date.now() / 1000) + 3600;
  const summaryBody = (meetingId: string) => ({
    version: '1.0',
    meeting_id: meetingId,
    internal_meeting_id: `${'a'.repeat(40)}-1764684000000`,
    data: {
      metadata: {},
      duration: 60,
      start: '2026-12-02T14:00:00.000+00:00',
      finish: '2026-12-02T14:01:00.000+00:00',
      attendees: [],
      files: [],
      polls: [],
    },
  });
  const post = (url: string, body: unknown, authorization?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const analyticsUrl = (meetingId: string, nonce = newNonce(), app = 'lms') =>
    callbackUrl(
      stack.url,
      'analytics',
      mintCallbackToken(callbackKeyFrom(SIGNING_KEY), {
        kind: 'analytics',
        app,
        meetingId,
        nonce,
        issuedAtMs: Date.now(),
      }),
    );

  it('registers meetingKeepEvents and the analytics URL for an opted-in app only', async () => {
    const lms = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Opted in' } }, TOKENS.lms);
    const portal = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Not' } }, TOKENS.portal);
    const lmsParams = createParams(lms.body.data!.createMeeting.meetingId);
    expect(lmsParams['meetingKeepEvents']).toBe('true');
    const url = new URL(lmsParams['meta_analytics-callback-url']!);
    expect(url.origin + url.pathname).toBe(`${stack.url}/bbb/callbacks/v1/analytics`);
    const portalParams = createParams(portal.body.data!.createMeeting.meetingId);
    expect(portalParams['meetingKeepEvents']).toBeUndefined();
    expect(portalParams['meta_analytics-callback-url']).toBeUndefined();
  });

  it("turns BBB's analytics POST after the end into one meeting.summary with the attendees, in the agreed shape", async () => {
    const m = await createJoinEnd(stack, TOKENS.lms, 'Lecture with analytics');
    const summary = await webhookFor(receivers.lms, 'meeting.summary', m.meetingId);
    await stack.sim.callbacksIdle();
    expect(stack.sim.callbacks.filter((c) => c.kind === 'analytics').map((c) => c.status)).toContain(204);
    const data = summary.data as unknown as MeetingSummaryData;
    expect(data).toEqual({
      meetingId: m.meetingId,
      internalMeetingId: expect.stringMatching(/^[0-9a-f]{40}-\d+$/),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      durationSeconds: expect.any(Number),
      attendees: [
        {
          userId: 'u-ada',
          name: 'Ada',
          moderator: true,
          durationSeconds: expect.any(Number),
          joins: [expect.stringMatching(/Z$/)],
          leaves: [data.endedAt],
          engagement: { chats: 0, talks: 0, raiseHands: 0, emojis: 0, pollVotes: 0, talkTimeSeconds: 0 },
        },
      ],
      pollCount: 0,
      fileCount: 0,
    });
    expect(Date.parse(data.endedAt!)).toBeGreaterThanOrEqual(Date.parse(data.startedAt!));
  });

  it('verifies the Bearer JWT (HS512, or HS256 as BBBLB re-signs; exp required) and the meeting, and dedupes', async () => {
    const meetingId = 'room-analytics';
    const nonce = newNonce();
    const url = analyticsUrl(meetingId, nonce);
    const body = summaryBody(meetingId);
    const before = receivers.lms.received.length;
    const refused: Array<[string, Response]> = [
      ['no Authorization', await post(url, body)],
      ['another secret', await post(url, body, `Bearer ${await bearer({ exp: exp() }, 'HS512', 'not-the-secret')}`)],
      ['no exp', await post(url, body, `Bearer ${await bearer({})}`)],
      ['expired', await post(url, body, `Bearer ${await bearer({ exp: Math.floor(Date.now() / 1000) - 120 })}`)],
      ['HS384', await post(url, body, `Bearer ${await bearer({ exp: exp() }, 'HS384')}`)],
      ['other meeting', await post(url, summaryBody('room-other'), `Bearer ${await bearer({ exp: exp() })}`)],
      ['forged token', await post(`${url.slice(0, -4)}AAAA`, body, `Bearer ${await bearer({ exp: exp() })}`)],
      [
        'recording-ready token',
        await post(
          callbackUrl(
            stack.url,
            'analytics',
            mintCallbackToken(callbackKeyFrom(SIGNING_KEY), {
              kind: 'recording-ready',
              app: 'lms',
              meetingId,
              nonce,
              issuedAtMs: Date.now(),
            }),
          ),
          body,
          `Bearer ${await bearer({ exp: exp() })}`,
        ),
      ],
    ];
    for (const [why, res] of refused) {
      expect([why, res.status]).toEqual([why, 401]);
      expect(await res.json()).toEqual({ message: expect.any(String) });
    }
    const bad = await post(url, { version: '1.0', meeting_id: meetingId }, `Bearer ${await bearer({ exp: exp() })}`);
    expect(bad.status).toBe(400);
    const huge = await post(
      url,
      JSON.stringify({ ...body, pad: 'x'.repeat(ANALYTICS_BODY_LIMIT_BYTES) }),
      `Bearer ${await bearer({ exp: exp() })}`,
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ message: expect.stringContaining(String(ANALYTICS_BODY_LIMIT_BYTES)) });

    // HS256 (BBBLB) is accepted; the same summary again (a balancer's duplicate) is the same event.
    expect((await post(url, body, `Bearer ${await bearer({ exp: exp() }, 'HS256')}`)).status).toBe(204);
    expect((await post(url, body, `Bearer ${await bearer({ exp: exp() })}`)).status).toBe(204);
    // A marker event queued last: once it arrived, a duplicate queued before it would have arrived too.
    expect(
      (await post(analyticsUrl('room-marker'), summaryBody('room-marker'), `Bearer ${await bearer({ exp: exp() })}`))
        .status,
    ).toBe(204);
    await webhookFor(receivers.lms, 'meeting.summary', 'room-marker');
    const got = receivers.lms.received.slice(before);
    expect(got.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(got.map((r) => r.headers['webhook-id'])).toEqual([
      eventId('meeting.summary', 'lms', meetingId, nonce),
      expect.stringMatching(/^evt_/),
    ]);
    expect((got[0]!.verified as Verified).data).toEqual({
      meetingId,
      internalMeetingId: body.internal_meeting_id,
      startedAt: '2026-12-02T14:00:00.000Z',
      endedAt: '2026-12-02T14:01:00.000Z',
      durationSeconds: 60,
      attendees: [],
      pollCount: 0,
      fileCount: 0,
    });
  });

  it("never produces another app's event: a token names its app", async () => {
    const url = analyticsUrl('room-portal', newNonce(), 'portal');
    expect((await post(url, summaryBody('room-portal'), `Bearer ${await bearer({ exp: exp() })}`)).status).toBe(204);
    await webhookFor(receivers.portal, 'meeting.summary', 'room-portal');
    // Counted per meeting: another test's portal webhooks (a meeting.created, say) may still be arriving.
    expect(receivers.portal.typesFor('room-portal')).toEqual(['meeting.summary']);
    expect(receivers.lms.typesFor('room-portal')).toEqual([]);
  });
});

describe('meeting.summary through a Scalelite-mode simulator (HS512 Bearer, extra request fields)', () => {
  let stack: Stack;
  let receivers: AppReceivers;

  beforeAll(async () => {
    ({ stack, receivers } = await startAnalyticsStack({ mode: 'scalelite' }));
  });

  afterAll(async () => {
    await stack.close();
    await receivers.close();
  });

  it('gives one meeting.summary with the attendee', async () => {
    const m = await createJoinEnd(stack, TOKENS.lms, 'Behind Scalelite');
    const summary = await webhookFor(receivers.lms, 'meeting.summary', m.meetingId);
    expect((summary.data as unknown as MeetingSummaryData).attendees.map((a) => [a.userId, a.name])).toEqual([
      ['u-ada', 'Ada'],
    ]);
  });
});
