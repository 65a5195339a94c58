import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BbbCallEvent } from '../bbb/types.js';

/** Seconds; from a cached answer (a few ms) to BBB_TIMEOUT_MS's upper range. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// BBB's messageKeys are camelCase words; anything else (a proxy's page, a future key with odd bytes) is one label value,
// so a misbehaving server cannot grow the number of series without bound.
const MESSAGE_KEY = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The gateway's Prometheus metrics, in a registry of its own: tests run several gateways in one process. */
export interface GatewayMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'operation' | 'status' | 'app'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'operation' | 'status'>;
  readonly httpInFlight: Gauge;
  readonly bbbCalls: Counter<'call' | 'outcome' | 'message_key'>;
  readonly bbbDuration: Histogram<'call' | 'outcome'>;
  /** 1 when the last readiness probe reached BBB, 0 when it did not. */
  readonly bbbUp: Gauge;
  readonly rateLimited: Counter<'app'>;
  /** 1 while the shared Redis store is connected, 0 while limits fall back to this replica's memory; absent without REDIS_URL. */
  readonly redisUp: Gauge;
  /** BBB callbacks (and later the gateway's own sources) turned into events, or refused. */
  readonly eventsReceived: Counter<'source' | 'kind' | 'outcome'>;
  readonly webhookDeliveries: Counter<'app' | 'type' | 'outcome'>;
  /** Problems of the BullMQ workers (queue webhooks or recording-polls; kind error, failed, stalled). */
  readonly eventsWorkerProblems: Counter<'queue' | 'kind'>;
  /** Errors of the event log's Redis connections: `commands` (appends, reads) or a replica's stream `reader`. */
  readonly eventLogRedisErrors: Counter<'connection'>;
  readonly webhookDuration: Histogram<'app' | 'outcome'>;
  /** Deliveries waiting, retrying or in flight; exported only once watchWebhookQueueDepth is called (with WEBHOOK_ENDPOINTS). */
  readonly webhookQueueDepth: Gauge;
  /** Open graphql-ws sockets and SSE streams of the subscriptions, by transport (ws, sse). */
  readonly subscriptionConnections: Gauge<'transport'>;
  /** Subscription operations streaming events, by transport. */
  readonly subscriptions: Gauge<'transport'>;
  /** Registers webhookQueueDepth, read from `depth` at every scrape (a failing read keeps the last value). */
  watchWebhookQueueDepth(depth: () => Promise<number>): void;
  observeBbbCall(event: BbbCallEvent): void;
}

