import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { MemoryEventLog, RedisEventLog, type EventLog } from '../../src/events/event-log.js';
import { openEventStream, readEvents, UnknownEventError } from '../../src/events/event-stream.js';
import type { GatewayEvent } from '../../src/events/types.js';
import { deleteKeys, redisClient, REDIS_URL } from '../ops/support/ops-helpers.js';

const event = (id: string, app = 'lms', meetingId = 'm1'): GatewayEvent => ({
  id,
  app,
  type: 'meeting.created',
  timestamp: new Date().toISOString(),
  data: { meetingId },
});

async function take(stream: AsyncIterator<GatewayEvent>, n: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < n) ids.push((await stream.next()).value!.id);
  return ids;
}

describe('RedisEventLog (a Redis Stream per app, on the real Redis)', () => {
  const prefix = `test-event-log-${randomUUID()}`;
  const logs: RedisEventLog[] = [];
  const open = (maxEvents = 1000, maxAgeMs = 3_600_000) => {
    const log = new RedisEventLog({
      redis: new Redis(REDIS_URL, { maxRetriesPerRequest: 2 }),
      prefix,
      retention: { maxEvents, maxAgeMs },
    });
    logs.push(log);
    return log;
  };

  afterAll(async () => {
    await Promise.all(logs.map((l) => l.close()));
    const redis = redisClient();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('keeps an event id once, and each app in a stream of its own', async () => {
    const log = open();
    await log.append(event('e1'));
    await log.append(event('e1'));
    await log.append(event('e1', 'portal'));
    expect((await log.read('lms', undefined, 10)).map((e) => e.event.id)).toEqual(['e1']);
    expect((await log.read('portal', undefined, 10)).map((e) => e.event.app)).toEqual(['portal']);
    expect(await log.positionOf('lms', 'nope')).toBeUndefined();
    const redis = redisClient();
    expect(await redis.xlen(`${prefix}:log:{lms}`)).toBe(1);
    await redis.quit();
  });

  it('trims to EVENT_LOG_MAX_EVENTS; an id trimmed by count is unknown (resuming after it would skip t2)', async () => {
    const log = open(3);
    for (const id of ['t1', 't2', 't3', 't4', 't5']) await log.append(event(id, 'trim'));
    expect((await log.read('trim', undefined, 10)).map((e) => e.event.id)).toEqual(['t3', 't4', 't5']);
    expect(await log.positionOf('trim', 't1')).toBeUndefined();
    await expect(readEvents(log, 'trim', { first: 10, after: 't1' })).rejects.toThrow(UnknownEventError);
    await expect(openEventStream(log, 'trim', { after: 't2' })).rejects.toThrow(UnknownEventError);
    const page = await readEvents(log, 'trim', { first: 10, after: 't3' });
    expect(page.events.map((e) => e.id)).toEqual(['t4', 't5']);
  });

  it('the seam between replay and live: events appended while a stream opens arrive once each, in order', async () => {
    const writer = open();
    const reader = open();
    const app = `seam-${randomUUID()}`;
    await writer.append(event('s0', app));
    for (let i = 1; i <= 50; i++) await writer.append(event(`s${i}`, app));
    // 50 more while the stream opens and replays.
    const appending = (async () => {
      for (let i = 51; i <= 100; i++) await writer.append(event(`s${i}`, app));
    })();
    const stream = await openEventStream(reader, app, { after: 's0' });
    const ids = await take(stream, 100);
    await appending;
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => `s${i + 1}`));
    await writer.append(event('s101', app));
    expect(await take(stream, 1)).toEqual(['s101']);
    await stream.return!();
  });
});

describe('MemoryEventLog (without REDIS_URL)', () => {
  it('drops events older than EVENT_LOG_MAX_AGE_S; their ids are then unknown', async () => {
    let now = 1_000_000;
    const log: EventLog = new MemoryEventLog({ maxEvents: 100, maxAgeMs: 60_000 }, () => now);
    await log.append(event('old'));
    now += 61_000;
    await log.append(event('new'));
    expect((await log.read('lms', undefined, 10)).map((e) => e.event.id)).toEqual(['new']);
    expect(await log.positionOf('lms', 'old')).toBeUndefined();
    await expect(readEvents(log, 'lms', { first: 10, after: 'old' })).rejects.toThrow('unknown event id');
  });

  it('filters a stream by meeting and type, and return() ends a waiting next()', async () => {
    const log = new MemoryEventLog({ maxEvents: 100, maxAgeMs: 60_000 });
    const stream = await openEventStream(log, 'lms', { meetingId: 'm2', types: ['meeting.created'] });
    const waiting = stream.next();
    await log.append(event('a', 'lms', 'm1'));
    await log.append(event('b', 'lms', 'm2'));
    expect((await waiting).value?.id).toBe('b');
    const pending = stream.next();
    await stream.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
