import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CreateMeetingLiveMutation,
  type CreateMeetingMutation,
  type EndMeetingMutation,
  type JoinUrlQuery,
  type MeetingQuery,
  type MeetingsQuery,
} from '../generated/graphql.js';
import { callSimulator, gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, CREATE_LIVE, END, JOIN, MEETING, MEETINGS } from '../helpers/operations.js';

type Created = CreateMeetingMutation['createMeeting'];

async function createMeeting(
  stack: Stack,
  input: Record<string, unknown> = { name: 'Lecture' },
  token: string = TOKENS.lms,
): Promise<Created> {
  const res = await gql<CreateMeetingMutation>(stack, CREATE, { input }, token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createMeeting;
}

function metadataOf(entries: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

describe('meeting lifecycle over GraphQL', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('meeting(meetingId)', () => {
    it('describes a meeting nobody has entered yet: not running, no attendees, its limit, and no gateway key in its metadata', async () => {
      const m = await createMeeting(stack, { name: 'Quiet room', maxParticipant: 50 });
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      const meeting = res.body.data!.meeting;
      expect(meeting).toMatchObject({
        meetingId: m.meetingId,
        name: 'Quiet room',
        createTime: m.createTime,
        createdAt: m.createdAt,
        running: false,
        hasUserJoined: false,
        recording: false,
        participantCount: 0,
        moderatorCount: 0,
        listenerCount: 0,
        voiceParticipantCount: 0,
        videoCount: 0,
        maxParticipant: 50,
        attendees: [],
      });
      // The app tag is the gateway's own key: it is kept on BBB but never listed.
      expect(metadataOf(meeting.metadata)).toEqual({});
    });

    it('reports maxParticipant as null for a meeting without a limit', async () => {
      const m = await createMeeting(stack, { name: 'Open room' });
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
      expect(res.body.data!.meeting.maxParticipant).toBeNull();
    });

    it('lists the people connected, with their roles, presenter flag and client, and counts them', async () => {
      const m = await createMeeting(stack, { name: 'Busy room' });
      stack.sim.connectUser(m.meetingId, { fullName: 'Prof Ada', role: 'MODERATOR', userID: 'lms-user-1' });
      stack.sim.connectUser(m.meetingId, { fullName: 'Student Bo', role: 'VIEWER', userID: 'lms-user-2' });
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
      expect(res.body.errors).toBeUndefined();
      const meeting = res.body.data!.meeting;
      expect(meeting).toMatchObject({ running: true, hasUserJoined: true, participantCount: 2, moderatorCount: 1 });
      expect(meeting.attendees).toEqual([
        {
          userId: 'lms-user-1',
          name: 'Prof Ada',
          role: 'MODERATOR',
          isPresenter: true,
          hasJoinedVoice: false,
          isListeningOnly: false,
          hasVideo: false,
          clientType: 'HTML5',
        },
        {
          userId: 'lms-user-2',
          name: 'Student Bo',
          role: 'VIEWER',
          isPresenter: false,
          hasJoinedVoice: false,
          isListeningOnly: false,
          hasVideo: false,
          clientType: 'HTML5',
        },
      ]);
    });

    it('shows a participant who opened a joinUrl link, under the userId given to joinUrl', async () => {
      const m = await createMeeting(stack, { name: 'Link room' });
      const join = await gql<JoinUrlQuery>(stack, JOIN, {
        input: {
          name: 'Cleo Viewer',
          meetingId: m.meetingId,
          password: m.attendeePass,
          createTime: m.createTime,
          userId: 'lms-user-9',
        },
      });
      expect((await openJoinLink(join.body.data!.joinUrl)).role).toBe('VIEWER');
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: m.meetingId });
      expect(res.body.data!.meeting.running).toBe(true);
      expect(res.body.data!.meeting.attendees).toEqual([
        expect.objectContaining({ userId: 'lms-user-9', name: 'Cleo Viewer', role: 'VIEWER' }),
      ]);
    });

    it('answers NOT_FOUND (404) with no data for a meeting that never existed', async () => {
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: 'never-created-here' });
      expect(res.status).toBe(404);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.body.errors?.[0]?.message).toMatch(/No running meeting has that meetingId/);
    });

    it.each([
      ['a comma', 'a,b'],
      ['one character', 'x'],
      ['a control character', 'ab\u0007cd'],
    ])('answers BAD_USER_INPUT (400) for a meetingId with %s, before BBB is called', async (_label, meetingId) => {
      const before = stack.sim.callCount('getMeetingInfo');
      const res = await gql(stack, MEETING, { meetingId });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(/^meetingId /);
      expect(stack.sim.callCount('getMeetingInfo')).toBe(before);
    });

    it('answers UNAUTHENTICATED (401) without a token', async () => {
      const m = await createMeeting(stack);
      const res = await gql(stack, MEETING, { meetingId: m.meetingId }, null);
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('createMeeting selecting live fields', () => {
    it('returns the live state read once after the create', async () => {
      const before = { create: stack.sim.callCount('create'), info: stack.sim.callCount('getMeetingInfo') };
      const res = await gql<CreateMeetingLiveMutation>(stack, CREATE_LIVE, {
        input: { name: 'Live at once', maxParticipant: 12 },
      });
      expect(res.body.errors).toBeUndefined();
      const m = res.body.data!.createMeeting;
      expect(m).toMatchObject({
        name: 'Live at once',
        running: false,
        hasUserJoined: false,
        participantCount: 0,
        maxParticipant: 12,
        attendees: [],
      });
      expect(metadataOf(m.metadata)).toEqual({});
      // Six live fields, one getMeetingInfo.
      expect(stack.sim.callCount('create') - before.create).toBe(1);
      expect(stack.sim.callCount('getMeetingInfo') - before.info).toBe(1);
    });
  });

  describe('meetings', () => {
    it("lists the calling app's meetings and no other app's, nor meetings made outside the gateway; admin sees them all", async () => {
      const mine = await createMeeting(stack, { name: 'LMS list room' }, TOKENS.lms);
      const theirs = await createMeeting(stack, { name: 'Portal list room' }, TOKENS.portal);
      const outsideId = `outside-${Date.now()}`;
      const created = await callSimulator(stack.sim, 'create', {
        name: 'Made by hand',
        meetingID: outsideId,
        attendeePW: 'ap-outside',
        moderatorPW: 'mp-outside',
      });
      expect(created).toContain('<returncode>SUCCESS</returncode>');
      stack.sim.connectUser(mine.meetingId, { fullName: 'Prof Ada', role: 'MODERATOR', userID: 'u-1' });

      const ids = async (token: string) => {
        const res = await gql<MeetingsQuery>(stack, MEETINGS, {}, token);
        expect(res.body.errors).toBeUndefined();
        return res.body.data!.meetings;
      };
      const lms = await ids(TOKENS.lms);
      expect(lms.map((m) => m.meetingId)).toContain(mine.meetingId);
      expect(lms.map((m) => m.meetingId)).not.toContain(theirs.meetingId);
      expect(lms.map((m) => m.meetingId)).not.toContain(outsideId);
      expect(lms.every((m) => !('bbb-interface-app' in metadataOf(m.metadata)))).toBe(true);
      expect(lms.find((m) => m.meetingId === mine.meetingId)).toMatchObject({
        name: 'LMS list room',
        createTime: mine.createTime,
        running: true,
        participantCount: 1,
        attendees: [{ userId: 'u-1', name: 'Prof Ada', role: 'MODERATOR' }],
      });

      const portal = await ids(TOKENS.portal);
      expect(portal.map((m) => m.meetingId)).toContain(theirs.meetingId);
      expect(portal.map((m) => m.meetingId)).not.toContain(mine.meetingId);
      expect(portal.map((m) => m.meetingId)).not.toContain(outsideId);

      const admin = (await ids(TOKENS.admin)).map((m) => m.meetingId);
      expect(admin).toEqual(expect.arrayContaining([mine.meetingId, theirs.meetingId, outsideId]));
    });

    it('lets admin read a meeting made outside the gateway, which has no app tag, while other apps get NOT_FOUND', async () => {
      const outsideId = `outside-read-${Date.now()}`;
      await callSimulator(stack.sim, 'create', {
        name: 'Hand made',
        meetingID: outsideId,
        attendeePW: 'ap-outside',
        moderatorPW: 'mp-outside',
      });
      const admin = await gql<MeetingQuery>(stack, MEETING, { meetingId: outsideId }, TOKENS.admin);
      expect(admin.body.errors).toBeUndefined();
      expect(admin.body.data!.meeting).toMatchObject({ meetingId: outsideId, name: 'Hand made', metadata: [] });
      const lms = await gql(stack, MEETING, { meetingId: outsideId }, TOKENS.lms);
      expect(lms.status).toBe(404);
      expect(lms.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('endMeeting', () => {
    it('ends the meeting: meeting(), joinUrl, REST /join and a second endMeeting then answer NOT_FOUND', async () => {
      const m = await createMeeting(stack, { name: 'To be ended' });
      const joinInput = { name: 'Late Lu', meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime };
      // A join before the end puts the meeting in the join cache; the end must not leave it there.
      const before = await gql<JoinUrlQuery>(stack, JOIN, { input: joinInput });
      expect(before.body.errors).toBeUndefined();
      stack.sim.connectUser(m.meetingId, { fullName: 'Prof Ada', role: 'MODERATOR' });

      const endsBefore = stack.sim.callCount('end');
      const ended = await gql<EndMeetingMutation>(stack, END, { meetingId: m.meetingId });
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ data: { endMeeting: true } });
      expect(stack.sim.callCount('end') - endsBefore).toBe(1);
      expect(stack.sim.received.filter((r) => r.call === 'end').at(-1)!.params.meetingID).toBe(m.meetingId);

      const read = await gql(stack, MEETING, { meetingId: m.meetingId });
      expect(read.status).toBe(404);
      expect(read.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      const join = await gql(stack, JOIN, { input: joinInput });
      expect(join.status).toBe(404);
      expect(join.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      const rest = await post<{ message: string }>(
        `${stack.url}/join`,
        { name: 'Late Lu', meeting_id: m.meetingId, password: m.attendeePass, create_time: m.createTime },
        { authorization: TOKENS.lms },
      );
      expect(rest.status).toBe(404);
      expect(rest.body.message).toMatch(/No running meeting has that meetingId/);

      const again = await gql(stack, END, { meetingId: m.meetingId });
      expect(again.status).toBe(404);
      expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      // The second end is refused by the gateway's own check; BBB is not asked to end twice.
      expect(stack.sim.callCount('end') - endsBefore).toBe(1);

      const list = await gql<MeetingsQuery>(stack, MEETINGS, {});
      expect(list.body.data!.meetings.map((x) => x.meetingId)).not.toContain(m.meetingId);
    });

    it('answers NOT_FOUND for a meeting that never existed, without asking BBB to end it', async () => {
      const endsBefore = stack.sim.callCount('end');
      const res = await gql(stack, END, { meetingId: 'never-created-here' });
      expect(res.status).toBe(404);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(stack.sim.callCount('end')).toBe(endsBefore);
    });
  });
});

describe('meeting lifecycle while BBB still holds an ended meeting (endedMeetingLingerMs)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ sim: { endedMeetingLingerMs: 600_000 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('treats a forcibly ended meeting as gone for meeting(), meetings, joinUrl and endMeeting', async () => {
    const m = await createMeeting(stack, { name: 'Lingering' });
    const ended = await gql<EndMeetingMutation>(stack, END, { meetingId: m.meetingId });
    expect(ended.body.data?.endMeeting).toBe(true);
    // The server still answers getMeetingInfo for it, flagged as forcibly ended.
    const raw = await callSimulator(stack.sim, 'getMeetingInfo', { meetingID: m.meetingId });
    expect(raw).toContain('<hasBeenForciblyEnded>true</hasBeenForciblyEnded>');

    for (const [query, variables] of [
      [MEETING, { meetingId: m.meetingId }],
      [END, { meetingId: m.meetingId }],
      [JOIN, { input: { name: 'Late', meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime } }],
    ] as const) {
      const res = await gql(stack, query, variables);
      expect(res.status).toBe(404);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const list = await gql<MeetingsQuery>(stack, MEETINGS, {});
    expect(list.body.data!.meetings.map((x) => x.meetingId)).not.toContain(m.meetingId);
  });
});
