import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { BbbClient } from '../bbb/types.js';
import type { Config } from '../config.js';
import { observedBbbOfRequest } from '../observability/bbb-ids.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { CALLBACK_ROUTES, registerCallbackRoutes } from './callback-routes.js';
import { callbackKeyFrom } from './callback-token.js';
import { MemoryEventLog, RedisEventLog, type EventLog } from './event-log.js';
import {
  Deliverer,
  InProcessQueue,
  MemoryEndpointStates,
  type AttemptReport,
  type AttemptResult,
  type DeliveryQueue,
  type EndpointStates,
} from './delivery.js';
import { sessionHasEnded } from './end-confirmation.js';
import { MeetingEvents } from './meeting-events.js';
import { WebhookSecrets } from './signing.js';
import { TEST_EVENT_TYPE, type GatewayEvent } from './types.js';
import type { WorkerProblem } from './worker-problems.js';

export { CALLBACK_ROUTES };

/** Where the queue and the endpoint states live in Redis (docs/webhooks.md: `bbb-interface:events:…`). */
const DEFAULT_EVENTS_KEY_PREFIX = 'bbb-interface:events';

export interface Events {
  readonly queue: DeliveryQueue;
  /** Every event of every app, replayable (Query.meetingEvents, Subscription.meetingEvents): a Redis Stream per app, or memory. */
  readonly log: EventLog;
  readonly secrets: WebhookSecrets;
  /** The key the callback URLs' tokens are signed with (createMeeting mints them through `meetings`). */
  readonly tokenKey: Buffer;
  /** The events the gateway emits itself (create, end, recording polls); createMeeting registers callbacks through it. */
  readonly meetings: MeetingEvents;
  /** The app's endpoint (url, types) and current secret, or undefined when it has none. */
  endpoint(app: string): { url: string; types: readonly string[]; secret: string } | undefined;
  /** One immediate, signed `webhook.test` attempt to the app's endpoint (not queued, not retried); undefined without one. */
  sendTest(app: string): Promise<(AttemptResult & { eventId: string }) | undefined>;
  close(): Promise<void>;
}

async function redisModules() {
  const [{ Redis }, { BullMqQueue, RedisEndpointStates }, { BullMqPolls }] = await Promise.all([
    import('ioredis'),
    import('./bullmq-queue.js'),
    import('./bullmq-polls.js'),
  ]);
  return { Redis, BullMqQueue, RedisEndpointStates, BullMqPolls };
}

/**
 * Meeting events, when WEBHOOK_SIGNING_KEY is set (it signs the callback URLs): the callback routes BBB calls, the event
 * log the subscriptions read, and for the apps in WEBHOOK_ENDPOINTS the delivery queue (BullMQ when REDIS_URL is set, else
 * in-process). `undefined` without the key: nothing is registered.
 */
