import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';

/**
 * `fragment F<i> on Meeting { ...F<i-1> ...F<i-1> }`, `levels` deep: a few hundred bytes that expand to 2^levels fields.
 * `extra` goes into the innermost fragment (a misspelt field, to see whether the document was validated).
 */
function fragmentBomb(levels: number, extra = ''): string {
  let doc = `query Bomb($id: ID!) { meeting(meetingId: $id) { ...F${levels} } }\nfragment F0 on Meeting { meetingId ${extra} }\n`;
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on Meeting { ...F${i - 1} ...F${i - 1} }\n`;
  return doc;
}

const aliased = (n: number, selection: (i: number) => string, operation = '') =>
  `${operation} { ${Array.from({ length: n }, (_, i) => `a${i}: ${selection(i)}`).join(' ')} }`;

/** Document bounds wide open, so a test reaches the limit it is about. */
const WIDE_DOCUMENTS = {
  GRAPHQL_MAX_TOKENS: '1000000',
  GRAPHQL_MAX_ALIASES: '10000',
  GRAPHQL_MAX_FRAGMENT_SPREADS: '10000',
  BODY_LIMIT_BYTES: String(1024 * 1024),
};

async function createMeeting(stack: Stack): Promise<string> {
  const res = await gql<{ createMeeting: { meetingId: string } }>(
    stack,
    'mutation { createMeeting(input: { name: "Cost" }) { meetingId } }',
  );
  expect(res.status).toBe(200);
  return res.body.data!.createMeeting.meetingId;
}

describe('GraphQL without a token (introspection on, as outside production)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses a fragment bomb with 401 before validating it (a misspelt field in it is never reported)', async () => {
    const res = await gql(stack, fragmentBomb(25, 'meetingz'), { id: 'x' }, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.text).not.toMatch(/Did you mean/);
  });

  it('answers a misspelt field with 401, not with "Did you mean …" suggestions that list the schema', async () => {
    const res = await gql(stack, '{ meetingz { meetingId } }', {}, null);
    expect(res.status).toBe(401);
    expect(res.text).not.toMatch(/Did you mean|meetings/);
  });

  it('still lets Apollo Sandbox introspect, also through a root fragment', async () => {
    const full = await gql(stack, getIntrospectionQuery(), {}, null);
    expect(full.status).toBe(200);
    expect(full.body.errors).toBeUndefined();
    const viaFragment = await gql<{ __schema: { queryType: { name: string } } }>(
      stack,
      'query { ...Root } fragment Root on Query { __schema { queryType { name } } }',
      {},
      null,
    );
    expect(viaFragment.status).toBe(200);
    expect(viaFragment.body.data?.__schema.queryType.name).toBe('Query');
  });

  it('bounds what an anonymous introspection query may ask for: a fragment bomb inside __schema is refused', async () => {
    let doc = 'query { __schema { types { ...T25 } } } fragment T0 on __Type { name }';
    for (let i = 1; i <= 25; i++) doc += ` fragment T${i} on __Type { ...T${i - 1} ...T${i - 1} }`;
    const res = await gql(stack, doc, {}, null);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.data).toBeUndefined();
  });

  it('refuses an introspection query mixed with a real field, a syntax error, and a non-string query with 401', async () => {
    for (const query of ['{ __typename meetings { meetingId } }', '{ __schema {', '{ ...Nowhere }']) {
      const res = await gql(stack, query, {}, null);
      expect([query, res.status]).toEqual([query, 401]);
    }
    const res = await post(`${stack.url}/graphql`, { query: 42 });
    expect(res.status).toBe(401);
    const get = await fetch(`${stack.url}/graphql?query=${encodeURIComponent('{ meetingz { meetingId } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(401);
    expect(await get.text()).not.toMatch(/Did you mean/);
    const sandboxPage = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(sandboxPage.status).toBe(200);
    await sandboxPage.text();
  });
});

describe('GraphQL without a token, introspection off (production)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SANDBOX: 'false' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses every operation with 401 and no schema detail', async () => {
    for (const query of ['{ meetingz { meetingId } }', getIntrospectionQuery(), fragmentBomb(25)]) {
      const res = await gql(stack, query, { id: 'x' }, null);
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.text).not.toMatch(/Did you mean/);
    }
  });

  it('gives no schema hints to a caller with a token either, and refuses an anonymous batch', async () => {
    const misspelt = await gql(stack, '{ meetingz { meetingId } }');
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(misspelt.text).not.toMatch(/Did you mean/);
    const batch = await post(`${stack.url}/graphql`, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(401);
  });
});

