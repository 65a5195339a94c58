import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { CreateMeetingMutation, JoinUrlQuery } from '../generated/graphql.js';
import { deriveAppSecret } from '../../src/events/signing.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CREATE, END, JOIN } from '../helpers/operations.js';
import { gql, openJoinLink, startStack, type Stack } from '../helpers/stack.js';
import { REDIS_URL } from '../ops/support/ops-helpers.js';
import { Receiver } from './support/receiver.js';

const SIGNING_KEY = 'replicas-e2e-events-signing-key-0123456789';

/**
 * Two gateway replicas on the real Redis (BullMQ) in front of one simulator: the meeting is created through one, ended
 * through the other; BBB calls back the first, the second emits meeting.ended and polls for the recording. Each event
 * reaches the app once (the event ID is the BullMQ job ID).
 */
describe('meeting events with two replicas on one Redis', () => {
  const prefix = `test-events-e2e-${randomUUID()}`;
  let sim: Simulator;
  let one: Stack;
  let two: Stack;
  let lms: Receiver;

  beforeAll(async () => {
    lms = new Receiver(deriveAppSecret(SIGNING_KEY, 'lms', 1));
    const lmsUrl = await lms.start();
    sim = await startSimulator({ recordingProcessingMs: 40, callbackRetryScheduleMs: [10, 10, 10, 10] });
    const env = {
      REDIS_URL,
      WEBHOOK_ENDPOINTS: `lms=${lmsUrl}/lms`,
      WEBHOOK_SIGNING_KEY: SIGNING_KEY,
      WEBHOOK_RETRY_SCHEDULE_MS: '10',
      RECORDING_POLL_SCHEDULE_MS: '20,20,20,20,20,20,20,20,20,20',
    };
    one = await startStack({ simulator: sim, env, deps: { eventsKeyPrefix: prefix } });
    two = await startStack({ simulator: sim, env, deps: { eventsKeyPrefix: prefix } });
  });

  afterAll(async () => {
    await one.close();
    await two.close();
    await sim.close();
    await lms.close();
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    const queue = new Queue('webhooks', { connection, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    const states = await connection.keys(`${prefix}:*`);
    if (states.length > 0) await connection.del(...states);
    await connection.quit();
  });

  it('create on one, end on the other: one meeting.created, one meeting.ended, one recording.ready', async () => {
    const created = await gql<CreateMeetingMutation>(one, CREATE, { input: { name: 'Replicated', record: true } });
    expect(created.body.errors).toBeUndefined();
    const m = created.body.data!.createMeeting;
    const join = await gql<JoinUrlQuery>(two, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, name: 'Ada', role: 'MODERATOR' },
    });
    expect((await openJoinLink(join.body.data!.joinUrl)).status).toBeLessThan(400);
    expect((await gql(two, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    // BBB calls back the replica whose URL was registered (one); two emitted meeting.ended itself and polls for the recording.
    await sim.callbacksIdle();
    await one.gateway.events!.meetings.idle();
    await two.gateway.events!.meetings.idle();
    expect(sim.callbacks.filter((c) => c.url.startsWith(one.url)).map((c) => [c.kind, c.status])).toEqual([
      ['ended', 204],
      ['recording-ready', 204],
    ]);
    await lms.until(() => lms.typesFor(m.meetingId).length >= 3);
    // A later event through the other replica: once it is in, a duplicate queued before it would have had its turn.
    const marker = (await gql<CreateMeetingMutation>(two, CREATE, { input: { name: 'Marker' } })).body.data!
      .createMeeting;
    await lms.until(() => lms.typesFor(marker.meetingId).length > 0);
    expect(lms.typesFor(m.meetingId).sort()).toEqual(['meeting.created', 'meeting.ended', 'recording.ready']);
    expect(lms.received.map((r) => r.error)).toEqual(lms.received.map(() => undefined));
    expect(new Set(lms.received.map((r) => r.headers['webhook-id'])).size).toBe(lms.received.length);
  });
});
