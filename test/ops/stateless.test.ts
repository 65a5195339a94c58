import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, openJoinLink, post, startReplicas, TOKENS, type Replicas, type Stack } from '../helpers/stack.js';
import { CREATE, END, JOIN, MEETING, MEETINGS } from '../helpers/operations.js';

const lms = { authorization: TOKENS.lms };

interface Created {
  meetingId: string;
  attendeePass: string;
  moderatorPass: string;
  createTime: string;
}

describe('two gateway replicas in front of one BBB server', () => {
  let a: Stack;
  let b: Stack;

  let replicas: Replicas;

  beforeAll(async () => {
    // Same configuration, separate processes' worth of state: nothing is shared but BBB.
    replicas = await startReplicas();
    ({ a, b } = replicas);
  });
  afterAll(async () => {
    await replicas.close();
  });

  it('serves one client interchangeably: create through A, join, read and end through B', async () => {
    const created = await gql<{ createMeeting: Created }>(a, CREATE, { input: { name: 'Replicated lecture' } });
    expect(created.status).toBe(200);
    const m = created.body.data!.createMeeting;

    const joinB = await gql<{ joinUrl: string }>(b, JOIN, {
      input: { name: 'Ana', meetingId: m.meetingId, password: m.moderatorPass, createTime: m.createTime },
    });
    expect(joinB.body.errors).toBeUndefined();
    expect((await openJoinLink(joinB.body.data!.joinUrl)).role).toBe('MODERATOR');

    const restJoinB = await post(
      `${b.url}/join`,
      { name: 'Ben', meeting_id: m.meetingId, password: m.attendeePass, create_time: m.createTime },
      lms,
    );
    expect(restJoinB.status).toBe(303);
    expect((await openJoinLink(restJoinB.headers.get('location')!)).role).toBe('VIEWER');

    const readB = await gql<{ meeting: { meetingId: string; name: string } }>(b, MEETING, { meetingId: m.meetingId });
    expect(readB.body.data?.meeting).toMatchObject({ meetingId: m.meetingId, name: 'Replicated lecture' });
    const listB = await gql<{ meetings: { meetingId: string }[] }>(b, MEETINGS);
    expect(listB.body.data?.meetings.map((x) => x.meetingId)).toContain(m.meetingId);

    const ended = await gql<{ endMeeting: boolean }>(b, END, { meetingId: m.meetingId });
    expect(ended.body.data?.endMeeting).toBe(true);
    const afterEnd = await gql(a, JOIN, {
      input: { name: 'Late', meetingId: m.meetingId, password: m.moderatorPass, createTime: m.createTime },
    });
    expect(afterEnd.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(a, MEETING, { meetingId: m.meetingId })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('serves the REST contract interchangeably: create through B, join through A', async () => {
    const created = await post<Record<string, string>>(
      `${b.url}/create`,
      { name: 'meeting01', attendee_pass: 'ap-replica', moderator_pass: 'mp-replica' },
      lms,
    );
    expect(created.status).toBe(200);
    const join = await post(
      `${a.url}/join`,
      {
        name: 'Dosen',
        meeting_id: created.body.meeting_id,
        password: 'mp-replica',
        create_time: created.body.create_time,
      },
      lms,
    );
    expect(join.status).toBe(303);
    expect((await openJoinLink(join.headers.get('location')!)).role).toBe('MODERATOR');
  });

  it("keeps each app's meetings its own on every replica", async () => {
    const created = await post<Record<string, string>>(`${a.url}/create`, { name: 'lms only' }, lms);
    const other = await gql(b, MEETING, { meetingId: created.body.meeting_id }, TOKENS.portal);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
