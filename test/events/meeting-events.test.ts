import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import type { CreateMeetingMutation, JoinUrlQuery, MeetingQuery, RecordingsQuery } from '../generated/graphql.js';
import { eventId, verifyCallbackToken, callbackKeyFrom } from '../../src/events/callback-token.js';
import { CREATE, END, JOIN, MEETING, RECORDINGS } from '../helpers/operations.js';
import { gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { startAppReceivers, type AppReceivers, type Receiver } from './support/receiver.js';

const SIGNING_KEY = 'meeting-events-test-signing-key-0123456789';
const key = callbackKeyFrom(SIGNING_KEY);
type Verified = { type: string; timestamp: string; data: Record<string, unknown> };

/**
 * Step 1 and 3 of issue 14 over real HTTP: createMeeting registers the gateway's callbacks on BBB, endMeeting emits
 * meeting.ended under the callback's event ID, and a recorded meeting's recording is found by the poll (in-process queue).
 */
describe('events the gateway emits itself (createMeeting, endMeeting, recording poll)', () => {
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
        RECORDING_POLL_SCHEDULE_MS: '5,5,5',
      },
    });
  });

  afterAll(async () => {
    await stack.close();
    await receivers.close();
  });

  const createParams = (meetingId: string) =>
    stack.sim.received.find((r) => r.call === 'create' && r.params['meetingID'] === meetingId)!.params;
  const create = async (input: Record<string, unknown>, token: string = TOKENS.lms) => {
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input }, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  };

  it('registers meetingEndedURL under the listen address (PUBLIC_URL unset), never meta_endCallbackUrl, and hides its own keys', async () => {
    const m = await create({ name: 'Plain' });
    const params = createParams(m.meetingId);
    expect(params['meta_endCallbackUrl']).toBeUndefined();
    expect(params['meta_bbb-recording-ready-url']).toBeUndefined();
    const ended = new URL(params['meetingEndedURL']!);
    expect(ended.origin + ended.pathname).toBe(`${stack.url}/bbb/callbacks/v1/ended`);
    const claims = verifyCallbackToken(key, ended.searchParams.get('t')!, 'ended');
    expect(claims).toEqual({
      kind: 'ended',
      app: 'lms',
      meetingId: m.meetingId,
      nonce: expect.any(String),
      issuedAtMs: expect.any(Number),
    });
    // This meeting's delivery, whichever of the other tests' deliveries came before it.
    const forMeeting = () =>
      lms.received.find((x) => (x.verified as Verified | undefined)?.data['meetingId'] === m.meetingId);
    await lms.until(() => forMeeting() !== undefined);
    const delivery = forMeeting()!;
    expect(delivery.error).toBeUndefined();
    expect(delivery.headers['webhook-id']).toBe(eventId('meeting.created', 'lms', m.meetingId, claims!.nonce));
    expect(delivery.verified).toEqual({
      type: 'meeting.created',
      timestamp: expect.any(String),
      data: { meetingId: m.meetingId, internalMeetingId: expect.any(String), createTime: expect.any(String) },
    });
    const info = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
    expect(info.body.data!.meeting.metadata).toEqual([]);
  });

  it('REST /create registers the callbacks too, recorded meetings also the recording-ready URL', async () => {
    const res = await post(`${stack.url}/create`, { name: 'Legacy', record: true }, { authorization: TOKENS.portal });
    expect(res.status).toBe(200);
    const meetingId = (res.body as { meeting_id: string }).meeting_id;
    const params = createParams(meetingId);
    expect(verifyCallbackToken(key, new URL(params['meetingEndedURL']!).searchParams.get('t')!, 'ended')).toMatchObject(
      { app: 'portal', meetingId, record: true },
    );
    expect(
      verifyCallbackToken(
        key,
        new URL(params['meta_bbb-recording-ready-url']!).searchParams.get('t')!,
        'recording-ready',
      ),
    ).toMatchObject({ app: 'portal', meetingId });
  });

  it('create → join → end gives exactly one meeting.ended, however often BBB calls back; the recording gives exactly one recording.ready', async () => {
    const m = await create({ name: 'Recorded lecture', record: true });
    const join = await gql<JoinUrlQuery>(stack, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect(join.body.errors).toBeUndefined();
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    const end = await gql(stack, END, { meetingId: m.meetingId });
    expect(end.body.errors).toBeUndefined();
    // BBB's callbacks for the same session (the URLs the gateway registered), the end one twice as BBB's retries would.
    const params = createParams(m.meetingId);
    for (let i = 0; i < 2; i++) expect((await fetch(params['meetingEndedURL']!)).status).toBe(204);
    // The poll finds the published recording; waiting for recording.ready also lets any duplicate meeting.ended arrive first.
    await lms.until(() => lms.eventsFor(m.meetingId).some((e) => e.type === 'recording.ready'));
    const recs = await gql<RecordingsQuery>(stack, RECORDINGS, { meetingId: m.meetingId });
    const rec = recs.body.data!.recordings.edges[0]!.node;
    // The callback arriving after the poll (and twice) makes no second event; a different meeting's event then shows it.
    const jwt = await new SignJWT({ meeting_id: m.meetingId, record_id: rec.recordId })
      .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
      .sign(new TextEncoder().encode(stack.sim.secret));
    for (let i = 0; i < 2; i++) {
      const res = await fetch(params['meta_bbb-recording-ready-url']!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ signed_parameters: jwt }).toString(),
      });
      expect(res.status).toBe(204);
    }
    const marker = await create({ name: 'Marker' });
    await lms.until(() => lms.eventsFor(marker.meetingId).length === 1);
    expect(lms.eventsFor(m.meetingId).map((e) => e.type)).toEqual([
      'meeting.created',
      'meeting.ended',
      'recording.ready',
    ]);
    const mine = lms.received.filter((x) => (x.verified as Verified).data['meetingId'] === m.meetingId);
    expect(mine.map((x) => x.error)).toEqual([undefined, undefined, undefined]);
    expect(mine[2]!.verified).toEqual({
      type: 'recording.ready',
      timestamp: expect.any(String),
      data: { meetingId: m.meetingId, internalMeetingId: rec.internalMeetingId, recordId: rec.recordId },
    });
    // The gateway's callback keys never reach the app's view of the recording.
    expect(
      rec.metadata
        .map((e) => e.key)
        .filter((k) => k.includes('callback') || k.includes('ready-url') || k.includes('nonce')),
    ).toEqual([]);
    expect(portal.eventsFor(m.meetingId)).toEqual([]);
  });
});
