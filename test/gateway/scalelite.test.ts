import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CreateMeetingMutation,
  type JoinUrlQuery,
  type MeetingQuery,
  type MeetingsQuery,
  type RecordingsQuery,
  type UpdateRecordingMetadataMutation,
} from '../generated/graphql.js';
import { callSimulator, gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, END, JOIN, MEETING, MEETINGS, RECORDINGS, UPDATE } from '../helpers/operations.js';

type Created = CreateMeetingMutation['createMeeting'];

async function createMeeting(stack: Stack, name: string, token: string = TOKENS.lms): Promise<Created> {
  const res = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name } }, token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createMeeting;
}

describe('behind Scalelite', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ sim: { mode: 'scalelite' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("creates a meeting tagged with the app, and its join link lands through Scalelite's redirect to the backend", async () => {
    const m = await createMeeting(stack, 'Behind the balancer');
    expect(stack.sim.received.filter((r) => r.call === 'create').at(-1)!.params['meta_bbb-interface-app']).toBe('lms');
    const join = await gql<JoinUrlQuery>(stack, JOIN, {
      input: {
        name: 'Prof Ada',
        meetingId: m.meetingId,
        password: m.moderatorPass,
        createTime: m.createTime,
        userId: 'ada',
      },
    });
    expect(join.body.errors).toBeUndefined();
    const page = await openJoinLink(join.body.data!.joinUrl);
    expect(page).toMatchObject({
      status: 200,
      role: 'MODERATOR',
      fullName: 'Prof Ada',
      meetingName: 'Behind the balancer',
    });
    // The gateway's link, then Scalelite's 302 to the backend's join, then the client.
    expect(page.hops).toHaveLength(2);
    expect(new URL(page.hops[1]!).pathname).toBe('/bbb-backend/bigbluebutton/api/join');

    const meeting = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
    expect(meeting.body.errors).toBeUndefined();
    expect(meeting.body.data!.meeting).toMatchObject({ running: true, participantCount: 1, moderatorCount: 1 });
    expect(meeting.body.data!.meeting.attendees).toEqual([
      expect.objectContaining({ userId: 'ada', role: 'MODERATOR', isPresenter: true }),
    ]);
  });

  it('serves the REST /join redirect through Scalelite too', async () => {
    const m = await createMeeting(stack, 'REST behind the balancer');
    const res = await post(
      `${stack.url}/join`,
      { name: 'Bo', meeting_id: m.meetingId, password: m.attendeePass, create_time: m.createTime },
      { authorization: TOKENS.lms },
    );
    expect(res.status).toBe(303);
    expect((await openJoinLink(res.headers.get('location')!)).role).toBe('VIEWER');
  });

  it("lists the app's meetings (getMeetings enabled) and not another app's", async () => {
    const mine = await createMeeting(stack, 'Listed');
    const theirs = await createMeeting(stack, 'Not listed', TOKENS.portal);
    const res = await gql<MeetingsQuery>(stack, MEETINGS, {});
    const ids = res.body.data!.meetings.map((m) => m.meetingId);
    expect(ids).toContain(mine.meetingId);
    expect(ids).not.toContain(theirs.meetingId);
  });

  it("maps Scalelite's differently worded notFound by its key: the same NOT_FOUND message as against BBB", async () => {
    const raw = await callSimulator(stack.sim, 'getMeetingInfo', { meetingID: 'nobody-made-this' });
    expect(raw).toContain('<messageKey>notFound</messageKey>');
    expect(raw).toContain('We could not find a meeting with that meeting ID');
    const res = await gql(stack, MEETING, { meetingId: 'nobody-made-this' });
    expect(res.status).toBe(404);
    expect(res.body.errors?.[0]).toMatchObject({
      message:
        'No running meeting has that meetingId for this application; it may have ended, expired, or never existed.',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('ends a meeting; afterwards meeting(), joinUrl, REST /join and a second endMeeting answer NOT_FOUND', async () => {
    const m = await createMeeting(stack, 'Ending behind the balancer');
    const ended = await gql(stack, END, { meetingId: m.meetingId });
    expect(ended.body).toEqual({ data: { endMeeting: true } });
    const joinInput = { name: 'Late', meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime };
    for (const [query, variables] of [
      [MEETING, { meetingId: m.meetingId }],
      [JOIN, { input: joinInput }],
      [END, { meetingId: m.meetingId }],
    ] as const) {
      const res = await gql(stack, query, variables);
      expect(res.status).toBe(404);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const rest = await post(
      `${stack.url}/join`,
      { name: 'Late', meeting_id: m.meetingId, password: m.attendeePass, create_time: m.createTime },
      { authorization: TOKENS.lms },
    );
    expect(rest.status).toBe(404);
  });

  describe('recordings', () => {
    it('pages 7 recordings 3 at a time although Scalelite ignores offset and limit', async () => {
      stack.sim.reset();
      const t0 = Date.UTC(2025, 2, 1);
      const mine = Array.from(
        { length: 7 },
        (_, i) =>
          stack.sim.seedRecording({
            meetingID: `sl-${i}`,
            name: `SL ${i}`,
            startTime: t0 + i * 1000,
            metadata: { 'bbb-interface-app': 'lms' },
          }).recordID,
      );
      // What Scalelite itself does with offset and limit: nothing.
      const raw = await callSimulator(stack.sim, 'getRecordings', {
        'meta_bbb-interface-app': 'lms',
        offset: '3',
        limit: '3',
      });
      expect(raw.match(/<recordID>/g)).toHaveLength(7);

      const seen: string[] = [];
      let after: string | null = null;
      const sizes: number[] = [];
      for (let guard = 0; guard < 10; guard++) {
        const page: RecordingsQuery['recordings'] = (await gql<RecordingsQuery>(stack, RECORDINGS, { first: 3, after }))
          .body.data!.recordings;
        sizes.push(page.nodes.length);
        seen.push(...page.nodes.map((n) => n.recordId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(mine);
    });

    it("reads Scalelite's differently worded noRecordings as an empty page", async () => {
      stack.sim.reset();
      const raw = await callSimulator(stack.sim, 'getRecordings', { 'meta_bbb-interface-app': 'lms' });
      expect(raw).toContain('There are not recordings for the meetings');
      const res = await gql<RecordingsQuery>(stack, RECORDINGS, {});
      expect(res.body.data!.recordings).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    });

    it('updates metadata, and answers NOT_FOUND for a recording Scalelite does not know (it would answer SUCCESS updated=false)', async () => {
      stack.sim.reset();
      const rec = stack.sim.seedRecording({
        meetingID: 'sl-meta',
        name: 'Meta',
        metadata: { 'bbb-interface-app': 'lms' },
      });
      const ok = await gql<UpdateRecordingMetadataMutation>(stack, UPDATE, {
        recordIds: [rec.recordID],
        metadata: [{ key: 'topic', value: 'Load balancing' }],
      });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.updateRecordingMetadata[0]!.metadata).toEqual(
        expect.arrayContaining([{ key: 'topic', value: 'Load balancing' }]),
      );

      const raw = await callSimulator(stack.sim, 'updateRecordings', {
        recordID: 'unknown-recording',
        meta_topic: 'x',
      });
      expect(raw).toContain('<updated>false</updated>');
      const missing = await gql(stack, UPDATE, {
        recordIds: ['unknown-recording'],
        metadata: [{ key: 'topic', value: 'x' }],
      });
      expect(missing.status).toBe(404);
      expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });
});

describe('behind Scalelite with GET_MEETINGS_API_DISABLED', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ sim: { mode: 'scalelite', getMeetingsDisabled: true } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers meetings with an empty list, as Scalelite does, while meeting(), joinUrl and endMeeting still work by ID', async () => {
    const m = await createMeeting(stack, 'Unlisted');
    const list = await gql<MeetingsQuery>(stack, MEETINGS, {}, TOKENS.admin);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: { meetings: [] } });

    const one = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
    expect(one.body.data!.meeting.name).toBe('Unlisted');
    const join = await gql<JoinUrlQuery>(stack, JOIN, {
      input: { name: 'Ann', meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).role).toBe('VIEWER');
    const ended = await gql(stack, END, { meetingId: m.meetingId });
    expect(ended.body).toEqual({ data: { endMeeting: true } });
  });
});
