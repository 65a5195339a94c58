import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBbbClient } from '../../src/bbb/client.js';
import { APP_META_KEY } from '../../src/isolation.js';
import { gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';

const JOIN = 'query JoinUrl($input: JoinMeetingInput!) { joinUrl(input: $input) }';
const auth = { authorization: TOKENS.lms };

interface Created {
  meeting_id: string;
  attendee_pass: string;
  moderator_pass: string;
  create_time: string;
}

async function createMeeting(stack: Stack, name = 'Lecture at 9:00'): Promise<Created> {
  const res = await post<Created>(`${stack.url}/create`, { name }, auth);
  expect(res.status).toBe(200);
  return res.body;
}

/** One student's join over REST (303 + Location) or GraphQL (the URL in data), returning status and URL. */
async function join(
  stack: Stack,
  via: 'rest' | 'graphql',
  m: Created,
  i: number,
  createTime = m.create_time,
): Promise<{ status: number; url?: string; code?: string }> {
  if (via === 'rest') {
    const res = await post(
      `${stack.url}/join`,
      { name: `Student ${i}`, meeting_id: m.meeting_id, password: m.attendee_pass, create_time: createTime },
      auth,
    );
    return {
      status: res.status,
      url: res.headers.get('location') ?? undefined,
      code: res.status === 303 ? undefined : String((res.body as { message?: string })?.message),
    };
  }
  const res = await gql<{ joinUrl: string }>(stack, JOIN, {
    input: { name: `Student ${i}`, meetingId: m.meeting_id, password: m.attendee_pass, createTime },
  });
  return { status: res.status, url: res.body.data?.joinUrl, code: res.body.errors?.[0]?.extensions?.code };
}

describe('joins to one meeting in a burst (the 9:00 lecture)', () => {
  let stack: Stack;

  beforeAll(async () => {
    // BBB answers slowly enough that every join of the burst arrives while the first getMeetingInfo is on its way.
    stack = await startStack({ sim: { latencyMs: 50 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers 200 concurrent REST and GraphQL joins to a cold meeting with at most 2 getMeetingInfo calls', async () => {
    const m = await createMeeting(stack);
    const before = stack.sim.callCount('getMeetingInfo');
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => join(stack, i % 2 === 0 ? 'rest' : 'graphql', m, i)),
    );
    expect(results.filter((r, i) => r.status !== (i % 2 === 0 ? 303 : 200) || !r.url?.includes('/api/join?'))).toEqual(
      [],
    );
    expect(stack.sim.callCount('getMeetingInfo') - before).toBeLessThanOrEqual(2);
    // The links work: each lands in the meeting as the student it was made for.
    const page = await openJoinLink(results[7]!.url!);
    expect(page).toMatchObject({ role: 'VIEWER', fullName: 'Student 7' });
  });

  describe("a meeting ended and created again under the same meetingID, behind the gateway's back", () => {
    let old: Created;
    let recreatedTime: string;

    beforeAll(async () => {
      old = await createMeeting(stack, 'Seminar');
      // This join puts the meeting, with its first createTime, in the join cache.
      expect((await join(stack, 'rest', old, 1)).status).toBe(303);

      // The LMS (or an operator) ends and re-creates it directly on BBB: the gateway hears nothing of it.
      const bbb = createBbbClient({ baseUrl: stack.sim.url, secret: stack.sim.secret });
      await bbb.end(old.meeting_id);
      // The simulator gives every create a later createTime than the one before (state.ts), as BBB's clock does.
      const again = await bbb.create({
        meetingID: old.meeting_id,
        name: 'Seminar',
        attendeePW: old.attendee_pass,
        moderatorPW: old.moderator_pass,
        meta: { [APP_META_KEY]: 'lms' },
      });
      recreatedTime = again.createTime;
      expect(recreatedTime).not.toBe(old.create_time);
    });

    it.each(['rest', 'graphql'] as const)(
      'a %s join with the new createTime succeeds although the cache still holds the old meeting',
      async (via) => {
        const res = await join(stack, via, old, 2, recreatedTime);
        expect(res.status).toBe(via === 'rest' ? 303 : 200);
        expect(new URL(res.url!).searchParams.get('createTime')).toBe(recreatedTime);
        expect(await openJoinLink(res.url!)).toMatchObject({ role: 'VIEWER', fullName: 'Student 2' });
      },
    );

    it.each(['rest', 'graphql'] as const)(
      'a %s join with the old createTime is refused with CONFLICT (409)',
      async (via) => {
        // Once a join with the new createTime has shown the gateway the new session (until then its cache may still
        // answer for the old one, within JOIN_CACHE_TTL_MS); the tests run in any order, so this one makes sure.
        expect((await join(stack, via, old, 2, recreatedTime)).status).toBe(via === 'rest' ? 303 : 200);
        const res = await join(stack, via, old, 3, old.create_time);
        expect(res.status).toBe(409);
        if (via === 'graphql') expect(res.code).toBe('CONFLICT');
        else expect(res.code).toMatch(/createTime does not match the running meeting/);
      },
    );
  });
});

describe('with the join cache off (JOIN_CACHE_TTL_MS=0)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ sim: { latencyMs: 20 }, env: { JOIN_CACHE_TTL_MS: '0' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('asks BBB once for every join, as a naive gateway would', async () => {
    const m = await createMeeting(stack);
    const before = stack.sim.callCount('getMeetingInfo');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => join(stack, i % 2 === 0 ? 'rest' : 'graphql', m, i)),
    );
    expect(results.filter((r, i) => r.status !== (i % 2 === 0 ? 303 : 200))).toEqual([]);
    expect(stack.sim.callCount('getMeetingInfo') - before).toBe(50);
  });
});
