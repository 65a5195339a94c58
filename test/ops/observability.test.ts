import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { assertNoSecretsIn, gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, JOIN, MEETING, PUBLISH } from '../helpers/operations.js';
import { parseLogs, parseMetrics, sampleValue, scrapeMetrics, waitFor } from './support/ops-helpers.js';

const lms = { authorization: TOKENS.lms };

/** A GraphQL request as the lms app, with a request id to find its log line by. */
function gqlWithId(stack: Stack, query: string, variables: Record<string, unknown>, reqId: string) {
  return post<{ errors?: unknown[] }>(`${stack.url}/graphql`, { query, variables }, { ...lms, 'x-request-id': reqId });
}

function completedLine(stack: Stack, reqId: string): Record<string, unknown> | undefined {
  return parseLogs(stack.logs).find((l) => l.reqId === reqId && l.msg === 'request completed');
}

async function completed(stack: Stack, reqId: string): Promise<Record<string, unknown>> {
  await waitFor(() => completedLine(stack, reqId) !== undefined, `the log line of ${reqId}`);
  return completedLine(stack, reqId)!;
}

describe('request log lines', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { JOIN_CACHE_TTL_MS: '0' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('writes one "request completed" line per GraphQL request with the id, app, operation, status and BBB latency', async () => {
    const res = await post(
      `${stack.url}/graphql`,
      { query: CREATE, variables: { input: { name: 'logged' } }, operationName: 'CreateMeeting' },
      { ...lms, 'x-request-id': 'ops-log-gql-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('ops-log-gql-1');
    const line = await completed(stack, 'ops-log-gql-1');
    expect(line).toMatchObject({
      name: 'bbb-interface',
      app: 'lms',
      operation: 'createMeeting',
      operationName: 'CreateMeeting',
      method: 'POST',
      url: '/graphql',
      status: 200,
      bbbCalls: 1,
    });
    expect(line.bbbMs).toEqual(expect.any(Number));
    expect(line.bbbMs as number).toBeGreaterThan(0);
    expect(line.durationMs as number).toBeGreaterThanOrEqual(line.bbbMs as number);
    expect(
      parseLogs(stack.logs).filter(
        (l) => l.reqId === 'ops-log-gql-1' && /request (completed|aborted)|incoming request/.test(String(l.msg)),
      ),
    ).toHaveLength(1);
  });

  it("writes a failed BBB call's warning with the request's id, and counts the call on the request's line", async () => {
    stack.sim.injectFault({ fault: { kind: 'html' }, calls: ['create'], times: 1 });
    const res = await post(
      `${stack.url}/graphql`,
      { query: CREATE, variables: { input: { name: 'fails' } } },
      { ...lms, 'x-request-id': 'ops-log-bbb-fail' },
    );
    expect(res.status).toBe(502);
    const line = await completed(stack, 'ops-log-bbb-fail');
    expect(line).toMatchObject({ status: 502, errorCode: 'BBB_ERROR', bbbCalls: 1 });
    const warning = parseLogs(stack.logs).find((l) => l.msg === 'BigBlueButton call failed' && l.bbbCall === 'create');
    expect(warning).toMatchObject({ reqId: 'ops-log-bbb-fail', outcome: 'protocol', level: 40 });
  });

  it('names the REST route as the operation and records the error code of a refused join', async () => {
    const created = await post<Record<string, string>>(`${stack.url}/create`, { name: 'rest logged' }, lms);
    const ok = await post(
      `${stack.url}/join`,
      {
        name: 'Ana',
        meeting_id: created.body.meeting_id,
        password: created.body.moderator_pass,
        create_time: created.body.create_time,
      },
      { ...lms, 'x-request-id': 'ops-log-join-ok' },
    );
    expect(ok.status).toBe(303);
    expect(await completed(stack, 'ops-log-join-ok')).toMatchObject({
      app: 'lms',
      operation: 'join',
      url: '/join',
      status: 303,
      bbbCalls: 1,
    });

    const refused = await post(
      `${stack.url}/join`,
      {
        name: 'Eve',
        meeting_id: created.body.meeting_id,
        password: 'not-the-password',
        create_time: created.body.create_time,
      },
      { ...lms, 'x-request-id': 'ops-log-join-403' },
    );
    expect(refused.status).toBe(403);
    expect(await completed(stack, 'ops-log-join-403')).toMatchObject({
      operation: 'join',
      status: 403,
      errorCode: 'FORBIDDEN',
    });
  });

  it('names the meeting on the request line, and on a 4xx line the error message', async () => {
    const created = await post<Record<string, string>>(
      `${stack.url}/create`,
      { name: 'traced' },
      { ...lms, 'x-request-id': 'ops-log-id-create' },
    );
    const meetingId = created.body.meeting_id!;
    expect(await completed(stack, 'ops-log-id-create')).toMatchObject({ operation: 'create', status: 200, meetingId });
    const refused = await post<{ message: string }>(
      `${stack.url}/join`,
      { name: 'Eve', meeting_id: meetingId, password: 'not-the-password', create_time: created.body.create_time },
      { ...lms, 'x-request-id': 'ops-log-id-403' },
    );
    expect(refused.status).toBe(403);
    const line = await completed(stack, 'ops-log-id-403');
    expect(line).toMatchObject({ status: 403, errorCode: 'FORBIDDEN', errorMessage: refused.body.message, meetingId });
    expect(JSON.stringify(line)).not.toContain('not-the-password');

    const g = await gqlWithId(stack, MEETING, { meetingId }, 'ops-log-id-gql');
    expect(g.status).toBe(200);
    expect(await completed(stack, 'ops-log-id-gql')).toMatchObject({ operation: 'meeting', meetingId });
    expect((await completed(stack, 'ops-log-id-gql')).errorMessage).toBeUndefined();
  });

  it('names the recordings a request was about', async () => {
    const recordIds = ['log-rec-0001', 'log-rec-0002'];
    await gqlWithId(stack, PUBLISH, { recordIds }, 'ops-log-id-rec');
    expect(await completed(stack, 'ops-log-id-rec')).toMatchObject({
      operation: 'publishRecordings',
      recordingIds: recordIds,
    });
  });

  it('logs the message of a rejected GraphQL variable without the value it echoes', async () => {
    const res = await gqlWithId(
      stack,
      CREATE,
      { input: { name: 'x', attendeePass: { secret: 'echoed-value-4714' } } },
      'ops-log-id-var',
    );
    expect(res.text).toContain('echoed-value-4714'); // the caller sees its own value; the log must not
    const line = await completed(stack, 'ops-log-id-var');
    expect(line.errorMessage).toMatch(/^Variable "\$input" got invalid value \[redacted\]$/);
    expect(JSON.stringify(line)).not.toContain('echoed-value-4714');
  });

  it('logs a request without a valid token with no app and UNAUTHENTICATED', async () => {
    const res = await post(
      `${stack.url}/create`,
      { name: 'x' },
      { authorization: 'unknown-token-0123456789', 'x-request-id': 'ops-log-401' },
    );
    expect(res.status).toBe(401);
    const line = await completed(stack, 'ops-log-401');
    expect(line).toMatchObject({ status: 401, errorCode: 'UNAUTHENTICATED' });
    expect(line.app).toBeUndefined();
  });
});

describe('secrets in logs', () => {
  const wrongSecret = 'wrong-secret-0123456789abcdef0123';
  let stack: Stack;
  let misconfigured: Stack;
  const passwords = ['attendee-pw-4711-logtest', 'moderator-pw-4712-logtest', 'guessed-pw-4713-logtest'];

  beforeAll(async () => {
    // trace: every line the gateway can write is in the capture.
    stack = await startStack({ env: { LOG_LEVEL: 'trace', JOIN_CACHE_TTL_MS: '0' } });
    misconfigured = await startStack({ env: { LOG_LEVEL: 'trace', BBB_SECRET: wrongSecret } });
  });
  afterAll(async () => {
    await stack.close();
    await misconfigured.close();
  });

  it('never writes the BBB secret, a token, a meeting password or a checksum value, through successes and failures', async () => {
    const [attendeePass, moderatorPass, guessed] = passwords as [string, string, string];
    const g = await gql<{ createMeeting: { meetingId: string; createTime: string } }>(stack, CREATE, {
      input: { name: 'secret test', attendeePass, moderatorPass },
    });
    expect(g.status).toBe(200);
    const m = g.body.data!.createMeeting;

    // A join URL (checksum inside) is made and handed out on both faces.
    const joined = await gql(stack, JOIN, {
      input: { name: 'Ana', meetingId: m.meetingId, password: moderatorPass, createTime: m.createTime },
    });
    expect(joined.status).toBe(200);
    const rest = await post(
      `${stack.url}/join`,
      { name: 'Ana', meeting_id: m.meetingId, password: attendeePass, create_time: m.createTime },
      lms,
    );
    expect(rest.headers.get('location')).toMatch(/checksum=[0-9a-f]{64}/);

    // A wrong password, on both faces.
    expect(
      (
        await gql(stack, JOIN, {
          input: { name: 'Eve', meetingId: m.meetingId, password: guessed, createTime: m.createTime },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          `${stack.url}/join`,
          { name: 'Eve', meeting_id: m.meetingId, password: guessed, create_time: m.createTime },
          lms,
        )
      ).status,
    ).toBe(403);

    // GraphQL over GET puts the variables, password included, in the query string.
    const query = new URLSearchParams({
      query: JOIN,
      variables: JSON.stringify({
        input: { name: 'Get', meetingId: m.meetingId, password: moderatorPass, createTime: m.createTime },
      }),
    });
    const viaGet = await fetch(`${stack.url}/graphql?${query}`, {
      headers: { ...lms, 'apollo-require-preflight': 'true' },
    });
    expect(viaGet.status).toBe(200);
    await viaGet.text();

    // A token that is not one, and a live read.
    expect((await gql(stack, MEETING, { meetingId: m.meetingId }, 'not-a-token-but-looks-like-one-123')).status).toBe(
      401,
    );
    expect((await gql(stack, MEETING, { meetingId: m.meetingId })).status).toBe(200);

    // BBB refusing the checksum (the gateway has the wrong secret).
    const refused = await post<{ message: string }>(
      `${misconfigured.url}/create`,
      { name: 'bad secret', attendee_pass: attendeePass, moderator_pass: moderatorPass },
      lms,
    );
    expect(refused.status).toBe(502);
    expect(refused.body.message).toMatch(/BBB_SECRET/);

    await waitFor(
      () => parseLogs(stack.logs).filter((l) => l.msg === 'request completed').length >= 8,
      'the log lines of the traffic',
    );
    await waitFor(
      () => parseLogs(misconfigured.logs).some((l) => l.msg === 'request completed' && l.status === 502),
      'the 502 log line',
    );
    const all = [...stack.logs, ...misconfigured.logs];
    // The capture holds the traffic, so the check below is not vacuous.
    expect(parseLogs(all).some((l) => l.level === 20 && l.bbbCall === 'create')).toBe(true);
    expect(parseLogs(all).some((l) => l.status === 403)).toBe(true);
    expect(parseLogs(all).some((l) => l.msg === 'request failed' && l.code === 'BBB_ERROR')).toBe(true);

    assertNoSecretsIn(all, [
      stack.sim.secret,
      misconfigured.sim.secret,
      wrongSecret,
      ...Object.values(TOKENS),
      'not-a-token-but-looks-like-one-123',
      ...passwords,
    ]);
    expect(all.join('\n')).not.toMatch(/checksum=[0-9a-f]/i);
  });
});

describe('GET /metrics', () => {
  let stack: Stack;
  // A gateway per test: the first one counts exact request and BBB call totals, which another test's create would move.
  beforeEach(async () => {
    stack = await startStack({ env: { JOIN_CACHE_TTL_MS: '0' } });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('answers Prometheus text with request, latency, BBB call and process metrics', async () => {
    const created = await post<Record<string, string>>(
      `${stack.url}/create`,
      { name: 'metered' },
      { ...lms, 'x-request-id': 'ops-metrics-create' },
    );
    expect(created.status).toBe(200);
    const g = await gql(stack, MEETING, { meetingId: 'no-such-meeting' }, TOKENS.portal);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await completed(stack, 'ops-metrics-create');

    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await res.text());

    expect(
      sampleValue(samples, 'bbb_interface_http_requests_total', {
        method: 'POST',
        route: '/create',
        operation: 'create',
        status: '200',
        app: 'lms',
      }),
    ).toBe(1);
    await waitFor(
      async () =>
        sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_http_requests_total', {
          route: '/graphql',
          operation: 'meeting',
          app: 'portal',
        }) === 1,
      'the GraphQL request count',
    );
    expect(
      sampleValue(samples, 'bbb_interface_http_request_duration_seconds_count', {
        route: '/create',
        operation: 'create',
        status: '200',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'bbb_interface_http_request_duration_seconds_bucket', {
        route: '/create',
        operation: 'create',
        status: '200',
        le: '+Inf',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'bbb_interface_bbb_calls_total', { call: 'create', outcome: 'success', message_key: '' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'bbb_interface_bbb_calls_total', {
        call: 'getMeetingInfo',
        outcome: 'failed',
        message_key: 'notFound',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'bbb_interface_bbb_call_duration_seconds_count', { call: 'create', outcome: 'success' }),
    ).toBe(1);
    expect(sampleValue(samples, 'process_cpu_seconds_total')).toEqual(expect.any(Number));
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds')).toEqual(expect.any(Number));
  });

  it('counts requests in flight', async () => {
    stack.sim.setLatency(1000);
    const before = stack.sim.callCount('create');
    const slow = post(`${stack.url}/create`, { name: 'slow' }, lms);
    try {
      await waitFor(() => stack.sim.callCount('create') > before, 'the slow create to reach BBB');
      // The slow create and this scrape itself.
      expect(sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_http_requests_in_flight')).toBe(2);
    } finally {
      expect((await slow).status).toBe(200);
      stack.sim.setLatency(0);
    }
    await waitFor(
      async () => sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_http_requests_in_flight') === 1,
      'the slow request to finish',
    );
  });

  it('is neither authenticated nor rate limited by default, and not logged at info', async () => {
    const res = await fetch(`${stack.url}/metrics`, { headers: { 'x-request-id': 'ops-metrics-quiet' } });
    expect(res.status).toBe(200);
    await res.text();
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    await waitFor(
      async () =>
        sampleValue(await scrapeMetrics(stack.url), 'bbb_interface_http_requests_total', {
          route: '/metrics',
          status: '200',
        })! >= 2,
      'the scrape count',
    );
    expect(completedLine(stack, 'ops-metrics-quiet')).toBeUndefined();
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const metricsToken = 'metrics-token-0123456789abcdef';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_TOKEN: metricsToken } });
  });
  afterAll(async () => {
    await stack.close();
    assertNoSecretsIn(stack.logs, [metricsToken]);
  });

  it.each([
    ['no token', {}],
    ['an API token', { authorization: TOKENS.lms }],
    ['a wrong token', { authorization: 'Bearer metrics-token-0123456789abcdeX' }],
  ])('answers 401 to %s', async (_label, headers) => {
    const res = await fetch(`${stack.url}/metrics`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ message: expect.stringMatching(/METRICS_TOKEN/) });
  });

  it('answers the metrics to the metrics token', async () => {
    const samples = await scrapeMetrics(stack.url, { authorization: `Bearer ${metricsToken}` });
    expect(sampleValue(samples, 'bbb_interface_http_requests_in_flight')).toBe(1);
  });
});
