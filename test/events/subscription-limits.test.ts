import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import type { CreateMeetingMutation } from '../generated/graphql.js';
import { CREATE, ISSUE_TOKEN } from '../helpers/operations.js';
import { gql, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { sampleValue, scrapeMetrics, waitFor } from '../ops/support/ops-helpers.js';
import { WsClient } from './support/subscriber.js';

/** The subscription limits, each configured small: connections per app, message size, idle sockets, rate limit. */
describe('subscription limits', () => {
  let stack: Stack;
  const clients: WsClient[] = [];
  const client = (token: string) => {
    const c = new WsClient(stack.url, token);
    clients.push(c);
    return c;
  };
  const connections = async () =>
    sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscription_connections', { transport: 'ws' }) ?? 0;
  const sseConnections = async () =>
    sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscription_connections', { transport: 'sse' }) ?? 0;

  beforeAll(async () => {
    stack = await startStack({
      env: {
        WEBHOOK_SIGNING_KEY: 'subscription-limits-signing-key-0123456789',
        SUBSCRIPTION_CONNECTIONS_PER_APP: '1',
        SUBSCRIPTION_MAX_MESSAGE_BYTES: '2048',
        SUBSCRIPTION_IDLE_TIMEOUT_MS: '1000',
        SUBSCRIPTION_KEEPALIVE_MS: '1000',
        ACCESS_TOKEN_SIGNING_KEY: 'subscription-limits-access-key-0123456789abcdef',
      },
    });
  });

  /** The app's one connection slot is free: a new socket of lms is acknowledged, not refused with 1013. */
  async function slotIsFree(): Promise<void> {
    const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: TOKENS.lms } }));
    const answer = await Promise.race([
      once(socket, 'message').then(([m]) => JSON.parse(String(m)) as unknown),
      once(socket, 'close').then(([code]) => ({ closed: code })),
    ]);
    expect(answer).toEqual({ type: 'connection_ack' });
    socket.close();
    await once(socket, 'close');
  }

  it('a socket that leaves while its access token is verified keeps no connection slot', async () => {
    const token = await accessToken(stack);
    for (let i = 0; i < 3; i++) {
      const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: token } }));
      socket.terminate();
      await once(socket, 'close');
    }
    await slotIsFree();
  });

  it('an SSE request that leaves while its access token is verified keeps no connection slot', async () => {
    const token = await accessToken(stack);
    const { port } = new URL(stack.url);
    const body = JSON.stringify({ query: 'subscription { meetingEvents { id } }' });
    for (let i = 0; i < 3; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /graphql/stream HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\naccept: text/event-stream\r\n` +
          `authorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.destroy();
      await new Promise((resolve) => socket.once('close', resolve));
    }
    await waitFor(async () => (await sseConnections()) === 0, 'no SSE connection to be counted');
    const stream = () =>
      fetch(`${stack.url}/graphql/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: TOKENS.lms },
        body,
      });
    const res = await stream();
    expect(res.status).toBe(200);
    // The slot is taken now: one more is LIMIT_EXCEEDED, from the error table (429 with Retry-After).
    const refused = await stream();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    const [error] = ((await refused.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;
    expect(error).toMatchObject({
      extensions: { code: 'LIMIT_EXCEEDED' },
      message: expect.stringContaining('PER_APP'),
    });
    await res.body?.cancel();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(async () => (await connections()) === 0, 'every socket to be gone');
  });

  afterAll(async () => {
    await stack.close();
  });

  it('refuses a second connection of the same app with 1013 (another app still connects)', async () => {
    const first = client(TOKENS.lms);
    first.subscribe();
    await waitFor(async () => (await connections()) === 1, 'the first socket');
    const second = client(TOKENS.lms);
    second.subscribe();
    expect(await second.closed()).toMatchObject({ code: 1013, reason: expect.stringContaining('PER_APP') });
    const portal = client(TOKENS.portal);
    portal.subscribe();
    await waitFor(async () => (await connections()) === 2, 'portal to connect');
  });

  it('closes a socket that sends a message over SUBSCRIPTION_MAX_MESSAGE_BYTES with 1009', async () => {
    const ws = client(TOKENS.lms);
    ws.subscribe({}, `subscription { meetingEvents { id } }${' '.repeat(3000)}`);
    expect(await ws.closed()).toMatchObject({ code: 1009 });
  });

  it('closes a socket without a subscription after SUBSCRIPTION_IDLE_TIMEOUT_MS', async () => {
    const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: TOKENS.portal } }));
    const [ack] = await once(socket, 'message');
    expect(JSON.parse(String(ack))).toMatchObject({ type: 'connection_ack' });
    const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
    expect({ code, reason: reason.toString() }).toEqual({ code: 1000, reason: expect.stringContaining('Idle') });
  });

  it('pings a socket every SUBSCRIPTION_KEEPALIVE_MS (ws answers the pong itself)', async () => {
    const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: TOKENS.portal } }));
    await once(socket, 'message');
    socket.send(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { meetingEvents { id } }' } }),
    );
    await once(socket, 'ping');
    await once(socket, 'ping');
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    await once(socket, 'close');
  });
});

describe('subscriptions and the rate limit', () => {
  let stack: Stack;
  let ws: WsClient | undefined;

  beforeAll(async () => {
    stack = await startStack({
      env: {
        WEBHOOK_SIGNING_KEY: 'subscription-limits-signing-key-0123456789',
        RATE_LIMIT_POINTS: '2',
        RATE_LIMIT_DURATION_S: '3600',
      },
    });
  });

  afterAll(async () => {
    await ws?.dispose();
    await stack.close();
  });

  it("charges each subscription a point of the app's rate limit", async () => {
    // The upgrade request (token in connection_init) is charged to the client address, each subscription to the app.
    ws = new WsClient(stack.url, TOKENS.admin);
    const subs = [ws.subscribe(), ws.subscribe(), ws.subscribe()];
    const [errors] = (await subs[2]!.failed()) as Array<Array<{ extensions?: { code?: string } }>>;
    expect(errors![0]!.extensions?.code).toBe('RATE_LIMITED');
    expect(subs.slice(0, 2).map((s) => s.errors)).toEqual([[], []]);
  });
});

describe('subscriptions with an access token: its own rate budget and connection cap', () => {
  let stack: Stack;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    stack = await startStack({
      env: {
        WEBHOOK_SIGNING_KEY: 'subscription-limits-signing-key-0123456789',
        ACCESS_TOKEN_SIGNING_KEY: 'subscription-limits-access-key-0123456789abcdef',
        RATE_LIMIT_POINTS: '1000',
        RATE_LIMIT_DURATION_S: '3600',
        RATE_LIMIT_ACCESS_TOKEN_POINTS: '1',
        SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN: '1',
        GRAPHQL_INTROSPECTION: 'false',
      },
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack.close();
  });

  it('hides the schema\'s "Did you mean …?" hints from validation errors while introspection is off', async () => {
    const ws = new WsClient(stack.url, TOKENS.portal);
    clients.push(ws);
    const sub = ws.subscribe({}, 'subscription { meetingEvent { id } }');
    const [errors] = (await sub.failed()) as Array<Array<{ message: string; extensions?: { code?: string } }>>;
    expect(errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors![0]!.message).toContain('meetingEvent');
    expect(errors![0]!.message).not.toContain('Did you mean');
  });

  it("charges each subscription a point of the token's own budget, and caps the token's connections", async () => {
    const token = await accessToken(stack);
    const ws = new WsClient(stack.url, token);
    clients.push(ws);
    const first = ws.subscribe();
    const second = ws.subscribe();
    const [errors] = (await second.failed()) as Array<Array<{ message: string; extensions?: { code?: string } }>>;
    expect(errors![0]!.extensions?.code).toBe('RATE_LIMITED');
    expect(errors![0]!.message).toContain('access token');
    expect(first.errors).toEqual([]);
    // The token's one connection is taken; another app's (or an API token's) connections are not affected.
    const again = new WsClient(stack.url, token);
    clients.push(again);
    again.subscribe();
    expect(await again.closed()).toMatchObject({ code: 1013, reason: expect.stringContaining('PER_ACCESS_TOKEN') });
    const app = new WsClient(stack.url, TOKENS.lms);
    clients.push(app);
    const sub = app.subscribe();
    await waitFor(
      async () => sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_subscriptions', { transport: 'ws' }) === 2,
      'the app token to stream too',
    );
    expect(sub.errors).toEqual([]);
  });
});

/** An access token of the app lms with SUBSCRIBE_EVENTS (verifying it is asynchronous, unlike an API token). */
async function accessToken(stack: Stack): Promise<string> {
  const created = await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Limits' } });
  const res = await gql<{ issueAccessToken: { token: string } }>(stack, ISSUE_TOKEN, {
    input: { meetingId: created.body.data!.createMeeting.meetingId, scopes: ['SUBSCRIBE_EVENTS'], name: 'Student' },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.issueAccessToken.token;
}

function once(socket: WebSocket, event: 'open' | 'message' | 'close' | 'ping'): Promise<unknown[]> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args)));
}
