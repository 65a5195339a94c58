import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { graphql } from 'graphql';
import { pino } from 'pino';
import type { Simulator } from '../../src/simulator/index.js';
import { deleteKeys, redisClient, REDIS_URL } from '../ops/support/ops-helpers.js';
import type {
  CreateMeetingMutation,
  IssueAccessTokenMutation,
  JoinUrlQuery,
  MeetingQuery,
} from '../generated/graphql.js';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { createBbbClient } from '../../src/bbb/client.js';
import { buildGatewaySchema } from '../../src/graphql/schema.js';
import { MeetingService } from '../../src/meetings/meeting-service.js';
import {
  assertNoSecretsIn,
  gql,
  openJoinLink,
  post,
  startReplicas,
  startStack,
  TOKENS,
  type Replicas,
  type Stack,
} from '../helpers/stack.js';
import {
  CREATE,
  DELETE,
  END,
  ISSUE_TOKEN,
  JOIN,
  MEETING,
  MEETINGS,
  PUBLISH,
  RECORDINGS,
  UNPUBLISH,
  UPDATE,
} from '../helpers/operations.js';

const KEY = 'current-signing-key-0123456789-abcdefgh';
const OLD_KEY = 'previous-signing-key-0123456789-abcdefgh';
const GONE_KEY = 'retired-signing-key-0123456789-abcdefgh';

type Created = CreateMeetingMutation['createMeeting'];

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function firstError(res: { status: number; body: { errors?: { message: string; extensions?: { code?: string } }[] } }) {
  return {
    status: res.status,
    code: res.body.errors?.[0]?.extensions?.code,
    message: res.body.errors?.[0]?.message ?? '',
  };
}

