import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createBbbClient } from '../../src/bbb/client.js';
import type { BbbClient } from '../../src/bbb/types.js';
import type { Fault } from '../../src/simulator/index.js';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, JOIN } from '../helpers/operations.js';

/** What BBB does wrong, and what both faces of the gateway must answer. */
const FAULTS: [string, Fault, string, number][] = [
  ['BBB drops the connection', { kind: 'drop' }, 'BBB_UNAVAILABLE', 503],
  ['BBB is slower than BBB_TIMEOUT_MS', { kind: 'latency', ms: 1500 }, 'BBB_UNAVAILABLE', 504],
  ['BBB answers an nginx 502 page', { kind: 'status', status: 502 }, 'BBB_ERROR', 502],
  ['BBB answers an HTML page with 200', { kind: 'html' }, 'BBB_ERROR', 502],
  ['BBB answers garbage', { kind: 'garbage' }, 'BBB_ERROR', 502],
  ['BBB answers an empty body', { kind: 'empty' }, 'BBB_ERROR', 502],
];

describe('when BBB misbehaves', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { BBB_TIMEOUT_MS: '300', BBB_RETRIES: '0', JOIN_CACHE_TTL_MS: '0' } });
  });
  afterEach(() => stack.sim.clearFaults());
  afterAll(async () => {
    await stack.close();
  });

  it.each(FAULTS)('%s: createMeeting and POST /create answer the table row', async (_label, fault, code, status) => {
    stack.sim.injectFault({ fault, calls: ['create'] });
    const g = await gql(stack, CREATE, { input: { name: 'fault' } });
    expect(g.status).toBe(status);
    expect(g.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(g.body.errors?.[0]?.message).toMatch(/BigBlueButton/);
    const r = await post<{ message: string }>(`${stack.url}/create`, { name: 'fault' }, { authorization: TOKENS.lms });
    expect(r.status).toBe(status);
    expect(Object.keys(r.body)).toEqual(['message']);
    expect(r.body.message).toBe(g.body.errors?.[0]?.message);
  });

  it.each(FAULTS)('%s: joinUrl and POST /join answer the table row', async (_label, fault, code, status) => {
    const created = await post<Record<string, string>>(
      `${stack.url}/create`,
      { name: 'fault join' },
      { authorization: TOKENS.lms },
    );
    const m = created.body;
    stack.sim.injectFault({ fault, calls: ['getMeetingInfo'] });
    const g = await gql(stack, JOIN, {
      input: { name: 'x', meetingId: m.meeting_id, password: m.moderator_pass, createTime: m.create_time },
    });
    expect(g.status).toBe(status);
    expect(g.body.errors?.[0]?.extensions?.code).toBe(code);
    const r = await post<{ message: string }>(
      `${stack.url}/join`,
      { name: 'x', meeting_id: m.meeting_id, password: m.moderator_pass, create_time: m.create_time },
      { authorization: TOKENS.lms },
    );
    expect(r.status).toBe(status);
    expect(r.headers.get('location')).toBeNull();
  });

  it('works again without a restart once BBB recovers', async () => {
    stack.sim.injectFault({ fault: { kind: 'drop' }, calls: ['create'], times: 1 });
    expect((await post(`${stack.url}/create`, { name: 'down' }, { authorization: TOKENS.lms })).status).toBe(503);
    expect((await post(`${stack.url}/create`, { name: 'up again' }, { authorization: TOKENS.lms })).status).toBe(200);
  });
});

describe('when the gateway has the wrong secret', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { BBB_SECRET: 'not-the-servers-secret-at-all' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers BBB_ERROR (502) telling the operator to check the secret, without revealing it', async () => {
    const g = await gql(stack, CREATE, { input: { name: 'bad secret' } });
    expect(g.status).toBe(502);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('BBB_ERROR');
    expect(g.body.errors?.[0]?.message).toMatch(/BBB_SECRET/);
    expect(g.text).not.toContain('not-the-servers-secret-at-all');
    expect(g.text).not.toContain(stack.sim.secret);
    const r = await post<{ message: string }>(
      `${stack.url}/create`,
      { name: 'bad secret' },
      { authorization: TOKENS.lms },
    );
    expect(r.status).toBe(502);
    expect(r.body.message).toMatch(/BBB_CHECKSUM_ALGORITHM/);
    expect(stack.logs.join('\n')).not.toContain('not-the-servers-secret-at-all');
  });
});

describe('when something unexpected breaks inside the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A BBB client that fails in a way nobody planned for, with a secret in its message.
    const broken = (real: BbbClient): BbbClient => ({
      ...real,
      create: async () => {
        throw new TypeError('cannot read properties of undefined (secret hunter2-leak)');
      },
    });
    stack = await startStack({
      deps: { bbb: broken(createBbbClient({ baseUrl: 'http://127.0.0.1:9/bigbluebutton/', secret: 'x' })) },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers INTERNAL_SERVER_ERROR (500) with a masked message on both faces', async () => {
    const g = await gql(stack, CREATE, { input: { name: 'boom' } });
    expect(g.status).toBe(500);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(g.text).not.toContain('hunter2');
    expect(g.text).not.toMatch(/at .*\.ts:\d+/);
    const r = await post<{ message: string }>(`${stack.url}/create`, { name: 'boom' }, { authorization: TOKENS.lms });
    expect(r.status).toBe(500);
    expect(r.body.message).toMatch(/request id/);
    expect(r.text).not.toContain('hunter2');
    // The operator still sees what happened, under the request id.
    expect(stack.logs.some((l) => l.includes('cannot read properties of undefined'))).toBe(true);
  });
});
