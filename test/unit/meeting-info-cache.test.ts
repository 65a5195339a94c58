import { describe, expect, it } from '@jest/globals';
import type { MeetingInfo } from '../../src/bbb/types.js';
import { MeetingInfoCache } from '../../src/meetings/meeting-info-cache.js';

function info(meetingID: string, createTime: string): MeetingInfo {
  return { meetingID, createTime, metadata: {} } as MeetingInfo;
}

/** A fake getMeetingInfo whose answers the test releases by hand, counting calls. */
function controlledFetch(createTimeOf: (id: string) => string) {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  const fetch = (id: string) => {
    calls.push(id);
    return new Promise<MeetingInfo>((resolve) => waiting.push(() => resolve(info(id, createTimeOf(id)))));
  };
  return { fetch, calls, release: () => waiting.splice(0).forEach((r) => r()) };
}

describe('MeetingInfoCache', () => {
  it('shares one BBB call among concurrent requests for one meeting', async () => {
    const f = controlledFetch(() => '1');
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 1000, maxEntries: 10 });
    const all = Promise.all(Array.from({ length: 1000 }, () => cache.get('m', '1')));
    f.release();
    const results = await all;
    expect(f.calls).toEqual(['m']);
    expect(new Set(results).size).toBe(1);
  });

  it('reuses an answer within the TTL and fetches again after it', async () => {
    let now = 0;
    const f = controlledFetch(() => '1');
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 100, maxEntries: 10, now: () => now });
    const first = cache.get('m');
    f.release();
    await first;
    now = 99;
    await cache.get('m');
    expect(f.calls).toHaveLength(1);
    now = 100;
    const again = cache.get('m');
    f.release();
    await again;
    expect(f.calls).toHaveLength(2);
  });

  it('never serves an entry whose createTime differs from the expected one: it re-fetches', async () => {
    let createTime = 'old';
    const f = controlledFetch(() => createTime);
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 60_000, maxEntries: 10 });
    const a = cache.get('m', 'old');
    f.release();
    expect((await a).createTime).toBe('old');
    // The meeting was ended and re-created: a link with the new createTime must not see the old entry.
    createTime = 'new';
    const b = cache.get('m', 'new');
    f.release();
    expect((await b).createTime).toBe('new');
    expect(f.calls).toHaveLength(2);
    // And the re-fetched entry now serves the new createTime from cache.
    expect((await cache.get('m', 'new')).createTime).toBe('new');
    expect(f.calls).toHaveLength(2);
  });

  it('returns the fresh answer even when it still differs, so the caller can decide (CONFLICT)', async () => {
    const f = controlledFetch(() => 'current');
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 60_000, maxEntries: 10 });
    const p = cache.get('m', 'stale-link');
    f.release();
    expect((await p).createTime).toBe('current');
  });

  it('does not cache failures', async () => {
    let fail = true;
    let calls = 0;
    const cache = new MeetingInfoCache(
      async (id) => {
        calls += 1;
        if (fail) throw new Error('down');
        return info(id, '1');
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    await expect(cache.get('m')).rejects.toThrow('down');
    fail = false;
    await expect(cache.get('m')).resolves.toMatchObject({ createTime: '1' });
    expect(calls).toBe(2);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new MeetingInfoCache(async (id) => info(id, '1'), { ttlMs: 60_000, maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) await cache.get(id);
    await cache.get('a');
    await cache.get('d');
    expect(cache.size).toBe(3);
    let fetched = '';
    const probe = new MeetingInfoCache(async (id) => ((fetched += id), info(id, '1')), {
      ttlMs: 60_000,
      maxEntries: 3,
    });
    for (const id of ['a', 'b', 'c', 'a', 'd', 'a', 'b']) await probe.get(id);
    // b was the least recently used when d arrived, so only b is fetched twice.
    expect(fetched).toBe('abcdb');
  });

  it('answers a caller whose createTime is older than the cached one from the cache, for the caller to refuse', async () => {
    const f = controlledFetch(() => '2000');
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 60_000, maxEntries: 10 });
    const first = cache.get('m', '2000');
    f.release();
    await first;
    // A link for the meeting before it was re-created: BBB would only say again what the entry says.
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.get('m', '1000')));
    expect(results.every((r) => r.createTime === '2000')).toBe(true);
    expect(f.calls).toHaveLength(1);
  });

  it('fetches once more for callers whose shared fetch left before the meeting was re-created: two calls for a whole burst', async () => {
    // BBB answers with the createTime the meeting had when the request reached it.
    let createTime = '1000';
    const calls: string[] = [];
    const waiting: (() => void)[] = [];
    const fetch = (id: string) => {
      calls.push(id);
      const answer = info(id, createTime);
      return new Promise<MeetingInfo>((resolve) => waiting.push(() => resolve(answer)));
    };
    const release = () => waiting.splice(0).forEach((r) => r());
    const cache = new MeetingInfoCache(fetch, { ttlMs: 60_000, maxEntries: 10 });
    const early = cache.get('m');
    // The meeting is ended and re-created while that call is on its way; a burst of links with the new createTime arrives.
    createTime = '2000';
    const burst = Array.from({ length: 500 }, () => cache.get('m', '2000'));
    release();
    expect((await early).createTime).toBe('1000');
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(2);
    release();
    const results = await Promise.all(burst);
    expect(results.every((r) => r.createTime === '2000')).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('refreshes a busy entry in the background during its last refreshAheadMs, and the caller does not wait', async () => {
    let now = 0;
    let createTime = '1';
    const f = controlledFetch(() => createTime);
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 100, maxEntries: 10, refreshAheadMs: 25, now: () => now });
    const first = cache.get('m');
    f.release();
    await first;
    now = 74;
    await cache.get('m');
    expect(f.calls).toHaveLength(1);
    now = 80;
    // Answered from the entry at once although BBB has not answered the refresh yet.
    expect((await cache.get('m')).createTime).toBe('1');
    expect((await cache.get('m')).createTime).toBe('1');
    expect(f.calls).toHaveLength(2);
    createTime = '2';
    f.release();
    await new Promise((r) => setImmediate(r));
    // The refreshed entry lives for a full TTL from when the refresh left (80 + 100).
    now = 150;
    expect((await cache.get('m')).createTime).toBe('2');
    expect(f.calls).toHaveLength(2);
  });

  it('does not store an answer that was on its way when the meeting was invalidated', async () => {
    const f = controlledFetch(() => '1');
    const cache = new MeetingInfoCache(f.fetch, { ttlMs: 60_000, maxEntries: 10 });
    const before = cache.get('m');
    cache.invalidate('m');
    f.release();
    await before;
    expect(cache.size).toBe(0);
  });

  it('with ttlMs 0 calls BBB for every request (the naive behaviour, for comparison)', async () => {
    let calls = 0;
    const cache = new MeetingInfoCache(async (id) => ((calls += 1), info(id, '1')), { ttlMs: 0, maxEntries: 3 });
    await Promise.all([cache.get('m'), cache.get('m'), cache.get('m')]);
    expect(calls).toBe(3);
  });
});
