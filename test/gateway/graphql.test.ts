import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, JOIN } from '../helpers/operations.js';

interface Created {
  meetingId: string;
  name: string;
  attendeePass: string;
  moderatorPass: string;
  createTime: string;
  createdAt: string;
}

describe('GraphQL createMeeting and joinUrl', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function createMeeting(input: Record<string, unknown> = { name: 'Lecture 1' }): Promise<Created> {
    const res = await gql<{ createMeeting: Created }>(stack, CREATE, { input });
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.body.data!.createMeeting;
  }

  it('creates a meeting and returns its identity, passwords and times', async () => {
    const m = await createMeeting({
      name: 'Lecture 1',
      attendeePass: 'ap-1234',
      moderatorPass: 'mp-1234',
      maxParticipant: 50,
      redirectAtLogout: 'https://lms.example.org/back',
    });
    expect(m).toMatchObject({ name: 'Lecture 1', attendeePass: 'ap-1234', moderatorPass: 'mp-1234' });
    expect(m.meetingId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Date(m.createdAt).getTime()).toBe(Number(m.createTime));
    // A createMeeting that selects no live field costs BBB exactly one call.
    expect(stack.sim.received.filter((r) => r.params.meetingID === m.meetingId).map((r) => r.call)).toEqual(['create']);
  });

  it('gives a join link that lands as MODERATOR with the moderator password and VIEWER with the attendee password', async () => {
    const m = await createMeeting({ name: 'Roles' });
    for (const [password, role] of [
      [m.moderatorPass, 'MODERATOR'],
      [m.attendeePass, 'VIEWER'],
    ] as const) {
      const res = await gql<{ joinUrl: string }>(stack, JOIN, {
        input: { name: 'Ana', meetingId: m.meetingId, password, createTime: m.createTime },
      });
      expect(res.body.errors).toBeUndefined();
      const page = await openJoinLink(res.body.data!.joinUrl);
      expect(page.role).toBe(role);
      expect(page.meetingName).toBe('Roles');
    }
  });

  it.each([
    "Ana & Bob = 100% #1 + (co) *star* it's !",
    'Zoë Ångström-Løvås, Ñandú',
    '李小龍 田中さん 김민수',
    'emoji 🎓 and spaces  ',
  ])('round-trips the name %j through a valid checksum', async (name) => {
    const m = await createMeeting({ name: `Room ${name}`.trim() });
    const res = await gql<{ joinUrl: string }>(stack, JOIN, {
      input: { name, meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime, userId: `u-${name}` },
    });
    expect(res.body.errors).toBeUndefined();
    const url = res.body.data!.joinUrl;
    // The five characters browsers re-encode are already encoded, so a browser cannot break the checksum.
    expect(new URL(url).search).not.toMatch(/[!'()*]/);
    const page = await openJoinLink(url);
    expect(page.status).toBe(200);
    expect(page.fullName).toBe(name.trim());
    expect(page.meetingName).toBe(`Room ${name}`.trim());
  });

  describe('error table', () => {
    it.each([
      ['an empty name', { name: '' }, 'BAD_USER_INPUT', 400, /name must be 2 to 256/],
      [
        'equal passwords',
        { name: 'x y', attendeePass: 'same', moderatorPass: 'same' },
        'BAD_USER_INPUT',
        400,
        /moderatorPass must differ/,
      ],
      [
        'a javascript: logout URL',
        { name: 'x y', redirectAtLogout: 'javascript:alert(1)' },
        'BAD_USER_INPUT',
        400,
        /URL/,
      ],
      [
        'a negative maxParticipant',
        { name: 'x y', maxParticipant: -1 },
        'BAD_USER_INPUT',
        400,
        /maxParticipant must be a positive/,
      ],
    ])('createMeeting with %s answers %s (%i)', async (_label, input, code, status, message) => {
      const res = await gql(stack, CREATE, { input });
      expect(res.status).toBe(status);
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.body.errors?.[0]?.message).toMatch(message);
    });

    it('names each failing field in extensions.fields, beside the one sentence naming them all', async () => {
      const res = await gql(stack, CREATE, {
        input: { name: 'x y', maxParticipant: -1, redirectAtLogout: 'javascript:alert(1)' },
      });
      expect(res.status).toBe(400);
      const error = res.body.errors?.[0];
      expect(error?.extensions?.fields).toEqual([
        { field: 'maxParticipant', message: expect.stringMatching(/^maxParticipant must be a positive/) },
        { field: 'redirectAtLogout', message: expect.stringMatching(/^redirectAtLogout must be an absolute/) },
      ]);
      expect(error?.message).toBe((error?.extensions?.fields as { message: string }[]).map((f) => f.message).join(' '));
    });

    it.each([
      ['a createTime no BBB returns', '123', 'BAD_USER_INPUT', /createTime is not a createTime BigBlueButton returns/],
      ['a createTime later than the running one', '9999999999999', 'CONFLICT', /no earlier session/],
      ['an earlier createTime', '1531155809613', 'CONFLICT', /ended and created again/],
    ])('joinUrl with %s says so', async (_label, createTime, code, message) => {
      const m = await createMeeting({ name: 'wording' });
      const res = await gql(stack, JOIN, {
        input: { name: 'Someone', meetingId: m.meetingId, password: m.moderatorPass, createTime },
      });
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.body.errors?.[0]?.message).toMatch(message);
      if (code !== 'CONFLICT') expect(res.body.errors?.[0]?.message).not.toMatch(/created again/);
    });

    it.each([
      ['a wrong password', { password: 'wrong' }, 'FORBIDDEN', 403],
      ['an old createTime', { createTime: '1531155809613' }, 'CONFLICT', 409],
      ['an unknown meeting', { meetingId: 'does-not-exist' }, 'NOT_FOUND', 404],
      ['a createTime that is not a number', { createTime: 'soon' }, 'BAD_USER_INPUT', 400],
    ])('joinUrl with %s answers %s (%i)', async (_label, change, code, status) => {
      const m = await createMeeting({ name: 'table' });
      const res = await gql(stack, JOIN, {
        input: {
          name: 'Someone',
          meetingId: m.meetingId,
          password: m.moderatorPass,
          createTime: m.createTime,
          ...change,
        },
      });
      expect(res.status).toBe(status);
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.body.data ?? null).toBeNull();
    });

    it.each([
      ['no token', null],
      ['an unknown token', 'who-knows-what-this-is'],
      ['an unknown Bearer token', 'Bearer who-knows-what-this-is'],
    ])('answers UNAUTHENTICATED (401) for %s, before BBB is called', async (_label, token) => {
      const before = stack.sim.received.length;
      const res = await gql(stack, CREATE, { input: { name: 'nope' } }, token);
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(stack.sim.received.length).toBe(before);
    });

    it('accepts a Bearer token', async () => {
      const res = await gql(stack, CREATE, { input: { name: 'bearer' } }, `Bearer ${TOKENS.lms}`);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    });

    it('lets Sandbox introspect the schema without a token', async () => {
      const res = await gql<{ __schema: { queryType: { name: string } } }>(
        stack,
        '{ __schema { queryType { name } } }',
        {},
        null,
      );
      expect(res.status).toBe(200);
      expect(res.body.data?.__schema.queryType.name).toBe('Query');
    });

    it('answers an unparsable query with a coded error', async () => {
      const res = await gql(stack, '{ createMeeting(', {});
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers malformed JSON to /graphql with a coded GraphQL error, not HTML', async () => {
      const res = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: TOKENS.lms },
        body: '{"query": ',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }],
      });
    });
  });

  it('tells every cache not to store a GraphQL answer (join links, passwords), a refusal too', async () => {
    const m = await createMeeting({ name: 'Not cached' });
    const answers = [
      await gql(stack, JOIN, {
        input: { name: 'Ana', meetingId: m.meetingId, password: m.attendeePass, createTime: m.createTime },
      }),
      await gql(stack, CREATE, { input: { name: '' } }),
      await gql(stack, '{ createMeeting(', {}),
      await gql(stack, JOIN, { input: {} }, null),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 400, 400, 401]);
    expect(answers[0]!.body.errors).toBeUndefined();
    for (const res of answers) expect(res.headers.get('cache-control')).toBe('no-store');
  });

  describe('Apollo Sandbox', () => {
    it('is the landing page at GET /graphql', async () => {
      const res = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/embeddable-sandbox|sandbox/i);
    });
  });
});

