import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { MEETING } from '../helpers/operations.js';

describe('GraphQL depth and cost limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '10' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('runs an operation within both limits', async () => {
    const res = await gql(stack, '{ meetings { meetingId name } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it.each([
    ['nested fields', '{ meetings { attendees { name } } }'],
    ['a fragment', '{ meetings { ...M } } fragment M on Meeting { attendees { name } }'],
    ['an inline fragment', '{ meetings { ... on Meeting { metadata { key } } } }'],
  ])('refuses an operation deeper than GRAPHQL_MAX_DEPTH through %s with 400 before it runs', async (_label, query) => {
    const before = stack.sim.received.length;
    const res = await gql(stack, query);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors?.[0]?.message).toMatch(/deeper than the limit of 2 levels \(GRAPHQL_MAX_DEPTH\)/);
    expect(stack.sim.received.length).toBe(before);
  });

  it.each([
    ['a fragment cycle', '{ meetings { ...A } } fragment A on Meeting { ...B } fragment B on Meeting { ...A }'],
    ['an unknown fragment', '{ meetings { ...Nowhere } }'],
  ])('answers %s with 400, not a crash', async (_label, query) => {
    const res = await gql(stack, query);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses an operation costlier than GRAPHQL_MAX_COMPLEXITY with 400 before it runs', async () => {
    const many = `{ meetings { ${['meetingId', 'name', 'createTime', 'createdAt', 'running', 'hasUserJoined', 'recording', 'participantCount', 'moderatorCount', 'listenerCount'].join(' ')} } }`;
    const before = stack.sim.received.length;
    const res = await gql(stack, many);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      cost: 11,
      maxCost: 10,
    });
    expect(res.body.errors?.[0]?.message).toMatch(/GRAPHQL_MAX_COMPLEXITY/);
    expect(stack.sim.received.length).toBe(before);
  });

  it('counts aliases of one field separately', async () => {
    const aliased = `{ ${Array.from({ length: 11 }, (_, i) => `m${i}: meetings { meetingId }`).join(' ')} }`;
    const res = await gql(stack, aliased);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/GRAPHQL_MAX_COMPLEXITY/);
  });
});

describe('GraphQL limits at their defaults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("let Apollo Sandbox's full introspection query and the largest documented operation through", async () => {
    const introspection = await gql(stack, getIntrospectionQuery(), {}, null);
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    const meeting = await gql(stack, MEETING, { meetingId: 'none' });
    expect(meeting.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('answers a GraphQL body over BODY_LIMIT_BYTES with 413 as a GraphQL error', async () => {
    const res = await post<{ errors: { extensions: { code: string } }[] }>(
      `${stack.url}/graphql`,
      { query: `{ meetings { meetingId } } # ${'x'.repeat(200 * 1024)}` },
      { authorization: TOKENS.lms },
    );
    expect(res.status).toBe(413);
    expect(res.body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('security headers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['GET', '/healthz'],
    ['POST', '/create'],
    ['POST', '/graphql'],
    ['GET', '/nope'],
  ])('sets the API header set on %s %s', async (method, path) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: TOKENS.lms, 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
    });
    await res.text();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
    );
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("lets the Apollo Sandbox page load its scripts from Apollo's CDN", async () => {
    const res = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('https://embeddable-sandbox.cdn.apollographql.com');
    // The header policy does not restrict scripts; the page's own meta policy allows exactly its CDN.
    const header = res.headers.get('content-security-policy')!;
    expect(header).not.toMatch(/default-src|script-src/);
    expect(header).toContain("frame-ancestors 'none'");
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-[0-9a-f]+' [^"]*https:\/\/embeddable-sandbox\.cdn\.apollographql\.com/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('CORS', () => {
  const allowed = 'https://lms.example.org';
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  describe('off by default', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(async () => {
      await stack.close();
    });

    it('allows no browser origin', async () => {
      const pre = await preflight(stack.url, allowed);
      await pre.text();
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const res = await fetch(`${stack.url}/healthz`, { headers: { origin: allowed } });
      await res.text();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('with CORS_ORIGINS', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({
        env: { CORS_ORIGINS: `${allowed},https://portal.example.org`, RATE_LIMIT_POINTS: '100' },
      });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('answers a preflight from a listed origin, allowing the Authorization header', async () => {
      const res = await preflight(stack.url, allowed);
      await res.text();
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      // Preflights are not counted against anyone's rate limit.
      expect(res.headers.get('x-ratelimit-remaining')).toBeNull();
    });

    it('does not allow an origin that is not listed', async () => {
      const res = await preflight(stack.url, 'https://evil.example.org');
      await res.text();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets a listed origin read the answer and its rate-limit and request-id headers', async () => {
      const res = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { origin: allowed, authorization: TOKENS.lms, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ meetings { meetingId } }' }),
      });
      expect(res.status).toBe(200);
      await res.text();
      expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    });
  });
});
