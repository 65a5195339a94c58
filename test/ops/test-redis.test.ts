import { describe, expect, it } from '@jest/globals';
import { answersPing, ensureTestRedis } from '../support/global-setup.js';
import { REDIS_URL, unusedPort } from './support/ops-helpers.js';

/** The suite's own Redis provisioning (Jest global setup): never a hang on a machine without Redis on 6379. */
describe('the test Redis', () => {
  it('is what the Redis-using tests connect to: global setup hands its URL over as TEST_REDIS_URL', async () => {
    expect(process.env.TEST_REDIS_URL).toBeDefined();
    expect(REDIS_URL).toBe(process.env.TEST_REDIS_URL);
    expect(await answersPing(REDIS_URL)).toBe(true);
  });

  it('uses a Redis that answers at the probed address, and starts nothing', async () => {
    const redis = await ensureTestRedis({ probeUrl: REDIS_URL });
    expect(redis).toMatchObject({ url: REDIS_URL, started: false });
    await redis.stop();
    expect(await answersPing(REDIS_URL)).toBe(true);
  });

  it('starts its own redis-server on a free port when nothing answers at the probed address, and stops it', async () => {
    const closed = `redis://127.0.0.1:${await unusedPort()}`;
    expect(await answersPing(closed)).toBe(false);
    const redis = await ensureTestRedis({ probeUrl: closed });
    try {
      expect(redis.started).toBe(true);
      expect(redis.url).not.toBe(closed);
      expect(await answersPing(redis.url)).toBe(true);
    } finally {
      await redis.stop();
    }
    expect(await answersPing(redis.url)).toBe(false);
  });

  it('fails at once, saying what to install, when there is no Redis and no redis-server', async () => {
    const closed = `redis://127.0.0.1:${await unusedPort()}`;
    await expect(ensureTestRedis({ probeUrl: closed, redisServer: '/nonexistent/redis-server' })).rejects.toThrow(
      /redis-server` is not installed.*apt-get install redis-server/,
    );
  });
});