describe('Apollo Sandbox and introspection switched off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GRAPHQL_SANDBOX: 'false' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves no landing page and refuses introspection', async () => {
    const page = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
    const res = await gql(stack, '{ __schema { queryType { name } } }', {}, TOKENS.lms);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The operator's switch, not Apollo's constructor option.
    expect(res.body.errors?.[0]?.message).toMatch(/GRAPHQL_INTROSPECTION=true/);
    expect(res.body.errors?.[0]?.message).not.toMatch(/ApolloServer/);
  });
});

describe.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)('checksum algorithm %s end to end', (algorithm) => {
  let stack: Stack;
  const hexLength = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 }[algorithm];

  beforeAll(async () => {
    stack = await startStack({ env: { BBB_CHECKSUM_ALGORITHM: algorithm }, sim: { algorithms: [algorithm] } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates, signs a join link the server accepts, and lands as MODERATOR', async () => {
    const created = await gql<{ createMeeting: Created }>(stack, CREATE, { input: { name: `alg ${algorithm}` } });
    expect(created.body.errors).toBeUndefined();
    const m = created.body.data!.createMeeting;
    const sent = stack.sim.received.find((r) => r.call === 'create')!;
    expect(/checksum=([0-9a-f]+)/.exec(sent.rawQuery)![1]).toHaveLength(hexLength);
    const join = await gql<{ joinUrl: string }>(stack, JOIN, {
      input: { name: 'Prof', meetingId: m.meetingId, password: m.moderatorPass, createTime: m.createTime },
    });
    const url = join.body.data!.joinUrl;
    expect(new URL(url).searchParams.get('checksum')).toHaveLength(hexLength);
    expect((await openJoinLink(url)).role).toBe('MODERATOR');
  });
});
