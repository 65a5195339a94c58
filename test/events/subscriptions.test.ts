import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { CreateMeetingMutation, JoinUrlQuery, MeetingEventsQuery } from '../generated/graphql.js';
import type { GatewayEvent } from '../../src/events/types.js';
import { CREATE, ISSUE_TOKEN, JOIN, MEETING_EVENTS } from '../helpers/operations.js';
import { callSimulator, gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { sampleValue, scrapeMetrics, waitFor } from '../ops/support/ops-helpers.js';
import { sseSubscribe, WsClient } from './support/subscriber.js';

const SIGNING_KEY = 'subscriptions-events-signing-key-0123456789';
const ACCESS_KEY = 'subscriptions-access-token-key-0123456789abcdef';

type Meeting = CreateMeetingMutation['createMeeting'];

/**
 * Subscription.meetingEvents and Query.meetingEvents on one gateway without Redis (the in-memory log) and without any
 * webhook endpoint: WEBHOOK_SIGNING_KEY alone switches events on. Real graphql-ws and graphql-sse clients over real
 * sockets; the events come from the simulator's callbacks (BBB ending the meeting, the recording becoming ready).
 */
describe('meeting-event subscriptions (one gateway, in-memory log)', () => {
  let stack: Stack;
  const clients: WsClient[] = [];
  const client = (token: string | undefined, options?: { header?: boolean; params?: Record<string, unknown> }) => {
    const c = new WsClient(stack.url, token, options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startStack({
      sim: { recordingProcessingMs: 30, callbackRetryScheduleMs: [10, 10, 10, 10] },
      env: {
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        ACCESS_TOKEN_SIGNING_KEY: ACCESS_KEY,
        // The recording.ready here must be the callback's, not a poll's.
        RECORDING_POLL_SCHEDULE_MS: '3600000',
        SUBSCRIPTIONS_PER_CONNECTION: '2',
      },
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    // Each test counts its own subscriptions on the gauge: none of the last test's may still be open.
    await waitFor(async () => (await streaming('ws')) + (await streaming('sse')) === 0, 'every subscription to end');
  });

  afterAll(async () => {
    await stack.close();
  });

  async function createMeeting(token: string = TOKENS.lms, record = true): Promise<Meeting> {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Subscribed', record } }, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  }

  /** A moderator joins (so there is something to record), then BBB itself ends the meeting: its callbacks follow. */
  async function endOnBbb(m: Meeting): Promise<void> {
    const join = await gql<JoinUrlQuery>(stack, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    await callSimulator(stack.sim, 'end', { meetingID: m.meetingId });
  }

  async function log(variables: Record<string, unknown>, token: string = TOKENS.lms) {
    const res = await gql<MeetingEventsQuery>(stack, MEETING_EVENTS, variables, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.meetingEvents;
  }

  const createdId = async (m: Meeting, token: string = TOKENS.lms) =>
    (await log({ meetingId: m.meetingId, types: ['MEETING_CREATED'] }, token)).nodes[0]!.id;

  /** Subscriptions this gateway streams (the gauge is set once a subscription's tail is in place). */
  const streaming = async (transport: 'ws' | 'sse') =>
    sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscriptions', { transport }) ?? 0;

  it('streams meeting.ended and recording.ready from BBB callbacks, typed, with the webhook ids', async () => {
    const m = await createMeeting();
    const ws = client(TOKENS.lms);
    // after: the meeting.created event; so nothing is missed between subscribing and the end.
    const sub = ws.subscribe({ meetingId: m.meetingId, after: await createdId(m) });
    await waitFor(async () => (await streaming('ws')) === 1, 'the subscription to stream');
    await endOnBbb(m);
    const [ended, ready] = await sub.count(2);
    expect(sub.errors).toEqual([]);
    expect(ended).toMatchObject({
      __typename: 'MeetingEndedEvent',
      type: 'MEETING_ENDED',
      meetingId: m.meetingId,
    });
    expect(ready).toMatchObject({
      __typename: 'RecordingReadyEvent',
      type: 'RECORDING_READY',
      meetingId: m.meetingId,
      recordId: expect.any(String),
    });
    expect(Date.parse((ended as { occurredAt: string }).occurredAt)).not.toBeNaN();
    // The same events, under the same ids, in the log (the ids are the webhooks' webhook-id).
    const logged = await log({ meetingId: m.meetingId });
    expect(logged.nodes.map((n) => [n.type, n.id])).toEqual([
      ['MEETING_CREATED', expect.any(String)],
      ['MEETING_ENDED', ended!.id],
      ['RECORDING_READY', ready!.id],
    ]);
    expect(stack.sim.callbacks.map((c) => [c.kind, c.status])).toEqual(
      expect.arrayContaining([
        ['ended', 204],
        ['recording-ready', 204],
      ]),
    );
  });

  it('without after, streams from the moment the subscription is in place; types filters', async () => {
    const m = await createMeeting();
    const ws = client(TOKENS.lms);
    const sub = ws.subscribe({ meetingId: m.meetingId, types: ['RECORDING_READY'] });
    await waitFor(async () => (await streaming('ws')) === 1, 'the subscription to stream');
    await endOnBbb(m);
    const [ready] = await sub.count(1);
    expect(ready).toMatchObject({ type: 'RECORDING_READY', meetingId: m.meetingId });
    // The ended event came first, filtered out; a later event of this meeting would be a second one, and none exists.
    const logged = await log({ meetingId: m.meetingId, types: ['RECORDING_READY'] });
    expect(logged.nodes.map((n) => n.id)).toEqual([ready!.id]);
  });

  it('a client that reconnects with after gets exactly what it missed, then the live events', async () => {
    const first = await createMeeting(TOKENS.lms, false);
    const ws = client(TOKENS.lms);
    const sub = ws.subscribe({ after: await createdId(first) });
    await waitFor(async () => (await streaming('ws')) === 1, 'the subscription to stream');
    const second = await createMeeting(TOKENS.lms, false);
    const [seen] = await sub.count(1);
    expect(seen).toMatchObject({ type: 'MEETING_CREATED', meetingId: second.meetingId });
    // Gone: the socket closes.
    await ws.dispose();
    await waitFor(async () => (await streaming('ws')) === 0, 'the subscription to end');

    const missed = [await createMeeting(TOKENS.lms, false), await createMeeting(TOKENS.lms, false)];
    const again = client(TOKENS.lms);
    const resumed = again.subscribe({ after: seen!.id });
    const replayed = await resumed.count(2);
    expect(replayed.map((e) => e.meetingId)).toEqual(missed.map((x) => x.meetingId));
    const live = await createMeeting(TOKENS.lms, false);
    await resumed.count(3);
    expect(resumed.events.map((e) => [e.type, e.meetingId])).toEqual([
      ['MEETING_CREATED', missed[0]!.meetingId],
      ['MEETING_CREATED', missed[1]!.meetingId],
      ['MEETING_CREATED', live.meetingId],
    ]);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(3);
  });

  it("another app's token sees none of the app's events, over WebSocket and SSE", async () => {
    const portalWs = client(TOKENS.portal).subscribe();
    const portalSse = sseSubscribe(stack.url, TOKENS.portal);
    await waitFor(async () => (await streaming('ws')) === 1 && (await streaming('sse')) === 1, 'both to stream');
    const lmsMeeting = await createMeeting(TOKENS.lms, false);
    // And an lms id is not a place portal can resume from: its log has no such event.
    const foreign = await gql<MeetingEventsQuery>(
      stack,
      MEETING_EVENTS,
      { after: await createdId(lmsMeeting) },
      TOKENS.portal,
    );
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // portal's own event comes after lms' in time: it is the first (and only) one either transport gets.
    const portalMeeting = await createMeeting(TOKENS.portal, false);
    const [viaWs] = await portalWs.count(1);
    const [viaSse] = await portalSse.count(1);
    for (const e of [viaWs, viaSse]) expect(e).toMatchObject({ meetingId: portalMeeting.meetingId });
    portalSse.unsubscribe();
    expect(portalWs.events).toHaveLength(1);
    expect(portalSse.events).toHaveLength(1);
  });

  it('SSE (graphql-sse, distinct connections) replays after an id, then streams live', async () => {
    const m = await createMeeting();
    const sub = sseSubscribe(stack.url, TOKENS.lms, { meetingId: m.meetingId, after: await createdId(m) });
    await waitFor(async () => (await streaming('sse')) === 1, 'the SSE subscription to stream');
    await endOnBbb(m);
    const events = await sub.count(2);
    sub.unsubscribe();
    expect(events.map((e) => e.type)).toEqual(['MEETING_ENDED', 'RECORDING_READY']);
    await waitFor(async () => (await streaming('sse')) === 0, 'the SSE subscription to end');
  });

  it('closes a connection with 4401 for a missing or unknown token, in connectionParams or the upgrade header', async () => {
    for (const c of [client(undefined), client('not-a-token'), client('not-a-token', { header: true })]) {
      const sub = c.subscribe();
      expect(await c.closed()).toMatchObject({ code: 4401, reason: expect.stringContaining('connection_init') });
      await sub.failed();
    }
    // The upgrade request's Authorization header works as well as connectionParams.
    // And connectionParams as Apollo Client setups send them (their HTTP headers, capitalised).
    for (const c of [
      client(TOKENS.lms, { header: true }),
      client(undefined, { params: { headers: { Authorization: `Bearer ${TOKENS.lms}` } } }),
    ]) {
      const m = await createMeeting(TOKENS.lms, false);
      const sub = c.subscribe({ after: await createdId(m) });
      const other = await createMeeting(TOKENS.lms, false);
      const [e] = await sub.count(1);
      expect(e).toMatchObject({ meetingId: other.meetingId });
    }
  });

  it('an SSE request with a bad token is refused with 401', async () => {
    const res = await fetch(`${stack.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'nope' },
      body: JSON.stringify({ query: 'subscription { meetingEvents { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const [error] = ((await res.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;
    expect(error!.extensions.code).toBe('UNAUTHENTICATED');
    // The HTTP wording (the token goes in the Authorization header here), not graphql-ws' connection_init.
    expect(error!.message).toContain('Authorization: Bearer <token>');
    expect(error!.message).not.toContain('connection');
  });

  it('access tokens: 4403 without SUBSCRIBE_EVENTS; with it, only their own meeting', async () => {
    const m = await createMeeting(TOKENS.lms, false);
    const mint = async (scopes: string[], ttlSeconds = 300) => {
      const res = await gql<{ issueAccessToken: { token: string } }>(stack, ISSUE_TOKEN, {
        input: { meetingId: m.meetingId, scopes, name: 'Student', ttlSeconds },
      });
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.issueAccessToken.token;
    };
    const joinOnly = client(await mint(['JOIN']));
    joinOnly.subscribe();
    expect(await joinOnly.closed()).toMatchObject({ code: 4403 });

    const token = await mint(['SUBSCRIBE_EVENTS']);
    const shortToken = await mint(['SUBSCRIBE_EVENTS'], 2);
    const other = await createMeeting(TOKENS.lms, false);
    const refused = client(token).subscribe({ meetingId: other.meetingId });
    const [errors] = (await refused.failed()) as Array<Array<{ extensions?: { code?: string } }>>;
    expect(errors![0]!.extensions?.code).toBe('FORBIDDEN');
    // Its own meeting, without naming it: the token's meeting is the filter.
    const own = client(token).subscribe({ after: await createdId(m) });
    const logged = await log({ meetingId: m.meetingId });
    await callSimulator(stack.sim, 'end', { meetingID: m.meetingId });
    const [ended] = await own.count(1);
    expect(ended).toMatchObject({ type: 'MEETING_ENDED', meetingId: m.meetingId });
    expect(logged.nodes).toHaveLength(1);
    // The grant is checked when the connection opens; the connection ends when the token expires.
    const shortLived = client(shortToken);
    const stream = shortLived.subscribe();
    expect(await shortLived.closed()).toEqual({ code: 4401, reason: expect.stringContaining('access token expired') });
    await stream.failed();
  });

  it("access tokens: only their meeting instance's events (not a re-created one's), and no meeting.summary", async () => {
    const m = await createMeeting(TOKENS.lms, false);
    const res = await gql<{ issueAccessToken: { token: string } }>(stack, ISSUE_TOKEN, {
      input: { meetingId: m.meetingId, scopes: ['SUBSCRIBE_EVENTS'], name: 'Student' },
    });
    const token = res.body.data!.issueAccessToken.token;
    const logged = await stack.gateway.events!.log.read('lms', undefined, 10_000);
    const created = logged.find((e) => e.event.type === 'meeting.created' && e.event.data['meetingId'] === m.meetingId);
    const internal = String(created!.event.data['internalMeetingId']);
    const [sha, createTime] = internal.split('-') as [string, string];
    const later = String(Number(createTime) + 60_000);
    const append = (id: string, type: GatewayEvent['type'], data: Record<string, unknown>) =>
      stack.gateway.events!.log.append({ id, app: 'lms', type, timestamp: new Date().toISOString(), data });
    const own = { meetingId: m.meetingId, internalMeetingId: internal };
    // The same meetingId, created again after the token was minted: another meeting.
    await append(`evt_again_${m.meetingId}`, 'meeting.created', {
      meetingId: m.meetingId,
      internalMeetingId: `${sha}-${later}`,
      createTime: new Date(Number(later)).toISOString(),
    });
    await append(`evt_summary_${m.meetingId}`, 'meeting.summary', { ...own, attendees: [] });
    await append(`evt_ready_${m.meetingId}`, 'recording.ready', { ...own, recordId: internal });
    const seen = await log({}, token);
    expect(seen.nodes.map((n) => n.id)).toEqual([created!.event.id, `evt_ready_${m.meetingId}`]);
    const sub = client(token).subscribe({ after: created!.event.id });
    const [first] = await sub.count(1);
    expect(first).toMatchObject({ id: `evt_ready_${m.meetingId}`, type: 'RECORDING_READY' });
    // The app's own token sees both instances.
    expect((await log({ meetingId: m.meetingId, types: ['MEETING_CREATED'] })).nodes).toHaveLength(2);
  });

  it('bounds subscriptions per connection (SUBSCRIPTIONS_PER_CONNECTION) and refuses queries over the socket', async () => {
    const ws = client(TOKENS.lms);
    ws.subscribe();
    ws.subscribe();
    await waitFor(async () => (await streaming('ws')) === 2, 'two subscriptions to stream');
    const third = ws.subscribe();
    const [errors] = (await third.failed()) as Array<Array<{ message: string; extensions?: { code?: string } }>>;
    expect(errors![0]!.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(errors![0]!.message).toContain('SUBSCRIPTIONS_PER_CONNECTION');
    const query = client(TOKENS.lms).subscribe({}, 'query { meetings { meetingId } }');
    const [queryErrors] = (await query.failed()) as Array<Array<{ message: string }>>;
    expect(queryErrors![0]!.message).toContain('HTTP POST /graphql');
  });

  it('Query.meetingEvents pages oldest first with event ids as cursors; an unknown after is a coded error', async () => {
    const ms = [await createMeeting(TOKENS.admin, false), await createMeeting(TOKENS.admin, false)];
    ms.push(await createMeeting(TOKENS.admin, false));
    const page1 = await log({ first: 2 }, TOKENS.admin);
    expect(page1.nodes.map((n) => n.meetingId)).toEqual(ms.slice(0, 2).map((m) => m.meetingId));
    expect(page1.edges.map((e) => e.cursor)).toEqual(page1.nodes.map((n) => n.id));
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: page1.nodes[1]!.id });
    const page2 = await log({ first: 2, after: page1.pageInfo.endCursor }, TOKENS.admin);
    expect(page2.nodes.map((n) => n.meetingId)).toEqual([ms[2]!.meetingId]);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const bad = await gql(stack, MEETING_EVENTS, { after: 'evt_nope' }, TOKENS.admin);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toContain('after');
    const tooMany = await gql(stack, MEETING_EVENTS, { first: 1000 }, TOKENS.admin);
    expect(tooMany.body.errors?.[0]?.message).toContain('first must be 1 to 100');
  });

  it('types meeting.summary events (the agreed data shape) in the stream and the log', async () => {
    const m = await createMeeting(TOKENS.portal, false);
    const sub = client(TOKENS.portal).subscribe({ meetingId: m.meetingId, after: await createdId(m, TOKENS.portal) });
    await waitFor(async () => (await streaming('ws')) === 1, 'the subscription to stream');
    // The shape of issues/summary-shape.md; every field of it is a typed GraphQL field of the same name.
    const data = {
      meetingId: m.meetingId,
      internalMeetingId: 'internal-1',
      startedAt: '2026-12-02T09:00:00.000Z',
      endedAt: '2026-12-02T09:45:00.000Z',
      durationSeconds: 2700,
      attendees: [
        {
          userId: 'u1',
          name: 'Ada',
          moderator: true,
          durationSeconds: 2650,
          joins: ['2026-12-02T09:00:10.000Z'],
          leaves: ['2026-12-02T09:44:20.000Z'],
          engagement: { chats: 3, talks: 5, raiseHands: 1, emojis: 2, pollVotes: 1, talkTimeSeconds: 600 },
        },
      ],
      pollCount: 1,
      fileCount: 2,
    };
    const id = `evt_summary_${m.meetingId}`;
    const occurredAt = '2026-12-02T10:00:00.000Z';
    // The events-I side emits these from BBB's analytics callback; here one goes into the log the way its emit does.
    await stack.gateway.events!.log.append({ id, app: 'portal', type: 'meeting.summary', timestamp: occurredAt, data });
    const expected = { __typename: 'MeetingSummaryEvent', id, type: 'MEETING_SUMMARY', occurredAt, ...data };
    const [summary] = await sub.count(1);
    expect(summary).toEqual(expected);
    const logged = await log({ meetingId: m.meetingId, types: ['MEETING_SUMMARY'] }, TOKENS.portal);
    expect(logged.nodes).toEqual([expected]);
  });

  it('a subscription sent over plain HTTP is refused with a coded error; the Sandbox page still answers GET /graphql', async () => {
    const res = await gql(stack, 'subscription { meetingEvents { id } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('graphql-ws');
    const page = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('exports the open sockets and subscriptions as metrics', async () => {
    const ws = client(TOKENS.lms);
    ws.subscribe();
    await waitFor(async () => (await streaming('ws')) === 1, 'the subscription to stream');
    const samples = await scrapeMetrics(stack.url);
    expect(sampleValue(samples, 'bbb_interface_subscription_connections', { transport: 'ws' })).toBe(1);
    await ws.dispose();
    await waitFor(
      async () =>
        sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscription_connections', { transport: 'ws' }) ===
        0,
      'the socket to be gone',
    );
  });
});