export async function createEvents(
  app: FastifyInstance,
  config: Config,
  log: FastifyBaseLogger,
  metrics: GatewayMetrics,
  bbb: BbbClient,
  keyPrefix = DEFAULT_EVENTS_KEY_PREFIX,
): Promise<Events | undefined> {
  const wh = config.webhooks;
  if (wh.signingKey === undefined) return undefined;
  const secrets = new WebhookSecrets(wh.signingKey, wh.keyVersions);
  const redisUrl = config.rateLimit.redisUrl;
  const prefix = keyPrefix;
  // BullMQ and ioredis take about 29 MB of RSS once loaded: only a gateway with REDIS_URL loads them.
  const shared = redisUrl !== undefined ? await redisModules() : undefined;
  const statesRedis =
    redisUrl !== undefined && shared ? new shared.Redis(redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const states: EndpointStates =
    statesRedis && shared ? new shared.RedisEndpointStates(statesRedis, prefix) : new MemoryEndpointStates();
  const deliverer = new Deliverer({ endpoints: wh.endpoints, secrets, states });
  const onAttempt = (r: AttemptReport) => {
    metrics.webhookDeliveries.inc({ app: r.app, type: r.type, outcome: r.outcome });
    if (r.latencyMs !== undefined)
      metrics.webhookDuration.observe({ app: r.app, outcome: r.outcome }, r.latencyMs / 1000);
    const fields = {
      eventId: r.eventId,
      app: r.app,
      type: r.type,
      attempt: r.attempt,
      outcome: r.outcome,
      status: r.status,
      error: r.error,
      latencyMs: r.latencyMs,
      nextDelayMs: r.nextDelayMs,
    };
    if (r.outcome === 'gone')
      log.warn(
        fields,
        statesRedis
          ? `webhook endpoint answered 410 Gone: deliveries to this URL are stopped until the operator enables it (delete ${prefix}:disabled:${r.app}:<url hash>) or configures another URL`
          : 'webhook endpoint answered 410 Gone: deliveries to this URL are stopped until a restart or another URL in WEBHOOK_ENDPOINTS',
      );
    else if (r.outcome === 'failed')
      log.warn(
        fields,
        r.nextDelayMs === undefined ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
      );
    else if (r.outcome === 'disabled')
      log.warn(
        fields,
        'webhook dropped: its endpoint is disabled (it answered 410 Gone) until the operator enables it',
      );
    else log.info(fields, `webhook ${r.outcome}`);
  };
  const onWorkerProblem = (p: WorkerProblem) => {
    metrics.eventsWorkerProblems.inc({ queue: p.queue, kind: p.kind });
    log.warn(
      { queue: p.queue, kind: p.kind, jobId: p.jobId, reason: p.reason },
      p.kind === 'error'
        ? 'events worker: Redis error (deliveries and polls wait until Redis is back)'
        : p.kind === 'stalled'
          ? 'events worker: a job stalled and is taken over'
          : 'events worker: a job failed unexpectedly',
    );
  };
  const opts = { deliverer, retryScheduleMs: wh.retryScheduleMs, onAttempt, onWorkerProblem };
  // Without endpoints nothing is ever queued: the in-process queue (empty) spares BullMQ's connections.
  const webhooks = wh.endpoints.length > 0;
  const queue: DeliveryQueue =
    redisUrl !== undefined && webhooks && shared
      ? new shared.BullMqQueue({ ...opts, redisUrl, prefix })
      : new InProcessQueue(opts);
  if (webhooks) metrics.watchWebhookQueueDepth(() => queue.depth());
  const bbbOfRequest = observedBbbOfRequest(bbb);
  const retention = { maxEvents: config.subscriptions.logMaxEvents, maxAgeMs: config.subscriptions.logMaxAgeMs };
  const eventLog: EventLog =
    redisUrl !== undefined && shared
      ? new RedisEventLog({
          redis: new shared.Redis(redisUrl, { maxRetriesPerRequest: 2 }),
          prefix,
          retention,
          onRedisError: eventLogErrorReporter(log, metrics),
        })
      : new MemoryEventLog(retention);
  // Into the log first: an event the log could not take fails the callback (BBB retries it) before any webhook is queued.
  const emit = async (e: GatewayEvent) => {
    await eventLog.append(e);
    await queue.enqueue(e);
  };
  const tokenKey = callbackKeyFrom(wh.signingKey);
  // A rotated-out key still verifies the tokens live meetings carry (WEBHOOK_SIGNING_KEY_PREVIOUS); new ones use the current.
  const tokenKeys = [tokenKey, ...wh.previousSigningKeys.map(callbackKeyFrom)];
  // With Redis the recording polls are delayed jobs (they survive restarts; one replica runs each); the worker starts below,
  // once `meetings` exists.
  const pollError = (what: string, err: unknown) =>
    log.warn({ errName: err instanceof Error ? err.name : typeof err }, `${what} failed`);
  const polls =
    redisUrl !== undefined && shared
      ? new shared.BullMqPolls({
          redisUrl,
          prefix,
          scheduleMs: wh.recordingPollScheduleMs,
          poll: (s) => meetings.pollOnce(s),
          onError: pollError,
          onWorkerProblem,
        })
      : undefined;
  const meetings: MeetingEvents = new MeetingEvents({
    publicUrl: () => config.publicUrl ?? listenAddress(app),
    tokenKey,
    emit,
    bbb,
    pollScheduleMs: wh.recordingPollScheduleMs,
    ...(polls ? { scheduler: polls } : {}),
    onError: pollError,
    analyticsApps: new Set(wh.analyticsApps),
  });
  polls?.run();
  await registerCallbackRoutes(app, {
    tokenKeys,
    bbbSecret: config.bbb?.secret,
    emit,
    onCallback: (kind, outcome) => metrics.eventsReceived.inc({ source: 'bbb-callback', kind, outcome }),
    onEnded: (c) => meetings.ended(c.app, c.meetingId, c.nonce, c.record === true),
    // The confirming getMeetingInfo is counted on the callback request's log line.
    confirmEnded: (c, req) => sessionHasEnded(bbbOfRequest(req), c),
    onProblem: (kind, what, err) =>
      log.warn({ kind, ...(err !== undefined ? { errName: err instanceof Error ? err.name : typeof err } : {}) }, what),
  });
  return {
    queue,
    log: eventLog,
    secrets,
    tokenKey,
    meetings,
    endpoint(app) {
      const e = deliverer.endpointOf(app);
      return e && { url: e.url, types: e.types, secret: secrets.current(app) };
    },
    async sendTest(app) {
      if (deliverer.endpointOf(app) === undefined) return undefined;
      const id = `evt_test_${randomBytes(12).toString('hex')}`;
      const result = await deliverer.attempt({
        id,
        app,
        type: TEST_EVENT_TYPE,
        timestamp: new Date().toISOString(),
        data: { message: 'A test webhook sent by sendTestWebhook.' },
      });
      onAttempt({ ...result, eventId: id, app, type: TEST_EVENT_TYPE, attempt: 1 });
      return { ...result, eventId: id };
    },
    async close() {
      await meetings.close();
      await queue.close();
      await eventLog.close();
      await statesRedis?.quit().catch(() => undefined);
    },
  };
}

/**
 * PUBLIC_URL's development default: the address the gateway listens on (0.0.0.0 and :: as loopback, which is where the
 * embedded simulator calls from). Production requires PUBLIC_URL (config.ts).
 */
function listenAddress(app: FastifyInstance): string {
  const a = app.addresses().find((x) => typeof x !== 'string');
  if (a === undefined || typeof a === 'string')
    throw new Error('PUBLIC_URL is not set and the gateway is not listening yet');
  const host = a.address === '0.0.0.0' ? '127.0.0.1' : a.address === '::' ? '::1' : a.address;
  return `http://${a.family === 'IPv6' ? `[${host}]` : host}:${a.port}`;
}

/** Counts every error of the event log's Redis connections; logs only the first of each kind (an outage repeats it at every reconnect attempt). */
function eventLogErrorReporter(
  log: FastifyBaseLogger,
  metrics: GatewayMetrics,
): (connection: 'commands' | 'reader', err: Error) => void {
  const logged = new Set<string>();
  return (connection, err) => {
    metrics.eventLogRedisErrors.inc({ connection });
    if (logged.has(connection)) return;
    logged.add(connection);
    log.warn({ errName: err.name, code: (err as { code?: unknown }).code, connection }, 'event log: Redis error');
  };
}
