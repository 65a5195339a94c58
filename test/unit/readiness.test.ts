import { describe, expect, it } from '@jest/globals';
import { createReadinessCheck } from '../../src/http/readiness.js';

describe('createReadinessCheck', () => {
  it('keeps answering when the observer throws, instead of sticking to a failed probe', async () => {
    let probes = 0;
    const readiness = createReadinessCheck({
      probe: async () => ((probes += 1), { version: '2.0', apiVersion: '2.0' }),
      timeoutMs: 1000,
      cacheMs: 0,
      onResult: () => {
        throw new Error('a metrics or log observer broke');
      },
    });
    await expect(readiness.check()).resolves.toMatchObject({ ready: true });
    await expect(readiness.check()).resolves.toMatchObject({ ready: true });
    expect(probes).toBe(2);
  });

  it('shares one probe among concurrent checks and probes again once it settled', async () => {
    let probes = 0;
    const readiness = createReadinessCheck({
      probe: async () => ((probes += 1), { version: '2.0' }),
      timeoutMs: 1000,
      cacheMs: 0,
    });
    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    expect(probes).toBe(1);
    await readiness.check();
    expect(probes).toBe(2);
  });
});
