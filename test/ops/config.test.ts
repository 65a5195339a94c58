import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { configProblems, fakeFiles } from '../helpers/config.js';

const readFile = fakeFiles({
  '/run/secrets/metrics': 'metrics-token-from-a-file-01\n',
  '/run/secrets/short': 'short\n',
});
const problems = (env: Record<string, string>) => configProblems(env, readFile);

describe('operations settings in loadConfig', () => {
  it('has documented defaults for readiness, metrics and the rate-limit store', () => {
    const c = loadConfig({}, readFile);
    expect(c.readiness).toEqual({ timeoutMs: 2000, cacheMs: 5000 });
    expect(c.metrics).toEqual({ token: undefined });
    expect(c.rateLimit).toEqual({
      points: 6000,
      durationSeconds: 60,
      redisUrl: undefined,
      redisKeyPrefix: 'bbb-interface:rate-limit',
    });
    expect(Object.isFrozen(c.readiness)).toBe(true);
  });

  it('reads the metrics token from a file', () => {
    expect(loadConfig({ METRICS_TOKEN_FILE: '/run/secrets/metrics' }, readFile).metrics.token).toBe(
      'metrics-token-from-a-file-01',
    );
  });

  it('reports every bad operations setting at once, by name, without echoing the token', () => {
    const list = problems({
      METRICS_TOKEN: 'too-short',
      READINESS_TIMEOUT_MS: '5',
      READINESS_CACHE_MS: '-1',
      REDIS_URL: 'http://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'has spaces',
      RATE_LIMIT_DURATION_S: '0',
    });
    const text = list.join('\n');
    for (const v of [
      'METRICS_TOKEN',
      'READINESS_TIMEOUT_MS',
      'READINESS_CACHE_MS',
      'REDIS_URL',
      'REDIS_KEY_PREFIX',
      'RATE_LIMIT_DURATION_S',
    ])
      expect(text).toContain(`${v}:`);
    expect(text).not.toContain('too-short');
  });

  it('refuses a metrics token given twice, and a short one from a file', () => {
    expect(problems({ METRICS_TOKEN: 'metrics-token-0123456789', METRICS_TOKEN_FILE: '/run/secrets/metrics' })).toEqual(
      [expect.stringMatching(/^METRICS_TOKEN and METRICS_TOKEN_FILE: set one or the other/)],
    );
    expect(problems({ METRICS_TOKEN_FILE: '/run/secrets/short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN_FILE: .*at least 16/),
    ]);
  });
});
