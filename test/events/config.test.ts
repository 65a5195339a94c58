import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { configProblems, fakeFiles } from '../helpers/config.js';

const KEY = 'k'.repeat(32);
const readFile = fakeFiles({
  '/run/secrets/endpoints':
    'lms=https://lms.example.org/hooks/bbb\nother=https://other.example.org/h|recording.ready\n',
  '/run/secrets/whkey': `${KEY}\n`,
});
const problems = (env: Record<string, string>) => configProblems(env, readFile);
const PROD = {
  NODE_ENV: 'production',
  BBB_URL: 'https://bbb.example.org/bigbluebutton/',
  BBB_SECRET: 'bbb-shared-secret',
  API_TOKENS: 'lms:lms-token-0000000001,other:other-token-000000001',
};

describe('webhook configuration', () => {
  it('is off by default, with the documented schedules', () => {
    const c = loadConfig({});
    expect(c.webhooks.endpoints).toEqual([]);
    expect(c.webhooks.signingKey).toBeUndefined();
    expect(c.webhooks.keyVersions).toEqual([1]);
    expect(c.webhooks.retryScheduleMs).toEqual([
      5000, 300000, 1800000, 7200000, 18000000, 36000000, 50400000, 72000000, 86400000,
    ]);
    expect(c.webhooks.retryScheduleMs.reduce((a, b) => a + b, 0) / 3_600_000).toBeCloseTo(75.1, 0);
    expect(c.webhooks.recordingPollScheduleMs[0]).toBe(60000);
    expect(c.publicUrl).toBeUndefined();
  });

  it('reads endpoints (inline or from a file), type filters, key versions and schedules', () => {
    const c = loadConfig(
      {
        ...PROD,
        REDIS_URL: 'redis://127.0.0.1:6379',
        PUBLIC_URL: 'https://gw.example.org',
        WEBHOOK_ENDPOINTS_FILE: '/run/secrets/endpoints',
        WEBHOOK_SIGNING_KEY_FILE: '/run/secrets/whkey',
        WEBHOOK_SIGNING_KEY_VERSIONS: '2, 1',
        WEBHOOK_RETRY_SCHEDULE_MS: '5,10,20',
        RECORDING_POLL_SCHEDULE_MS: '1,2',
        EVENTS_KEY_PREFIX: 'staging:events',
      },
      readFile,
    );
    expect(c.webhooks).toEqual({
      endpoints: [
        { app: 'lms', url: 'https://lms.example.org/hooks/bbb', types: [] },
        { app: 'other', url: 'https://other.example.org/h', types: ['recording.ready'] },
      ],
      signingKey: KEY,
      previousSigningKeys: [],
      analyticsApps: [],
      keyVersions: [2, 1],
      allowHttp: false,
      retryScheduleMs: [5, 10, 20],
      recordingPollScheduleMs: [1, 2],
      redisKeyPrefix: 'staging:events',
    });
    expect(c.publicUrl).toBe('https://gw.example.org');
  });

  it('in production with endpoints but no REDIS_URL, PUBLIC_URL or key, refuses to start listing every problem', () => {
    const list = problems({ ...PROD, WEBHOOK_ENDPOINTS: 'lms=https://lms.example.org/h' });
    expect(list).toEqual([
      expect.stringMatching(/^WEBHOOK_SIGNING_KEY: required with WEBHOOK_ENDPOINTS/),
      expect.stringMatching(/^REDIS_URL: required in production with WEBHOOK_ENDPOINTS/),
      expect.stringMatching(/^PUBLIC_URL: required in production with WEBHOOK_ENDPOINTS/),
    ]);
  });

  it('wants https endpoints in production unless WEBHOOK_ALLOW_HTTP; http is fine in development', () => {
    const env = {
      ...PROD,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_URL: 'http://gw.internal:4000',
      WEBHOOK_SIGNING_KEY: KEY,
      WEBHOOK_ENDPOINTS: 'lms=http://lms.internal/h',
    };
    // PUBLIC_URL carries the callback tokens: the same rule, the same switch.
    expect(problems(env)).toEqual([
      expect.stringMatching(/^WEBHOOK_ENDPOINTS: entry 1 \(lms\): must be https in production/),
      expect.stringMatching(/^PUBLIC_URL: must be https in production/),
    ]);
    expect(loadConfig({ ...env, WEBHOOK_ALLOW_HTTP: 'true' }).webhooks.allowHttp).toBe(true);
    expect(loadConfig({ ...env, WEBHOOK_ALLOW_HTTP: 'true' }).publicUrl).toBe('http://gw.internal:4000');
    expect(
      loadConfig({ WEBHOOK_SIGNING_KEY: KEY, WEBHOOK_ENDPOINTS: 'lms=http://127.0.0.1:9/h' }).webhooks.endpoints,
    ).toHaveLength(1);
  });

  it('names every bad entry without echoing URLs or keys', () => {
    const list = problems({
      ...PROD,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_URL: 'https://gw.example.org',
      WEBHOOK_SIGNING_KEY: 'short-key-secret',
      WEBHOOK_SIGNING_KEY_VERSIONS: 'two',
      WEBHOOK_RETRY_SCHEDULE_MS: '5,-1',
      RECORDING_POLL_SCHEDULE_MS: '',
      WEBHOOK_ENDPOINTS:
        'lms=ftp://x.example.org/secret-path,noequals,bad name=https://a.example.org,lms=https://b.example.org,ghost=https://c.example.org,other=https://u:pw@d.example.org|meeting.started',
    });
    const text = list.join('\n');
    for (const v of [
      'entry 1 (lms): must be an https URL',
      'entry 2 is not of the form',
      'entry 3: the app name',
      'entry 4: app "lms" has a second endpoint',
      '"ghost" is not a token name',
      'entry 6 (other): must not carry a user name',
      'unknown event type "meeting.started"',
      'WEBHOOK_SIGNING_KEY: must be at least 32 bytes',
      'WEBHOOK_SIGNING_KEY_VERSIONS',
      'WEBHOOK_RETRY_SCHEDULE_MS',
    ]) {
      expect(text).toContain(v);
    }
    expect(text).not.toContain('secret-path');
    expect(text).not.toContain('short-key-secret');
    expect(text).not.toContain('pw@');
  });

  it('refuses a PUBLIC_URL with a query, a fragment or credentials (a path prefix is fine)', () => {
    for (const [url, problem] of [
      ['https://gw.example.org/?x=1', /^PUBLIC_URL: must not have a query/],
      ['https://gw.example.org/#top', /^PUBLIC_URL: must not have a query/],
      ['https://gw.example.org/?', /^PUBLIC_URL: must not have a query/],
      ['https://user:pw@gw.example.org', /^PUBLIC_URL: must not carry a user name/],
    ] as const)
      expect(problems({ PUBLIC_URL: url })).toEqual([expect.stringMatching(problem)]);
    expect(loadConfig({ PUBLIC_URL: 'https://example.org/gateway' }).publicUrl).toBe('https://example.org/gateway');
  });

  it('reads WEBHOOK_ANALYTICS_APPS (token names) and WEBHOOK_SIGNING_KEY_PREVIOUS (keys that only verify)', () => {
    const old = 'o'.repeat(32);
    const c = loadConfig({
      API_TOKENS: 'lms:lms-token-0000000001',
      WEBHOOK_SIGNING_KEY: KEY,
      WEBHOOK_SIGNING_KEY_PREVIOUS: `${old}, ${'p'.repeat(40)}`,
      WEBHOOK_ANALYTICS_APPS: 'lms',
    });
    expect(c.webhooks.analyticsApps).toEqual(['lms']);
    expect(c.webhooks.previousSigningKeys).toEqual([old, 'p'.repeat(40)]);
    const text = problems({
      API_TOKENS: 'lms:lms-token-0000000001',
      WEBHOOK_SIGNING_KEY: KEY,
      WEBHOOK_SIGNING_KEY_PREVIOUS: `short-old-key,${KEY}`,
      WEBHOOK_ANALYTICS_APPS: 'lms,ghost',
    }).join('\n');
    expect(text).toContain('WEBHOOK_SIGNING_KEY_PREVIOUS: key 1 must be at least 32 bytes');
    expect(text).toContain('WEBHOOK_SIGNING_KEY_PREVIOUS: key 2 is the current WEBHOOK_SIGNING_KEY');
    expect(text).toContain('WEBHOOK_ANALYTICS_APPS: "ghost" is not a token name');
    expect(text).not.toContain('short-old-key');
    expect(problems({ WEBHOOK_ANALYTICS_APPS: 'lms' })).toEqual([
      expect.stringMatching(/^WEBHOOK_ANALYTICS_APPS: needs WEBHOOK_SIGNING_KEY/),
    ]);
  });
});

