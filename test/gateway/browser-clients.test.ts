import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CreateMeetingMutation, JoinUrlQuery } from '../generated/graphql.js';
import { assertNoSecretsIn, gql, openJoinLink, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, MEETING } from '../helpers/operations.js';

const KEY = 'browser-clients-signing-key-0123456789';
const FRONTEND = 'https://lms.example.org';

/** A query sent as GET, the way urql (by default) and graphql-request (in GET mode) send queries. */
async function getQuery(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const url = new URL('/graphql', stack.url);
  url.searchParams.set('query', query);
  url.searchParams.set('variables', JSON.stringify(variables));
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

async function preflight(stack: Stack, origin: string, requestHeaders: string) {
  const res = await fetch(`${stack.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
  await res.text();
  return {
    status: res.status,
    allowOrigin: res.headers.get('access-control-allow-origin'),
    allowHeaders: res.headers.get('access-control-allow-headers') ?? '',
  };
}

describe('what browser GraphQL clients send, with their defaults', () => {
  let stack: Stack;
  let meetingId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: FRONTEND, ACCESS_TOKEN_SIGNING_KEY: KEY } });
    meetingId = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Clients' } })).body.data!
      .createMeeting.meetingId;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('urql: a GET query with only Authorization and Accept (no content-type) is answered', async () => {
    const res = await getQuery(
      stack,
      MEETING,
      { meetingId },
      { authorization: TOKENS.lms, accept: 'application/graphql-response+json, application/json' },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ meeting: { meetingId } });
  });

  it('graphql-request GET mode, with an access token', async () => {
    const issued = await gql<{ issueAccessToken: { token: string } }>(
      stack,
      'mutation($input: IssueAccessTokenInput!) { issueAccessToken(input: $input) { token } }',
      { input: { meetingId, scopes: ['READ_MEETING'] } },
    );
    const token = issued.body.data!.issueAccessToken.token;
    const res = await getQuery(stack, MEETING, { meetingId }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ meeting: { meetingId } });
    assertNoSecretsIn(stack.logs, [token]);
  });

  it('Apollo Client: a JSON POST with its client-awareness headers is answered', async () => {
    const res = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: TOKENS.lms,
        'apollographql-client-name': 'web',
        'apollographql-client-version': '1.0',
      },
      body: JSON.stringify({ query: MEETING, variables: { meetingId } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({ meeting: { meetingId } });
  });

  it('a simple GET without any credential (what a cross-site page can send unasked) is refused, naming what to send', async () => {
    const res = await getQuery(stack, '{ __typename }', {}, {});
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(res.body.errors?.[0]?.message).toContain('authorization');
  });

  it('a mutation over GET is refused even with a token, and creates nothing', async () => {
    const before = stack.sim.received.length;
    const res = await getQuery(stack, CREATE, { input: { name: 'Over GET' } }, { authorization: TOKENS.lms });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.data ?? null).toBeNull();
    expect(stack.sim.received.length).toBe(before);
  });

  it('a preflight from a listed origin allows every header the three clients send', async () => {
    const headers =
      'authorization,content-type,accept,apollographql-client-name,apollographql-client-version,x-apollo-operation-name,apollo-require-preflight';
    const res = await preflight(stack, FRONTEND, headers);
    expect(res.status).toBe(204);
    expect(res.allowOrigin).toBe(FRONTEND);
    for (const h of headers.split(',')) expect(res.allowHeaders.split(',').map((s) => s.trim())).toContain(h);
  });

  it('an origin that is not listed gets no CORS headers, and localhost is not allowed outside development', async () => {
    expect((await preflight(stack, 'https://evil.example', 'authorization')).allowOrigin).toBeNull();
    expect((await preflight(stack, 'http://localhost:5173', 'authorization')).allowOrigin).toBeNull();
  });
});

describe('development defaults', () => {
  let dev: Stack;
  beforeAll(async () => {
    dev = await startStack({
      env: { NODE_ENV: 'development', ACCESS_TOKEN_SIGNING_KEY: KEY },
      deps: { demoApp: 'lms' },
    });
  });
  afterAll(async () => {
    await dev.close();
  });

  it('any localhost origin may call, on any port; other origins may not', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      expect((await preflight(dev, origin, 'authorization,content-type')).allowOrigin).toBe(origin);
    }
    expect((await preflight(dev, 'https://evil.example', 'authorization')).allowOrigin).toBeNull();
    expect((await preflight(dev, 'http://localhost.evil.example', 'authorization')).allowOrigin).toBeNull();
  });

  it('serves GraphiQL with React and GraphiQL from npm, scripts from its own origin only', async () => {
    const page = await fetch(`${dev.url}/graphiql`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(4);
    for (const src of scripts) {
      expect(src.startsWith('/graphiql/assets/')).toBe(true);
      const asset = await fetch(new URL(src, dev.url));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect((await asset.text()).length).toBeGreaterThan(0);
    }
    expect((await fetch(`${dev.url}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('serves the browser example, and /examples/browser/demo hands it a fresh token in the fragment', async () => {
    const page = await fetch(`${dev.url}/examples/browser/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="app.js"></script>');
    expect((await fetch(`${dev.url}/examples/browser/app.js`)).status).toBe(200);
    const demo = await fetch(`${dev.url}/examples/browser/demo`, { redirect: 'manual' });
    await demo.text();
    expect(demo.status).toBe(303);
    const location = demo.headers.get('location')!;
    expect(location.startsWith('/examples/browser/#token=')).toBe(true);
    const token = location.slice(location.indexOf('=') + 1);
    const meetingId = (
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { meeting: string }
    ).meeting;
    const join = await gql<JoinUrlQuery>(
      dev,
      'query($input: JoinMeetingInput!) { joinUrl(input: $input) }',
      { input: { meetingId } },
      `Bearer ${token}`,
    );
    expect(await openJoinLink(join.body.data!.joinUrl)).toMatchObject({ role: 'VIEWER', fullName: 'Demo student' });
    assertNoSecretsIn(dev.logs, [token]);
  });
});

describe('production', () => {
  it('serves neither the explorer nor the example', async () => {
    const prod = await startStack({ env: { NODE_ENV: 'production' } });
    try {
      expect((await fetch(`${prod.url}/graphiql`)).status).toBe(404);
      expect((await fetch(`${prod.url}/examples/browser/`)).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
