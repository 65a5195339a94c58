import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CreateMeetingMutation,
  type JoinUrlQuery,
  type MeetingQuery,
  type MeetingsQuery,
  type RecordingsQuery,
  type UnpublishRecordingsMutation,
} from '../generated/graphql.js';
import { callSimulator, gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { createBbbClient } from '../../src/bbb/client.js';
import type { BbbClient } from '../../src/bbb/types.js';
import { startSimulator, type SimRecording, type Simulator } from '../../src/simulator/index.js';
import {
  CREATE,
  DELETE,
  END,
  JOIN,
  MEETING,
  MEETINGS,
  PUBLISH,
  RECORDINGS,
  UNPUBLISH,
  UPDATE,
} from '../helpers/operations.js';

type Created = CreateMeetingMutation['createMeeting'];

/** The code, status and message of a failed GraphQL operation, for comparing two refusals. */
async function refusal(stack: { url: string }, query: string, variables: Record<string, unknown>, token: string) {
  const res = await gql(stack, query, variables, token);
  return {
    status: res.status,
    code: res.body.errors?.[0]?.extensions?.code,
    message: res.body.errors?.[0]?.message,
    data: res.body.data ?? null,
  };
}

describe('isolation between applications', () => {
  let stack: Stack;
  let lmsMeeting: Created;
  let lmsRecording: SimRecording;
  let portalRecording: SimRecording;
  let outsideRecording: SimRecording;
  const outsideMeetingId = 'made-outside-the-gateway';

  beforeAll(async () => {
    stack = await startStack();
    const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'LMS only' } }, TOKENS.lms);
    lmsMeeting = res.body.data!.createMeeting;
    const base = Date.UTC(2025, 1, 1);
    lmsRecording = stack.sim.seedRecording({
      meetingID: lmsMeeting.meetingId,
      name: 'LMS only',
      startTime: base,
      metadata: { 'bbb-interface-app': 'lms' },
    });
    portalRecording = stack.sim.seedRecording({
      meetingID: 'portal-room',
      name: 'Portal',
      startTime: base + 1000,
      metadata: { 'bbb-interface-app': 'portal' },
    });
    outsideRecording = stack.sim.seedRecording({
      meetingID: outsideMeetingId,
      name: 'Outside',
      startTime: base + 2000,
    });
    await callSimulator(stack.sim, 'create', {
      name: 'Outside',
      meetingID: outsideMeetingId,
      attendeePW: 'ap-outside',
      moderatorPW: 'mp-outside',
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  describe("another app (portal) gets NOT_FOUND for lms's meeting, exactly as for a meeting that does not exist", () => {
    it.each([
      ['meeting()', MEETING, (id: string) => ({ meetingId: id })],
      ['endMeeting', END, (id: string) => ({ meetingId: id })],
    ])('%s', async (_label, query, vars) => {
      const theirs = await refusal(stack, query, vars(lmsMeeting.meetingId), TOKENS.portal);
      const missing = await refusal(stack, query, vars('no-such-meeting-anywhere'), TOKENS.portal);
      expect(theirs).toEqual({ status: 404, code: 'NOT_FOUND', message: missing.message, data: null });
      expect(missing.code).toBe('NOT_FOUND');
    });

    it('joinUrl, even with the right password and createTime', async () => {
      const input = {
        name: 'Intruder',
        meetingId: lmsMeeting.meetingId,
        password: lmsMeeting.moderatorPass,
        createTime: lmsMeeting.createTime,
      };
      const theirs = await refusal(stack, JOIN, { input }, TOKENS.portal);
      const missing = await refusal(
        stack,
        JOIN,
        { input: { ...input, meetingId: 'no-such-meeting-anywhere' } },
        TOKENS.portal,
      );
      expect(theirs).toEqual({ status: 404, code: 'NOT_FOUND', message: missing.message, data: null });
    });

    it('REST POST /join, even with the right password and createTime', async () => {
      const body = {
        name: 'Intruder',
        meeting_id: lmsMeeting.meetingId,
        password: lmsMeeting.moderatorPass,
        create_time: lmsMeeting.createTime,
      };
      const theirs = await post<{ message: string }>(`${stack.url}/join`, body, { authorization: TOKENS.portal });
      const missing = await post<{ message: string }>(
        `${stack.url}/join`,
        { ...body, meeting_id: 'no-such-meeting-anywhere' },
        { authorization: TOKENS.portal },
      );
      expect(theirs.status).toBe(404);
      expect(theirs.headers.get('location')).toBeNull();
      expect(theirs.body).toEqual(missing.body);
      expect(missing.status).toBe(404);
    });

    it('meetings does not list it, nor a meeting made outside the gateway', async () => {
      const res = await gql<MeetingsQuery>(stack, MEETINGS, {}, TOKENS.portal);
      const ids = res.body.data!.meetings.map((m) => m.meetingId);
      expect(ids).not.toContain(lmsMeeting.meetingId);
      expect(ids).not.toContain(outsideMeetingId);
    });

    it('the meeting was left alone: lms still reads it and BBB was never asked to end it', async () => {
      const ends = stack.sim.received.filter((r) => r.call === 'end' && r.params.meetingID === lmsMeeting.meetingId);
      expect(ends).toEqual([]);
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: lmsMeeting.meetingId }, TOKENS.lms);
      expect(res.body.data!.meeting.meetingId).toBe(lmsMeeting.meetingId);
    });
  });

  describe('recordings', () => {
    it("lists each app's own recordings only, even when asked by lms's meetingId", async () => {
      const ids = async (token: string, variables: Record<string, unknown> = {}) => {
        const res = await gql<RecordingsQuery>(stack, RECORDINGS, variables, token);
        expect(res.body.errors).toBeUndefined();
        return res.body.data!.recordings.nodes.map((n) => n.recordId);
      };
      expect(await ids(TOKENS.lms)).toEqual([lmsRecording.recordID]);
      expect(await ids(TOKENS.portal)).toEqual([portalRecording.recordID]);
      expect(await ids(TOKENS.portal, { meetingId: lmsMeeting.meetingId })).toEqual([]);
      expect(await ids(TOKENS.lms, { meetingId: outsideMeetingId })).toEqual([]);
    });

    it.each([
      ['publishRecordings', PUBLISH, {}],
      ['unpublishRecordings', UNPUBLISH, {}],
      ['deleteRecordings', DELETE, {}],
      ['updateRecordingMetadata', UPDATE, { metadata: [{ key: 'topic', value: 'hijacked' }] }],
    ])(
      "%s on lms's recording answers portal NOT_FOUND, worded as for a recording that does not exist, and changes nothing",
      async (_label, query, extra) => {
        const mutationsBefore = ['publishRecordings', 'deleteRecordings', 'updateRecordings'].map((c) =>
          stack.sim.callCount(c),
        );
        const theirs = await refusal(stack, query, { recordIds: [lmsRecording.recordID], ...extra }, TOKENS.portal);
        const missing = await refusal(stack, query, { recordIds: ['no-such-recording'], ...extra }, TOKENS.portal);
        expect(theirs).toMatchObject({ status: 404, code: 'NOT_FOUND', data: null });
        expect(theirs.message).toBe(missing.message!.replace('no-such-recording', lmsRecording.recordID));
        expect(
          ['publishRecordings', 'deleteRecordings', 'updateRecordings'].map((c) => stack.sim.callCount(c)),
        ).toEqual(mutationsBefore);
      },
    );

    it("refuses a batch that mixes the caller's recording with another app's, and changes neither", async () => {
      const res = await refusal(
        stack,
        UNPUBLISH,
        { recordIds: [portalRecording.recordID, lmsRecording.recordID] },
        TOKENS.portal,
      );
      expect(res).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(res.message).toContain(lmsRecording.recordID);
      const still = await gql<RecordingsQuery>(stack, RECORDINGS, { states: ['PUBLISHED'] }, TOKENS.admin);
      expect(still.body.data!.recordings.nodes.map((n) => n.recordId)).toEqual(
        expect.arrayContaining([lmsRecording.recordID, portalRecording.recordID]),
      );
    });

    it('does not let an app untag a recording (the tag key is refused)', async () => {
      const res = await refusal(
        stack,
        UPDATE,
        { recordIds: [portalRecording.recordID], metadata: [{ key: 'bbb-interface-app', value: '' }] },
        TOKENS.portal,
      );
      expect(res).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    });
  });

  describe('an app granted all meetings (admin, in API_ALL_MEETINGS_APPS)', () => {
    it("reads and lists lms's meeting and the one made outside the gateway", async () => {
      const one = await gql<MeetingQuery>(stack, MEETING, { meetingId: lmsMeeting.meetingId }, TOKENS.admin);
      expect(one.body.data!.meeting.meetingId).toBe(lmsMeeting.meetingId);
      // Not even an app with every meeting sees the gateway's own keys.
      expect(one.body.data!.meeting.metadata).toEqual([]);
      const list = await gql<MeetingsQuery>(stack, MEETINGS, {}, TOKENS.admin);
      expect(list.body.data!.meetings.map((m) => m.meetingId)).toEqual(
        expect.arrayContaining([lmsMeeting.meetingId, outsideMeetingId]),
      );
    });

    it("gets a working join link for lms's meeting", async () => {
      const res = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        {
          input: {
            name: 'Operator',
            meetingId: lmsMeeting.meetingId,
            password: lmsMeeting.attendeePass,
            createTime: lmsMeeting.createTime,
          },
        },
        TOKENS.admin,
      );
      expect(res.body.errors).toBeUndefined();
      expect((await openJoinLink(res.body.data!.joinUrl)).role).toBe('VIEWER');
    });

    it("lists every app's recordings and those made outside, without asking BBB for a tag", async () => {
      const res = await gql<RecordingsQuery>(stack, RECORDINGS, {}, TOKENS.admin);
      expect(res.body.data!.recordings.nodes.map((n) => n.recordId)).toEqual([
        lmsRecording.recordID,
        portalRecording.recordID,
        outsideRecording.recordID,
      ]);
      const asked = stack.sim.received.filter((r) => r.call === 'getRecordings').at(-1)!.params;
      expect(Object.keys(asked).filter((k) => k.startsWith('meta_'))).toEqual([]);
    });

    it('unpublishes a recording made outside the gateway', async () => {
      const res = await gql<UnpublishRecordingsMutation>(
        stack,
        UNPUBLISH,
        { recordIds: [outsideRecording.recordID] },
        TOKENS.admin,
      );
      expect(res.body.data!.unpublishRecordings).toEqual([
        { recordId: outsideRecording.recordID, state: 'UNPUBLISHED', published: false },
      ]);
    });

    it("ends lms's meeting, after which lms gets NOT_FOUND", async () => {
      // A meeting of its own: the other tests of the file use lmsMeeting and need it running.
      const doomed = (
        await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Ended by admin' } }, TOKENS.lms)
      ).body.data!.createMeeting;
      const ended = await gql(stack, END, { meetingId: doomed.meetingId }, TOKENS.admin);
      expect(ended.body).toEqual({ data: { endMeeting: true } });
      const read = await refusal(stack, MEETING, { meetingId: doomed.meetingId }, TOKENS.lms);
      expect(read).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });
});

describe('isolation needs no gateway state: the tag lives on the BBB server', () => {
  let first: Stack;
  let second: Stack;

  beforeAll(async () => {
    first = await startStack();
    second = await startStack({ simulator: first.sim });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it("a meeting created through one gateway is lms's through another, and not portal's", async () => {
    const created = await gql<CreateMeetingMutation>(first, CREATE, { input: { name: 'Replicated' } }, TOKENS.lms);
    const { meetingId } = created.body.data!.createMeeting;
    const mine = await gql<MeetingQuery>(second, MEETING, { meetingId }, TOKENS.lms);
    expect(mine.body.data!.meeting.name).toBe('Replicated');
    const theirs = await refusal(second, MEETING, { meetingId }, TOKENS.portal);
    expect(theirs).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('isolation against a server that ignores the meta filter', () => {
  let sim: Simulator;
  let stack: Stack;
  let lms: string[];
  let portal: string[];

  beforeAll(async () => {
    sim = await startSimulator();
    const real = createBbbClient({ baseUrl: sim.url, secret: sim.secret });
    // The same BBB, minus the meta_ filters: what a server that does not implement them would answer.
    const ignoresMeta: BbbClient = {
      ...real,
      getRecordings: ({ meta: _dropped, ...rest } = {}) => real.getRecordings(rest),
    };
    stack = await startStack({ simulator: sim, deps: { bbb: ignoresMeta } });
    const t0 = Date.UTC(2025, 3, 1);
    lms = [];
    portal = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? 'lms' : 'portal';
      const rec = sim.seedRecording({
        meetingID: `mixed-${i}`,
        name: `Mixed ${i}`,
        startTime: t0 + i * 1000,
        metadata: { 'bbb-interface-app': app },
      });
      (app === 'lms' ? lms : portal).push(rec.recordID);
    }
  });
  afterAll(async () => {
    await stack.close();
    await sim.close();
  });

  it("still lists only the caller's recordings, page by page", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: RecordingsQuery['recordings'] = (
        await gql<RecordingsQuery>(stack, RECORDINGS, { first: 2, after }, TOKENS.portal)
      ).body.data!.recordings;
      seen.push(...page.nodes.map((n) => n.recordId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(portal);
    // The server was asked without the tag, so the filtering happened in the gateway.
    expect(
      sim.received.filter((r) => r.call === 'getRecordings').every((r) => !('meta_bbb-interface-app' in r.params)),
    ).toBe(true);
  });

  it("still refuses to change another app's recording", async () => {
    const res = await refusal(stack, DELETE, { recordIds: [lms[0]] }, TOKENS.portal);
    expect(res).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(sim.callCount('deleteRecordings')).toBe(0);
  });
});