describe('event log and subscription configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      logMaxEvents: 10_000,
      logMaxAgeMs: 7 * 86_400_000,
      perConnection: 10,
      connectionsPerApp: 1000,
      connectionsPerAccessToken: 5,
      maxMessageBytes: 65_536,
      idleTimeoutMs: 300_000,
      keepAliveMs: 12_000,
    });
  });

  it('WEBHOOK_SIGNING_KEY alone (no endpoints) switches events on, so production wants PUBLIC_URL', () => {
    expect(problems({ ...PROD, WEBHOOK_SIGNING_KEY: KEY })).toEqual([
      expect.stringMatching(/^PUBLIC_URL: required in production with WEBHOOK_SIGNING_KEY/),
    ]);
    expect(
      loadConfig({ ...PROD, WEBHOOK_SIGNING_KEY: KEY, PUBLIC_URL: 'https://gw.example.org' }).webhooks.endpoints,
    ).toEqual([]);
  });

  it('names a limit out of range', () => {
    expect(
      problems({
        EVENT_LOG_MAX_EVENTS: '0',
        SUBSCRIPTION_MAX_MESSAGE_BYTES: '10',
        EVENT_LOG_MAX_AGE_S: 'week',
        SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN: '0',
      }),
    ).toEqual(
      expect.arrayContaining([
        'EVENT_LOG_MAX_EVENTS: must be at least 1',
        'SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN: must be at least 1',
        'SUBSCRIPTION_MAX_MESSAGE_BYTES: must be at least 1024',
        'EVENT_LOG_MAX_AGE_S: must be a whole number',
      ]),
    );
  });
});