describe('access tokens', () => {
  let stack: Stack;
  let meeting: Created;
  let other: Created;
  let portalMeeting: Created;
  /** Every token minted here: none may show up in a log line. */
  const minted: string[] = [];

  const create = async (name: string, token: string = TOKENS.lms): Promise<Created> =>
    (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name } }, token)).body.data!.createMeeting;

  const issue = async (input: Record<string, unknown>, token: string = TOKENS.lms) => {
    const res = await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, { input }, token);
    if (res.body.data?.issueAccessToken) minted.push(res.body.data.issueAccessToken.token);
    return res;
  };

  const mint = async (input: Record<string, unknown>): Promise<string> => {
    const res = await issue(input);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.issueAccessToken.token;
  };

  const bearer = (token: string) => `Bearer ${token}`;
  /** Claims for tokens minted outside the gateway (another key, audience or clock). */
  const claims = () => ({
    app: 'lms',
    meetingId: meeting.meetingId,
    createTime: meeting.createTime,
    scopes: ['JOIN' as const],
    role: 'MODERATOR' as const,
    name: 'Forged',
    userId: undefined,
    avatar: undefined,
    isGuest: false,
  });

  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_SIGNING_KEY: `${KEY},${OLD_KEY}` } });
    meeting = await create('Token lecture');
    other = await create('Another lecture of the same app');
    portalMeeting = await create('Portal lecture', TOKENS.portal);
  });
  afterAll(async () => {
    await stack.close();
    assertNoSecretsIn(stack.logs, [...minted, KEY, OLD_KEY]);
  });

  describe('issueAccessToken', () => {
    it('mints a JWT for the meeting with the claims asked for, valid for 5 minutes by default', async () => {
      const res = await issue({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER', name: 'Ada' });
      expect(res.status).toBe(200);
      const { token, expiresAt } = res.body.data!.issueAccessToken;
      const payload = claimsOf(token);
      expect(payload).toMatchObject({
        app: 'lms',
        meeting: meeting.meetingId,
        ct: meeting.createTime,
        scopes: ['JOIN'],
        role: 'VIEWER',
        name: 'Ada',
        aud: 'bbb-interface',
      });
      expect((payload.exp as number) - (payload.iat as number)).toBe(300);
      expect(new Date(expiresAt).getTime()).toBe((payload.exp as number) * 1000);
      const headerOf = (jwt: string) =>
        JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      // Signed with the first of the configured keys: its kid is the one a gateway holding only that key puts on.
      const firstKeyOnly = new AccessTokens({ signingKeys: [KEY], audience: 'bbb-interface' });
      const { token: reference } = await firstKeyOnly.issue(claims(), 60);
      expect(headerOf(token)).toMatchObject({ alg: 'HS256', kid: headerOf(reference).kid });
    });

    it('takes ttlSeconds up to an hour and refuses more, naming the field', async () => {
      const hour = await issue({ meetingId: meeting.meetingId, scopes: ['JOIN'], ttlSeconds: 3600 });
      const claims = claimsOf(hour.body.data!.issueAccessToken.token);
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
      const tooLong = firstError(await issue({ meetingId: meeting.meetingId, scopes: ['JOIN'], ttlSeconds: 3601 }));
      expect(tooLong).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(tooLong.message).toContain('ttlSeconds must be 1 to 3600');
    });

    it('refuses an empty scope list', async () => {
      const res = firstError(await issue({ meetingId: meeting.meetingId, scopes: [] }));
      expect(res).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(res.message).toContain('scopes must name at least one scope');
    });

    it("is NOT_FOUND for another app's meeting and for a meeting that does not exist", async () => {
      expect(firstError(await issue({ meetingId: portalMeeting.meetingId, scopes: ['JOIN'] }))).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
      expect(firstError(await issue({ meetingId: 'no-such-meeting', scopes: ['JOIN'] }))).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
    });

    it('is UNAUTHENTICATED without a token', async () => {
      const res = await gql(stack, ISSUE_TOKEN, { input: { meetingId: meeting.meetingId, scopes: ['JOIN'] } }, null);
      expect(firstError(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });
  });

  describe('JOIN', () => {
    it("gives a join link for the token's meeting with the pinned role, name and userId, without a password", async () => {
      const token = await mint({
        meetingId: meeting.meetingId,
        scopes: ['JOIN'],
        role: 'MODERATOR',
        name: 'Prof. Grace',
        userId: 'lms-user-7',
      });
      const res = await gql<JoinUrlQuery>(stack, JOIN, { input: { meetingId: meeting.meetingId } }, bearer(token));
      expect(res.body.errors).toBeUndefined();
      const page = await openJoinLink(res.body.data!.joinUrl);
      expect(page).toMatchObject({ status: 200, role: 'MODERATOR', fullName: 'Prof. Grace' });
      expect(page.html).toContain('id="userID">lms-user-7<');
    });

    it('lets the browser choose the name when the token pins none', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER' });
      const res = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        { input: { meetingId: meeting.meetingId, name: 'Self-named' } },
        bearer(token),
      );
      expect(await openJoinLink(res.body.data!.joinUrl)).toMatchObject({ role: 'VIEWER', fullName: 'Self-named' });
    });

    it('refuses to change a pinned name or userId, and a password that would pick another role', async () => {
      const token = await mint({
        meetingId: meeting.meetingId,
        scopes: ['JOIN'],
        role: 'VIEWER',
        name: 'Student',
        userId: 's-1',
      });
      const renamed = firstError(
        await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, name: 'Teacher' } }, bearer(token)),
      );
      expect(renamed).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(renamed.message).toContain('name is fixed by the access token');
      const reidentified = firstError(
        await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, userId: 's-2' } }, bearer(token)),
      );
      expect(reidentified.message).toContain('userId is fixed by the access token');
      const promoted = firstError(
        await gql(
          stack,
          JOIN,
          { input: { meetingId: meeting.meetingId, password: meeting.moderatorPass } },
          bearer(token),
        ),
      );
      expect(promoted).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      // Repeating the pinned values is fine.
      const same = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        { input: { meetingId: meeting.meetingId, name: 'Student', userId: 's-1' } },
        bearer(token),
      );
      expect(await openJoinLink(same.body.data!.joinUrl)).toMatchObject({ role: 'VIEWER', fullName: 'Student' });
    });

    it('a guest token waits in a GUESTS waiting room, and the browser can neither drop nor claim guest status', async () => {
      const lobby = (
        await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Open lecture', waitingRoom: 'GUESTS' } })
      ).body.data!.createMeeting;
      const guestToken = await mint({
        meetingId: lobby.meetingId,
        scopes: ['JOIN'],
        role: 'VIEWER',
        name: 'Visitor',
        isGuest: true,
      });
      expect(claimsOf(guestToken).guest).toBe(true);
      const waits = await gql<JoinUrlQuery>(stack, JOIN, { input: { meetingId: lobby.meetingId } }, bearer(guestToken));
      expect(new URL(waits.body.data!.joinUrl).searchParams.get('guest')).toBe('true');
      const dropped = firstError(
        await gql(stack, JOIN, { input: { meetingId: lobby.meetingId, isGuest: false } }, bearer(guestToken)),
      );
      expect(dropped).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(dropped.message).toContain('isGuest is fixed by the access token');
      // A member's token (isGuest not set) joins straight in.
      const memberToken = await mint({ meetingId: lobby.meetingId, scopes: ['JOIN'], role: 'VIEWER', name: 'Member' });
      const member = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        { input: { meetingId: lobby.meetingId } },
        bearer(memberToken),
      );
      expect(new URL(member.body.data!.joinUrl).searchParams.get('guest')).toBeNull();
    });

    it('refuses join options only the backend sets (excludeFromDashboard would hide a student from attendance)', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER', name: 'Hidden' });
      for (const [option, value] of [
        ['excludeFromDashboard', true],
        ['userdata', [{ key: 'bbb_custom_style_url', value: 'https://evil.example/x.css' }]],
        ['enforceLayout', 'VIDEO_FOCUS'],
        ['errorRedirectUrl', 'https://evil.example/'],
      ] as const) {
        const res = firstError(
          await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, [option]: value } }, bearer(token)),
        );
        expect(res).toMatchObject({ status: 403, code: 'FORBIDDEN' });
        expect(res.message).toContain(`${option} is set by your backend`);
      }
    });

    it('without a pinned role, the meeting password decides the role', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], name: 'Has the password' });
      const none = firstError(await gql(stack, JOIN, { input: { meetingId: meeting.meetingId } }, bearer(token)));
      expect(none).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(none.message).toContain('password is required');
      const res = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        { input: { meetingId: meeting.meetingId, password: meeting.attendeePass } },
        bearer(token),
      );
      expect(await openJoinLink(res.body.data!.joinUrl)).toMatchObject({
        role: 'VIEWER',
        fullName: 'Has the password',
      });
    });

    it("is FORBIDDEN for another meeting of the same app and for another app's meeting", async () => {
      const token = await mint({
        meetingId: meeting.meetingId,
        scopes: ['JOIN', 'READ_MEETING'],
        role: 'VIEWER',
        name: 'Eve',
      });
      for (const target of [other, portalMeeting]) {
        const res = firstError(
          await gql(
            stack,
            JOIN,
            { input: { meetingId: target.meetingId, createTime: target.createTime } },
            bearer(token),
          ),
        );
        expect(res).toMatchObject({ status: 403, code: 'FORBIDDEN' });
        expect(res.message).toContain('for another meeting');
        expect(firstError(await gql(stack, MEETING, { meetingId: target.meetingId }, bearer(token)))).toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    });

    it('does not read the meeting: that needs READ_MEETING, and the message says so', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER', name: 'Joiner' });
      const res = firstError(await gql(stack, MEETING, { meetingId: meeting.meetingId }, bearer(token)));
      expect(res).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(res.message).toContain('READ_MEETING');
    });
  });

  describe('READ_MEETING', () => {
    it("reads the token's meeting and no other; joinUrl needs JOIN", async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['READ_MEETING'] });
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: meeting.meetingId }, bearer(token));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.meeting).toMatchObject({ meetingId: meeting.meetingId, name: 'Token lecture' });
      expect(firstError(await gql(stack, MEETING, { meetingId: other.meetingId }, bearer(token)))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
      const join = firstError(
        await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, name: 'x' } }, bearer(token)),
      );
      expect(join).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(join.message).toContain('the JOIN scope');
    });
  });

  describe("a meeting's passwords are never readable with an access token", () => {
    it.each([
      ['directly', 'query Secret($id: ID!) { meeting(meetingId: $id) { name moderatorPass } }', 'moderatorPass'],
      ['under an alias', 'query Secret($id: ID!) { meeting(meetingId: $id) { pw: attendeePass } }', 'attendeePass'],
      [
        'through a fragment',
        'query Secret($id: ID!) { meeting(meetingId: $id) { ...Pw } } fragment Pw on Meeting { moderatorPass }',
        'moderatorPass',
      ],
    ])('%s', async (_how, query, field) => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['READ_MEETING', 'JOIN'] });
      const res = await gql(stack, query, { id: meeting.meetingId }, bearer(token));
      expect(firstError(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(firstError(res).message).toContain(`${field} needs the app's API token`);
      expect(res.body.data ?? null).toBeNull();
      expect(res.text).not.toContain(meeting.moderatorPass);
      expect(res.text).not.toContain(meeting.attendeePass);
    });

    it('behind the plugin, the schema itself refuses the fields to an access token', async () => {
      const bbb = createBbbClient({
        baseUrl: stack.sim.url,
        secret: stack.sim.secret,
        algorithm: 'sha256',
        timeoutMs: 5000,
        retries: 0,
      });
      const schema = await buildGatewaySchema({
        meetings: new MeetingService({ bbb, joinCache: { ttlMs: 0, maxEntries: 10 } }),
      });
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['READ_MEETING'] });
      const verified = await new AccessTokens({ signingKeys: [KEY], audience: 'bbb-interface' }).verify(token);
      if (!('grant' in verified)) throw new Error(verified.refused);
      const result = await graphql({
        schema,
        source: 'query($id: ID!) { meeting(meetingId: $id) { name moderatorPass } }',
        variableValues: { id: meeting.meetingId },
        contextValue: {
          caller: { app: 'lms', allMeetings: false },
          access: verified.grant,
          requestId: 't',
          log: pino({ level: 'silent' }),
        },
      });
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.message).toBe(
        "Meeting.moderatorPass needs the app's API token: no access-token scope grants it.",
      );
      expect(JSON.stringify(result)).not.toContain(meeting.moderatorPass);
    });

    it('the app token still reads them', async () => {
      const res = await gql<{ meeting: { moderatorPass: string } }>(
        stack,
        'query($id: ID!) { meeting(meetingId: $id) { moderatorPass } }',
        { id: meeting.meetingId },
      );
      expect(res.body.data?.meeting.moderatorPass).toBe(meeting.moderatorPass);
    });
  });

  describe('SUBSCRIBE_EVENTS (meeting events only)', () => {
    it('grants neither joinUrl nor meeting', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['SUBSCRIBE_EVENTS'] });
      expect(
        firstError(await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, name: 'x' } }, bearer(token)))
          .message,
      ).toContain('JOIN');
      expect(firstError(await gql(stack, MEETING, { meetingId: meeting.meetingId }, bearer(token))).message).toContain(
        'READ_MEETING',
      );
    });
  });

  describe('everything else needs the app token, whatever the scopes', () => {
    let token: string;
    beforeAll(async () => {
      token = await mint({
        meetingId: meeting.meetingId,
        scopes: ['JOIN', 'READ_MEETING', 'SUBSCRIBE_EVENTS'],
        role: 'MODERATOR',
        name: 'All scopes',
      });
    });

    it.each([
      ['createMeeting', () => [CREATE, { input: { name: 'Sneaky' } }]],
      ['endMeeting', () => [END, { meetingId: meeting.meetingId }]],
      ['meetings', () => [MEETINGS, {}]],
      ['recordings', () => [RECORDINGS, { meetingId: meeting.meetingId }]],
      ['publishRecordings', () => [PUBLISH, { recordIds: ['r1'] }]],
      ['unpublishRecordings', () => [UNPUBLISH, { recordIds: ['r1'] }]],
      ['deleteRecordings', () => [DELETE, { recordIds: ['r1'] }]],
      ['updateRecordingMetadata', () => [UPDATE, { recordIds: ['r1'], metadata: [{ key: 'k', value: 'v' }] }]],
      ['issueAccessToken', () => [ISSUE_TOKEN, { input: { meetingId: meeting.meetingId, scopes: ['JOIN'] } }]],
    ] as [string, () => [string, Record<string, unknown>]][])(
      '%s is FORBIDDEN and sends nothing to BBB',
      async (field, op) => {
        const [query, variables] = op();
        const before = stack.sim.received.length;
        const res = await gql(stack, query, variables, bearer(token));
        expect(firstError(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
        expect(firstError(res).message).toContain(`${field} needs the app's API token`);
        expect(res.body.data ?? null).toBeNull();
        expect(stack.sim.received.length).toBe(before);
      },
    );

    it('a mixed operation is refused as a whole', async () => {
      const res = await gql(
        stack,
        `query Mixed($id: ID!) { meeting(meetingId: $id) { name } meetings { name } }`,
        { id: meeting.meetingId },
        bearer(token),
      );
      expect(firstError(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(res.body.data ?? null).toBeNull();
    });

    it('the meeting still runs (endMeeting did nothing)', async () => {
      const res = await gql<MeetingQuery>(stack, MEETING, { meetingId: meeting.meetingId });
      expect(res.body.data?.meeting.meetingId).toBe(meeting.meetingId);
    });

    it('the REST routes do not take access tokens', async () => {
      const res = await post(
        `${stack.url}/create`,
        { name: 'rest', attendee_pass: 'ap-123', moderator_pass: 'mp-123' },
        { authorization: bearer(token) },
      );
      expect(res.status).toBe(401);
      expect(res.body).toHaveProperty('message');
    });
  });

  describe('refused tokens are UNAUTHENTICATED', () => {
    const unauthenticated = async (token: string) => {
      const res = await gql(stack, JOIN, { input: { meetingId: meeting.meetingId, name: 'x' } }, bearer(token));
      const error = firstError(res);
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      return error.message;
    };

    it('an expired token', async () => {
      const twoHoursAgo = new AccessTokens({
        signingKeys: [KEY],
        audience: 'bbb-interface',
        now: () => Date.now() - 7_200_000,
      });
      const { token } = await twoHoursAgo.issue(claims(), 60);
      expect(await unauthenticated(token)).toContain('expired');
    });

    it('a token whose payload was altered (VIEWER made MODERATOR)', async () => {
      const token = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER', name: 'Mallory' });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const altered = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), role: 'MODERATOR' }),
      ).toString('base64url');
      expect(await unauthenticated(`${header}.${altered}.${signature}`)).toContain('signature');
    });

    it('a token for another audience', async () => {
      const elsewhere = new AccessTokens({ signingKeys: [KEY], audience: 'another-gateway' });
      expect(await unauthenticated((await elsewhere.issue(claims(), 60)).token)).toContain('audience');
    });

    it('a token of a key that was rotated out, while the previous key still verifies', async () => {
      const previous = new AccessTokens({ signingKeys: [OLD_KEY], audience: 'bbb-interface' });
      const stillValid = await gql<JoinUrlQuery>(
        stack,
        JOIN,
        { input: { meetingId: meeting.meetingId } },
        bearer((await previous.issue(claims(), 60)).token),
      );
      expect(stillValid.body.errors).toBeUndefined();
      const retired = new AccessTokens({ signingKeys: [GONE_KEY], audience: 'bbb-interface' });
      expect(await unauthenticated((await retired.issue(claims(), 60)).token)).toContain('rotated out');
    });

    it('a token with alg "none"', async () => {
      const real = await mint({ meetingId: meeting.meetingId, scopes: ['JOIN'], role: 'VIEWER' });
      const header = JSON.parse(Buffer.from(real.split('.')[0]!, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const none = Buffer.from(JSON.stringify({ ...header, alg: 'none' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ ...claimsOf(real), role: 'MODERATOR' })).toString('base64url');
      await unauthenticated(`${none}.${payload}.`);
    });

    it('a token issued in the future', async () => {
      const future = new AccessTokens({
        signingKeys: [KEY],
        audience: 'bbb-interface',
        now: () => Date.now() + 600_000,
      });
      expect(await unauthenticated((await future.issue(claims(), 3600)).token)).toContain('issue time');
    });
  });
});

describe('access tokens: switched off, and rate limited per token', () => {
  it('issueAccessToken says how to switch them on when ACCESS_TOKEN_SIGNING_KEY is unset', async () => {
    const stack = await startStack();
    try {
      const created = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'No tokens here' } })).body
        .data!.createMeeting;
      const res = await gql(stack, ISSUE_TOKEN, { input: { meetingId: created.meetingId, scopes: ['JOIN'] } });
      expect(firstError(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(firstError(res).message).toContain('ACCESS_TOKEN_SIGNING_KEY');
    } finally {
      await stack.close();
    }
  });

  it("each token has its own budget, and its requests count against its app's budget too", async () => {
    const stack = await startStack({
      env: { ACCESS_TOKEN_SIGNING_KEY: KEY, RATE_LIMIT_ACCESS_TOKEN_POINTS: '2', RATE_LIMIT_POINTS: '8' },
    });
    try {
      // App budget 8 points (BBB calls): one create (estimated 2) and two issues (1 each) use 4.
      const created = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Busy' } })).body.data!
        .createMeeting;
      const issueOne = async () =>
        (
          await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, {
            input: { meetingId: created.meetingId, scopes: ['READ_MEETING'] },
          })
        ).body.data!.issueAccessToken.token;
      const [first, second] = [await issueOne(), await issueOne()];
      const read = (token: string) => gql(stack, MEETING, { meetingId: created.meetingId }, `Bearer ${token}`);
      expect((await read(first)).status).toBe(200);
      expect((await read(first)).status).toBe(200);
      const limited = await read(first);
      expect(firstError(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(firstError(limited).message).toContain('this access token');
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      // The refused third read still counted for the app (7 used); the other token of the same app is fine (8) ...
      expect((await read(second)).status).toBe(200);
      // ... and now the app's own budget is spent, for its API token and its access tokens alike.
      const appLimited = await read(second);
      expect(firstError(appLimited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(firstError(appLimited).message).toContain('the app "lms"');
      assertNoSecretsIn(stack.logs, [first, second]);
    } finally {
      await stack.close();
    }
  });
});

describe('access tokens: budgets in BBB calls, charged only for what is allowed', () => {
  it("charges a token an operation's BBB-call estimate, not one point per request", async () => {
    const stack = await startStack({
      env: { ACCESS_TOKEN_SIGNING_KEY: KEY, RATE_LIMIT_ACCESS_TOKEN_POINTS: '4', RATE_LIMIT_POINTS: '100' },
    });
    try {
      const created = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Aliases' } })).body.data!
        .createMeeting;
      const token = (
        await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, {
          input: { meetingId: created.meetingId, scopes: ['READ_MEETING'] },
        })
      ).body.data!.issueAccessToken.token;
      const reads = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `m${i}: meeting(meetingId: "${created.meetingId}") { meetingId }`).join(' ')} }`;
      // Three getMeetingInfo in one request use 3 of the token's 4 points; the next two-call request cannot be paid.
      expect((await gql(stack, reads(3), {}, `Bearer ${token}`)).status).toBe(200);
      const before = stack.sim.callCount('getMeetingInfo');
      const limited = await gql(stack, reads(2), {}, `Bearer ${token}`);
      expect(firstError(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(firstError(limited).message).toContain('this access token');
      expect(stack.sim.callCount('getMeetingInfo')).toBe(before);
    } finally {
      await stack.close();
    }
  });

  it('charges a refused operation nothing beyond its arrival point', async () => {
    const stack = await startStack({ env: { ACCESS_TOKEN_SIGNING_KEY: KEY, RATE_LIMIT_POINTS: '100' } });
    try {
      const created = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Refused' } })).body.data!
        .createMeeting;
      const token = (
        await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, {
          input: { meetingId: created.meetingId, scopes: ['JOIN'] },
        })
      ).body.data!.issueAccessToken.token;
      const remaining = async () => Number((await gql(stack, '{ __typename }')).headers.get('x-ratelimit-remaining'));
      const start = await remaining();
      const tenReads = `{ ${Array.from({ length: 10 }, (_, i) => `m${i}: meeting(meetingId: "${created.meetingId}") { meetingId }`).join(' ')} }`;
      expect(firstError(await gql(stack, tenReads, {}, `Bearer ${token}`))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
      // The refused request paid its arrival point, the next probe its own: nothing for the ten reads it never made.
      expect(await remaining()).toBe(start - 2);
    } finally {
      await stack.close();
    }
  });

  it('a READ_MEETING token does not read a later session of its meeting (ended and created again under the same ID)', async () => {
    const stack = await startStack({ env: { ACCESS_TOKEN_SIGNING_KEY: KEY, API_ALL_MEETINGS_APPS: 'lms' } });
    try {
      const created = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Session one' } })).body.data!
        .createMeeting;
      const token = (
        await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, {
          input: { meetingId: created.meetingId, scopes: ['READ_MEETING'] },
        })
      ).body.data!.issueAccessToken.token;
      expect((await gql(stack, MEETING, { meetingId: created.meetingId }, `Bearer ${token}`)).status).toBe(200);
      await gql(stack, END, { meetingId: created.meetingId });
      // Another integration (Greenlight, say) re-creates the room under the same ID, straight on BBB.
      const bbb = createBbbClient({
        baseUrl: stack.sim.url,
        secret: stack.sim.secret,
        algorithm: 'sha256',
        timeoutMs: 5000,
        retries: 0,
      });
      const again = await bbb.create({ meetingID: created.meetingId, name: 'Session two' });
      expect(again.createTime).not.toBe(created.createTime);
      const stale = await gql(stack, MEETING, { meetingId: created.meetingId }, `Bearer ${token}`);
      expect(firstError(stale)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(firstError(stale).message).toContain('earlier session');
    } finally {
      await stack.close();
    }
  });
});

describe('access tokens across replicas and apps', () => {
  const prefix = `bbb-interface-test:${randomUUID()}:access`;
  let sim: Simulator;
  let a: Stack;
  let b: Stack;
  let redis: Redis;
  const minted: string[] = [];

  const mintOn = async (stack: Stack, meetingId: string, appToken: string, scopes = ['READ_MEETING']) => {
    const res = await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, { input: { meetingId, scopes } }, appToken);
    const token = res.body.data!.issueAccessToken.token;
    minted.push(token);
    return token;
  };

  let replicas: Replicas;

  beforeAll(async () => {
    redis = redisClient();
    replicas = await startReplicas({
      env: { ACCESS_TOKEN_SIGNING_KEY: KEY, REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_ACCESS_TOKEN_POINTS: '3' },
    });
    ({ sim, a, b } = replicas);
  });
  afterAll(async () => {
    await replicas.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
    assertNoSecretsIn([...a.logs, ...b.logs], minted);
  });

  it('a token minted on one replica works on another, and both count its one budget in Redis', async () => {
    const created = (await gql<CreateMeetingMutation>(a, CREATE, { input: { name: 'Replicated' } })).body.data!
      .createMeeting;
    const token = await mintOn(a, created.meetingId, TOKENS.lms);
    const read = (stack: Stack) => gql(stack, MEETING, { meetingId: created.meetingId }, `Bearer ${token}`);
    expect([(await read(b)).status, (await read(a)).status, (await read(b)).status]).toEqual([200, 200, 200]);
    expect(firstError(await read(a))).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // One key for the token, named by its random id, never the token (other tests of this block mint tokens too).
    const jti = claimsOf(token).jti as string;
    const keys = await redis.keys(`${prefix}:access-token*`);
    expect(keys.filter((key) => key.includes(jti))).toEqual([`${prefix}:access-token:token:${jti}`]);
    expect(keys.filter((key) => key.includes(token.split('.')[2]!))).toEqual([]);
  });

  it("an app allowed to see every meeting can mint a token for another app's meeting, and the token works", async () => {
    const lms = (await gql<CreateMeetingMutation>(a, CREATE, { input: { name: 'Seen by admin' } }, TOKENS.lms)).body
      .data!.createMeeting;
    const token = await mintOn(a, lms.meetingId, TOKENS.admin);
    expect(claimsOf(token).app).toBe('admin');
    const res = await gql<MeetingQuery>(b, MEETING, { meetingId: lms.meetingId }, `Bearer ${token}`);
    expect(res.body.data?.meeting.meetingId).toBe(lms.meetingId);
  });

  it('a token stops working once its app is removed from API_TOKENS', async () => {
    const created = (await gql<CreateMeetingMutation>(a, CREATE, { input: { name: 'App goes away' } }, TOKENS.portal))
      .body.data!.createMeeting;
    const token = await mintOn(a, created.meetingId, TOKENS.portal);
    const withoutPortal = await startStack({
      simulator: sim,
      env: { ACCESS_TOKEN_SIGNING_KEY: KEY, API_TOKENS: `lms:${TOKENS.lms},admin:${TOKENS.admin}` },
    });
    try {
      const res = firstError(await gql(withoutPortal, MEETING, { meetingId: created.meetingId }, `Bearer ${token}`));
      expect(res).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(res.message).toContain('its app "portal" is no longer configured');
    } finally {
      await withoutPortal.close();
    }
  });
});