describe('GraphQL document bounds at their defaults (with a token)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses the 25-level fragment bomb with 400 and calls BBB for nothing', async () => {
    const before = stack.sim.received.length;
    const res = await gql(stack, fragmentBomb(25), { id: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.map((e) => e.message).join(' ')).toMatch(/GRAPHQL_MAX_FRAGMENT_SPREADS/);
    expect(stack.sim.received.length).toBe(before);
  });

  it('refuses 1500 aliased meeting() calls while parsing (GRAPHQL_MAX_TOKENS), with no getMeetingInfo made', async () => {
    const meetingId = await createMeeting(stack);
    const before = stack.sim.callCount('getMeetingInfo');
    const res = await gql(
      stack,
      aliased(1500, () => `meeting(meetingId: "${meetingId}") { meetingId }`),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/2000 tokens/);
    expect(stack.sim.callCount('getMeetingInfo')).toBe(before);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, even of free fields', async () => {
    const res = await gql(
      stack,
      aliased(31, () => '__typename'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/more than 30 aliased fields \(GRAPHQL_MAX_ALIASES\)/);
    expect(
      (
        await gql(
          stack,
          aliased(30, () => '__typename'),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses 11 aliased meeting() calls: more BBB calls than GRAPHQL_MAX_BBB_CALLS', async () => {
    const meetingId = await createMeeting(stack);
    const before = stack.sim.callCount('getMeetingInfo');
    const res = await gql(
      stack,
      aliased(11, () => `meeting(meetingId: "${meetingId}") { meetingId }`),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      bbbCalls: 11,
      maxBbbCalls: 10,
    });
    expect(res.body.errors?.[0]?.message).toMatch(/GRAPHQL_MAX_BBB_CALLS/);
    expect(stack.sim.callCount('getMeetingInfo')).toBe(before);
    const ten = await gql(
      stack,
      aliased(10, () => `meeting(meetingId: "${meetingId}") { meetingId }`),
    );
    expect(ten.status).toBe(200);
    expect(stack.sim.callCount('getMeetingInfo')).toBe(before + 10);
  });

  it('measures again when variables change the BBB-call estimate: the same text with a bigger page is refused', async () => {
    // 4 aliased recordings: first 1 costs 1 getRecordings each (4), first 100 after a cursor up to 4 each (16 > 10).
    const doc = `query R($n: Int!, $a: String) { ${Array.from({ length: 4 }, (_, i) => `r${i}: recordings(first: $n, after: $a) { nodes { recordId } }`).join(' ')} }`;
    expect((await gql(stack, doc, { n: 1 })).status).toBe(200);
    const before = stack.sim.callCount('getRecordings');
    const big = await gql(stack, doc, { n: 100, a: 'c' });
    expect(big.status).toBe(400);
    expect(big.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', maxBbbCalls: 10 });
    expect(stack.sim.callCount('getRecordings')).toBe(before);
    // ... and the other way round: a big page measured first does not refuse the small one later.
    expect((await gql(stack, doc, { n: 1 })).status).toBe(200);
  });

  it('refuses two mutations in one document (GRAPHQL_MAX_MUTATIONS), also through a fragment, and changes nothing', async () => {
    const before = stack.sim.callCount('create');
    const twice = await gql(
      stack,
      aliased(2, () => 'createMeeting(input: { name: "Twice" }) { meetingId }', 'mutation'),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      mutations: 2,
      maxMutations: 1,
    });
    const viaFragment = await gql(
      stack,
      'mutation { ...C ...C2 } fragment C on Mutation { createMeeting(input: { name: "F" }) { meetingId } } fragment C2 on Mutation { b: createMeeting(input: { name: "F" }) { meetingId } }',
    );
    expect(viaFragment.status).toBe(400);
    expect(viaFragment.body.errors?.[0]?.message).toMatch(/GRAPHQL_MAX_MUTATIONS/);
    expect(stack.sim.callCount('create')).toBe(before);
  });
});

describe('GraphQL cost when the document bounds are opened wide', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: WIDE_DOCUMENTS });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses an operation whose cost cannot be measured (a fragment bomb past 10,000 nodes) instead of running it unchecked', async () => {
    const meetingId = await createMeeting(stack);
    const before = stack.sim.received.length;
    const res = await gql(stack, fragmentBomb(14), { id: meetingId });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/more than 10000 fields .*GRAPHQL_MAX_COMPLEXITY/);
    expect(res.body.data).toBeUndefined();
    expect(stack.sim.received.length).toBe(before);
  });

  it('refuses variables that do not fit the operation with BAD_USER_INPUT naming the variable, before anything runs', async () => {
    const before = stack.sim.received.length;
    const res = await gql(stack, 'query R($n: Int!) { recordings(first: $n) { edges { cursor } } }', { n: 'many' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/\$n/);
    expect(stack.sim.received.length).toBe(before);
  });

  it('refuses 330 aliased createMeeting and creates nothing on BBB', async () => {
    const before = stack.sim.callCount('create');
    const res = await gql(
      stack,
      aliased(330, (i) => `createMeeting(input: { name: "Flood ${i}" }) { meetingId }`, 'mutation'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', mutations: 330 });
    expect(stack.sim.callCount('create')).toBe(before);
  });

  it('refuses 499 aliased meetings with no getMeetings call made', async () => {
    const before = stack.sim.callCount('getMeetings');
    const res = await gql(
      stack,
      aliased(499, () => 'meetings { meetingId }'),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      bbbCalls: 499,
      maxBbbCalls: 10,
    });
    expect(stack.sim.callCount('getMeetings')).toBe(before);
  });
});

describe('rate limit charged by BBB calls', () => {
  let stack: Stack;
  const THREE_CALLS = aliased(3, () => 'meetings { meetingId }');
  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_POINTS: '10', RATE_LIMIT_DURATION_S: '60' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('charges an operation its BBB-call estimate and a REST call one point, and refuses the one it cannot pay before it runs', async () => {
    const first = await gql(stack, THREE_CALLS);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('7');
    const rest = await post(`${stack.url}/create`, { name: 'one call' }, { authorization: TOKENS.lms });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-ratelimit-remaining')).toBe('6');
    // Introspection calls BBB for nothing and pays only its arrival.
    expect((await gql(stack, '{ __typename }')).headers.get('x-ratelimit-remaining')).toBe('5');
    expect((await gql(stack, THREE_CALLS)).headers.get('x-ratelimit-remaining')).toBe('2');

    const before = stack.sim.callCount('getMeetings');
    const refused = await gql(stack, THREE_CALLS);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(stack.sim.callCount('getMeetings')).toBe(before);
  });
});