/** Every metric name starts with this; the process and Node.js runtime metrics keep their standard names. */
export const METRIC_PREFIX = 'bbb_interface_';

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  // Standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …) so stock Node.js dashboards work.
  collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by route, operation (GraphQL root fields or REST route), status and calling app.',
    labelNames: ['method', 'route', 'operation', 'status', 'app'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time from receiving a request to finishing its answer, in seconds.',
    labelNames: ['method', 'route', 'operation', 'status'] as const,
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const httpInFlight = new Gauge({
    name: `${METRIC_PREFIX}http_requests_in_flight`,
    help: 'HTTP requests received and not yet answered.',
    registers,
  });
  const bbbCalls = new Counter({
    name: `${METRIC_PREFIX}bbb_calls_total`,
    help: 'Calls to the BigBlueButton API, by call, outcome (success, failed, protocol, unavailable) and BBB messageKey.',
    labelNames: ['call', 'outcome', 'message_key'] as const,
    registers,
  });
  const bbbDuration = new Histogram({
    name: `${METRIC_PREFIX}bbb_call_duration_seconds`,
    help: 'Duration of calls to the BigBlueButton API including retries, in seconds.',
    labelNames: ['call', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const bbbUp = new Gauge({
    name: `${METRIC_PREFIX}bbb_up`,
    help: '1 when the last readiness probe got an answer from the BigBlueButton API root, else 0.',
    registers,
  });
  const rateLimited = new Counter({
    name: `${METRIC_PREFIX}rate_limited_total`,
    help: 'Requests refused with 429 because the calling app (or anonymous address) used up its rate limit.',
    labelNames: ['app'] as const,
    registers,
  });
  const redisUp = new Gauge({
    name: `${METRIC_PREFIX}rate_limit_redis_up`,
    help: "1 while the shared Redis rate-limit store is connected; 0 while limits fall back to this replica's memory.",
    registers: [],
  });

  const eventLogRedisErrors = new Counter({
    name: `${METRIC_PREFIX}event_log_redis_errors_total`,
    help: "Errors of the event log's Redis connections, by connection (commands: appends and reads; reader: a stream tail).",
    labelNames: ['connection'] as const,
    registers,
  });
  const eventsReceived = new Counter({
    name: `${METRIC_PREFIX}events_received_total`,
    help: 'Meeting events received, by source (bbb-callback), kind (ended, recording-ready, analytics) and outcome (accepted, rejected, unconfirmed: an end BBB did not confirm).',
    labelNames: ['source', 'kind', 'outcome'] as const,
    registers,
  });
  const webhookDeliveries = new Counter({
    name: `${METRIC_PREFIX}webhook_deliveries_total`,
    help: 'Webhook delivery attempts, by app, event type and outcome (delivered, failed, gone, disabled, skipped).',
    labelNames: ['app', 'type', 'outcome'] as const,
    registers,
  });
  const eventsWorkerProblems = new Counter({
    name: `${METRIC_PREFIX}events_worker_problems_total`,
    help: 'Problems of the events queue workers (BullMQ), by queue (webhooks, recording-polls) and kind (error: Redis; failed: a job failed unexpectedly; stalled: a job taken over after its worker stopped).',
    labelNames: ['queue', 'kind'] as const,
    registers,
  });
  const webhookDuration = new Histogram({
    name: `${METRIC_PREFIX}webhook_delivery_duration_seconds`,
    help: "Time an app's endpoint took to answer a webhook attempt, in seconds.",
    labelNames: ['app', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_S,
    registers,
  });

  const subscriptionConnections = new Gauge({
    name: `${METRIC_PREFIX}subscription_connections`,
    help: 'Open subscription connections on this replica: graphql-ws sockets (ws) and SSE streams (sse).',
    labelNames: ['transport'] as const,
    registers,
  });
  const subscriptions = new Gauge({
    name: `${METRIC_PREFIX}subscriptions`,
    help: 'Subscription operations streaming meeting events on this replica, by transport (ws, sse).',
    labelNames: ['transport'] as const,
    registers,
  });

  let queueDepth: (() => Promise<number>) | undefined;
  const webhookQueueDepth = new Gauge({
    name: `${METRIC_PREFIX}webhook_queue_depth`,
    help: 'Webhook deliveries waiting for an attempt or a retry, or being attempted (with Redis: the whole shared queue).',
    registers: [],
    async collect() {
      if (queueDepth === undefined) return;
      const n = await queueDepth().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  });

  return {
    registry,
    webhookQueueDepth,
    watchWebhookQueueDepth(depth) {
      queueDepth = depth;
      if (registry.getSingleMetric(`${METRIC_PREFIX}webhook_queue_depth`) === undefined)
        registry.registerMetric(webhookQueueDepth);
    },
    eventsReceived,
    eventsWorkerProblems,
    eventLogRedisErrors,
    subscriptionConnections,
    subscriptions,
    webhookDeliveries,
    webhookDuration,
    httpRequests,
    httpDuration,
    httpInFlight,
    bbbCalls,
    bbbDuration,
    bbbUp,
    rateLimited,
    redisUp,
    observeBbbCall(event) {
      const messageKey =
        event.messageKey === undefined ? '' : MESSAGE_KEY.test(event.messageKey) ? event.messageKey : 'other';
      bbbCalls.inc({ call: event.call, outcome: event.outcome, message_key: messageKey });
      bbbDuration.observe({ call: event.call, outcome: event.outcome }, event.durationMs / 1000);
    },
  };
}
