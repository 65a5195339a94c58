import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { CreateMeetingMutation, JoinUrlQuery } from '../generated/graphql.js';
import { BullMqPolls } from '../../src/events/bullmq-polls.js';
import { newNonce } from '../../src/events/callback-token.js';
import { deriveAppSecret } from '../../src/events/signing.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CREATE, END, JOIN } from '../helpers/operations.js';
import { gql, openJoinLink, startStack, type Stack } from '../helpers/stack.js';
import { REDIS_URL } from '../ops/support/ops-helpers.js';
import { Receiver } from './support/receiver.js';

const SIGNING_KEY = 'recording-polls-redis-signing-key-0123456789';

/**
 * With REDIS_URL the recording polls are delayed BullMQ jobs: a replica that stops with a poll pending leaves it in Redis,
 * and the next replica runs it; the end signals of endMeeting and of BBB's callback make one job.
 */
describe('recording polls on Redis', () => {
  const prefix = `test-polls-${randomUUID()}`;
  let sim: Simulator;
  let lms: Receiver;
  let redis: Redis;
  let polls: Queue;
  let lmsUrl: string;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    lms = new Receiver(deriveAppSecret(SIGNING_KEY, 'lms', 1));
    lmsUrl = await lms.start();
    sim = await startSimulator({ recordingProcessingMs: 0, callbackRetryScheduleMs: [10, 10, 10, 10] });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    polls = new Queue('recording-polls', { connection: redis, prefix });
  });

  afterAll(async () => {
    for (const s of stacks) await s.close().catch(() => undefined);
    await sim.close();
    await lms.close();
    await polls.obliterate({ force: true });
    await polls.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const start = async () => {
    const env = {
      REDIS_URL,
      WEBHOOK_ENDPOINTS: `lms=${lmsUrl}/lms`,
      WEBHOOK_SIGNING_KEY: SIGNING_KEY,
      WEBHOOK_RETRY_SCHEDULE_MS: '10',
      // The first poll waits long enough for the first replica to stop before it.
      RECORDING_POLL_SCHEDULE_MS: '1500,20,20,20',
    };
    const s = await startStack({ simulator: sim, env, deps: { eventsKeyPrefix: prefix } });
    stacks.push(s);
    return s;
  };

  it("a poll pending when its replica stops is run by the next one: one recording.ready though BBB's callback was lost", async () => {
    // The simulator is the file's: only this test's callbacks count, whichever test ran before it.
    const firstCallback = sim.callbacks.length;
    const one = await start();
    const m = (await gql<CreateMeetingMutation>(one, CREATE, { input: { name: 'Polled', record: true } })).body.data!
      .createMeeting;
    const join = await gql<JoinUrlQuery>(one, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    sim.loseCallbacks('recording-ready');
    expect((await gql(one, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    // endMeeting and BBB's end callback both signalled the end: one poll job.
    await sim.callbacksIdle();
    await one.gateway.events!.meetings.pollsScheduled();
    expect(await polls.getJobCounts('delayed', 'waiting', 'active')).toEqual({ delayed: 1, waiting: 0, active: 0 });
    await one.close();
    stacks.splice(stacks.indexOf(one), 1);
    expect(lms.typesFor(m.meetingId)).not.toContain('recording.ready');

    const two = await start();
    await two.gateway.events!.meetings.idle();
    await lms.until(() => lms.typesFor(m.meetingId).includes('recording.ready'));
    expect(
      sim.callbacks
        .slice(firstCallback)
        .filter((c) => c.kind === 'recording-ready')
        .map((c) => c.status),
    ).not.toContain(204);
    expect(lms.typesFor(m.meetingId).sort()).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
    expect(lms.received.every((r) => r.error === undefined)).toBe(true);
  });

  it('a session polls once: an end signal after its polls finished (and their job was removed) starts none', async () => {
    const s = stacks[0] ?? (await start());
    const m = (await gql<CreateMeetingMutation>(s, CREATE, { input: { name: 'Polled once', record: true } })).body.data!
      .createMeeting;
    const join = await gql<JoinUrlQuery>(s, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    expect((await gql(s, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    await sim.callbacksIdle();
    await s.gateway.events!.meetings.pollsScheduled();
    await s.gateway.events!.meetings.idle();
    // The finished job is gone (its retention ran out, or an operator cleaned the queue); BBB's end URL is called again.
    await polls.clean(0, 1000, 'completed');
    const endedUrl = sim.received.find((r) => r.call === 'create' && r.params['meetingID'] === m.meetingId)!.params[
      'meetingEndedURL'
    ]!;
    expect((await fetch(endedUrl)).status).toBe(204);
    await s.gateway.events!.meetings.pollsScheduled();
    expect(await polls.getJobCounts('delayed', 'waiting', 'active')).toEqual({ delayed: 0, waiting: 0, active: 0 });
  });
});

describe('starting a session’s polls on Redis', () => {
  it('adds the job before the started mark: a crash between them leaves a job (the next start marks it), never a mark without a job', async () => {
    const prefix = `test-polls-${randomUUID()}`;
    const scheduler = new BullMqPolls({
      redisUrl: REDIS_URL,
      prefix,
      scheduleMs: [3_600_000],
      poll: async () => false,
    });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    const queue = new Queue('recording-polls', { connection: redis, prefix });
    try {
      // The replica dies as it writes the mark (its Redis connection fails right then).
      const marks = (scheduler as unknown as { marks: Redis }).marks;
      const set = marks.set.bind(marks);
      marks.set = (() => Promise.reject(new Error('replica crashed'))) as unknown as typeof marks.set;
      const session = { app: 'lms', meetingId: 'room-crash', nonce: newNonce() };
      await expect(scheduler.start(session)).rejects.toThrow('replica crashed');
      expect(await queue.getJobCounts('delayed')).toEqual({ delayed: 1 });
      expect(await redis.keys(`${prefix}:recording-polls-started:*`)).toEqual([]);
      // The next end signal (BBB's callback, another replica): the same job (its id dedupes), now marked.
      marks.set = set;
      await scheduler.start(session);
      expect(await queue.getJobCounts('delayed')).toEqual({ delayed: 1 });
      expect(await redis.keys(`${prefix}:recording-polls-started:*`)).toHaveLength(1);
      await scheduler.obliterate();
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      await scheduler.obliterate();
      await scheduler.close();
      await queue.close();
      await redis.quit();
    }
  });
});
