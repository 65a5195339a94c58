import got from 'got';
import { signWebhook, type WebhookSecrets } from './signing.js';
import { TEST_EVENT_TYPE, type GatewayEvent, type WebhookEndpoint } from './types.js';

/** Svix and Standard Webhooks recommend 15–30 s; a receiver should answer 2xx first and work later. */
const DELIVERY_TIMEOUT_MS = 15_000;
/** A `Retry-After` longer than this is treated as this: a day, the longest step of the default schedule. */
const MAX_RETRY_AFTER_MS = 86_400_000;
/** Each scheduled delay is moved by up to ±20 %, so endpoints coming back from an outage are not hit in lockstep. */
const JITTER = 0.2;

type AttemptOutcome =
  /** 2xx. */
  | 'delivered'
  /** Anything else that may pass later: 3xx (never followed), 4xx other than 410, 5xx, timeouts, refused connections. */
  | 'failed'
  /** 410 Gone: the endpoint is disabled until the operator enables it again. */
  | 'gone'
  /** The endpoint had been disabled before this attempt; nothing was sent. */
  | 'disabled'
  /** The app has no endpoint (any more), or it does not want this type; nothing was sent. */
  | 'skipped';

export interface AttemptResult {
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  /** A short reason for a failure without a status (`ETIMEDOUT`, `ECONNREFUSED`), never a body. */
  readonly error?: string;
  /** From a 429 or 503 `Retry-After`. */
  readonly retryAfterMs?: number;
  readonly latencyMs?: number;
}

/** What every attempt reports, for logs, metrics and (later) the delivery log; `nextDelayMs` is set when another attempt follows. */
export interface AttemptReport extends AttemptResult {
  readonly eventId: string;
  readonly app: string;
  readonly type: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly nextDelayMs?: number;
}

/** An endpoint as the 410 state knows it: the app and the URL that answered (a new URL for the app starts enabled). */
export type EndpointRef = Pick<WebhookEndpoint, 'app' | 'url'>;

/**
 * Which endpoints answered 410, per app **and URL**: the operator changing an app's URL in WEBHOOK_ENDPOINTS re-enables it
 * (the 410 was the old address's word). In memory for one process, in Redis when replicas share a queue.
 */
export interface EndpointStates {
  isDisabled(endpoint: EndpointRef): Promise<boolean>;
  disable(endpoint: EndpointRef): Promise<void>;
  enable(endpoint: EndpointRef): Promise<void>;
}

export class MemoryEndpointStates implements EndpointStates {
  private readonly disabled = new Set<string>();
  private key(e: EndpointRef): string {
    return JSON.stringify([e.app, e.url]);
  }
  async isDisabled(endpoint: EndpointRef): Promise<boolean> {
    return this.disabled.has(this.key(endpoint));
  }
  async disable(endpoint: EndpointRef): Promise<void> {
    this.disabled.add(this.key(endpoint));
  }
  async enable(endpoint: EndpointRef): Promise<void> {
    this.disabled.delete(this.key(endpoint));
  }
}

/** The webhook body: `{type, timestamp, data}` (Standard Webhooks' payload structure). */
function webhookBody(event: GatewayEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}

/**
 * The delay before the attempt after `attemptsMade` attempts, or `undefined` when the schedule is used up. A `Retry-After`
 * replaces the scheduled delay (capped at a day) but never extends the number of attempts.
 */
export function nextDelayMs(
  attemptsMade: number,
  scheduleMs: readonly number[],
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  const base = scheduleMs[attemptsMade - 1];
  if (base === undefined) return undefined;
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.max(0, Math.round(base * (1 + JITTER * (2 * random() - 1))));
}

/** `Retry-After` as seconds or as an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface DelivererOptions {
  readonly endpoints: readonly WebhookEndpoint[];
  readonly secrets: WebhookSecrets;
  readonly states: EndpointStates;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  readonly now?: () => number;
}

/** One HTTP attempt of one event to its app's endpoint; the queues decide when to call it again. */
export class Deliverer {
  private readonly byApp: Map<string, WebhookEndpoint>;
  constructor(private readonly opts: DelivererOptions) {
    this.byApp = new Map(opts.endpoints.map((e) => [e.app, e]));
  }

  /** Whether an event of this type would be sent at all (queues skip the rest before storing anything). */
  wants(app: string, type: string): boolean {
    const endpoint = this.byApp.get(app);
    return (
      endpoint !== undefined && (endpoint.types.length === 0 || (endpoint.types as readonly string[]).includes(type))
    );
  }

  /** The app's endpoint, if it has one (its URL and types; never the secret). */
  endpointOf(app: string): WebhookEndpoint | undefined {
    return this.byApp.get(app);
  }

  async attempt(event: GatewayEvent): Promise<AttemptResult> {
    const endpoint = this.byApp.get(event.app);
    // A test event goes to the endpoint whatever types it filters on: it is how an app checks its receiver.
    if (endpoint === undefined || (event.type !== TEST_EVENT_TYPE && !this.wants(event.app, event.type)))
      return { outcome: 'skipped' };
    if (await this.opts.states.isDisabled(endpoint)) return { outcome: 'disabled' };
    const body = webhookBody(event);
    const now = this.opts.now ?? Date.now;
    // The timestamp is the attempt's, the id the event's: receivers deduplicate on the id and check the timestamp's freshness.
    const headers = signWebhook({
      id: event.id,
      timestampSeconds: Math.floor(now() / 1000),
      body,
      secrets: this.opts.secrets.signing(event.app),
    });
    const started = performance.now();
    try {
      // Only the status and headers matter: the receiver is the app's server, so its body is never read (it could be
      // endless). got's stream answers at the headers; the connection is closed right after.
      const res = await new Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined> }>(
        (resolve, reject) => {
          const stream = got.stream.post(endpoint.url, {
            body,
            headers: {
              ...headers,
              'content-type': 'application/json',
              'user-agent': this.opts.userAgent ?? 'bbb-interface-webhooks/1',
            },
            followRedirect: false,
            throwHttpErrors: false,
            retry: { limit: 0 },
            timeout: { request: this.opts.timeoutMs ?? DELIVERY_TIMEOUT_MS },
          });
          stream.once(
            'response',
            (r: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
              resolve({ statusCode: r.statusCode, headers: r.headers });
              stream.destroy();
            },
          );
          stream.once('error', reject);
        },
      );
      const latencyMs = Math.round(performance.now() - started);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { outcome: 'delivered', status, latencyMs };
      if (status === 410) {
        await this.opts.states.disable(endpoint);
        return { outcome: 'gone', status, latencyMs };
      }
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter([res.headers['retry-after']].flat()[0]) : undefined;
      return { outcome: 'failed', status, latencyMs, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return {
        outcome: 'failed',
        error: typeof code === 'string' ? code : 'request failed',
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }
}

/** One attempt as the delivery log keeps it (never a body or a header). */
export interface AttemptRecord {
  readonly attempt: number;
  /** ISO time the attempt finished. */
  readonly at: string;
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs?: number;
  readonly nextDelayMs?: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One delivery of one event to its app: the delivery log's entry (BullMQ's retained job, or the in-process record). */
export interface DeliveryRecord {
  /** The delivery's own id: the event id, with `.r<n>` for the n-th redelivery. */
  readonly id: string;
  readonly event: GatewayEvent;
  /** Unix milliseconds at which it was queued (the log's order). */
  readonly queuedAtMs: number;
  readonly status: DeliveryStatus;
  readonly attempts: readonly AttemptRecord[];
}

export interface DeliveryQuery {
  readonly first: number;
  /** A cursor `deliveries` returned (see encodeDeliveryCursor). */
  readonly after?: { readonly queuedAtMs: number; readonly id: string } | undefined;
  readonly status?: DeliveryStatus | undefined;
}

export interface DeliveryPage {
  readonly records: DeliveryRecord[];
  readonly hasNextPage: boolean;
}

/** Newest first; equal times by id, descending (Redis' order for equal scores, reversed). */
export function comesAfter(r: { queuedAtMs: number; id: string }, cursor: { queuedAtMs: number; id: string }): boolean {
  return r.queuedAtMs < cursor.queuedAtMs || (r.queuedAtMs === cursor.queuedAtMs && r.id < cursor.id);
}

/** The status an entry shows: delivered by a 2xx; failed once no attempt follows (schedule used up, 410, disabled). */
export function statusOf(attempts: readonly AttemptRecord[], finished: boolean): DeliveryStatus {
  const last = attempts.at(-1);
  if (last?.outcome === 'delivered') return 'delivered';
  if (finished || (last !== undefined && last.nextDelayMs === undefined)) return 'failed';
  return 'pending';
}

export function attemptRecord(report: AttemptReport, at: Date): AttemptRecord {
  const r: AttemptRecord = { attempt: report.attempt, at: at.toISOString(), outcome: report.outcome };
  return {
    ...r,
    ...(report.status !== undefined ? { status: report.status } : {}),
    ...(report.error !== undefined ? { error: report.error } : {}),
    ...(report.latencyMs !== undefined ? { latencyMs: report.latencyMs } : {}),
    ...(report.nextDelayMs !== undefined ? { nextDelayMs: report.nextDelayMs } : {}),
  };
}

/** The way in: the event sources add events, a queue delivers them. Adding an event whose id is known is a no-op. */
export interface DeliveryQueue {
  enqueue(event: GatewayEvent): Promise<void>;
  /** The app's delivery log, newest first (only its own entries). */
  deliveries(app: string, query: DeliveryQuery): Promise<DeliveryPage>;
  /**
   * Queues the app's event again, past the deduplication, as a new delivery with the same `webhook-id`; undefined when the
   * log has no such event of this app. A delivery still pending is returned as it is instead of being doubled.
   */
  redeliver(app: string, eventId: string): Promise<DeliveryRecord | undefined>;
  /** Deliveries waiting for an attempt or a retry, or being attempted now (the queue-depth gauge). */
  depth(): Promise<number>;
  close(): Promise<void>;
}

export interface QueueOptions {
  readonly deliverer: Deliverer;
  readonly retryScheduleMs: readonly number[];
  readonly onAttempt?: (report: AttemptReport) => void;
  readonly random?: () => number;
}

/**
 * One attempt of `event` as both queues make it: an attempt that throws before sending (the 410 state's Redis away, a
 * secret missing) is a failed attempt like any other, so it is retried on the schedule rather than at once; `nextDelayMs`
 * is set when the schedule has another attempt, and is the delay the queue waits.
 */
export async function attemptReport(opts: QueueOptions, event: GatewayEvent, attempt: number): Promise<AttemptReport> {
  const result = await opts.deliverer
    .attempt(event)
    .catch((): AttemptResult => ({ outcome: 'failed', error: 'internal error' }));
  const delay =
    result.outcome === 'failed'
      ? nextDelayMs(attempt, opts.retryScheduleMs, result.retryAfterMs, opts.random)
      : undefined;
  return {
    ...result,
    eventId: event.id,
    app: event.app,
    type: event.type,
    attempt,
    ...(delay !== undefined ? { nextDelayMs: delay } : {}),
  };
}

/**
 * Dev and single-replica delivery: the same schedule as BullMQ, with timers in this process. Retries are lost on restart
 * (the trade-off bbb-webhooks' own setTimeout retries make); production with endpoints requires REDIS_URL. Its delivery
 * log is the record it keeps of each delivery (the newest MAX_SEEN, and none older than DELIVERY_LOG_RETENTION_MS).
 */
export class InProcessQueue implements DeliveryQueue {
  /** Deliveries by id, oldest first (Map order); event ids (without `.r<n>`) also deduplicate. */
  private readonly records = new Map<
    string,
    { id: string; event: GatewayEvent; queuedAtMs: number; attempts: AttemptRecord[] }
  >();
  private readonly redeliveries = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  /** Deliveries remembered for deduplication and the log; the oldest is forgotten first. */
  static readonly MAX_SEEN = 100_000;
  /** The same 7 days BullMQ keeps its jobs. */
  static readonly DELIVERY_LOG_RETENTION_MS = 7 * 86_400_000;

  constructor(private readonly opts: QueueOptions & { readonly now?: () => number }) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async enqueue(event: GatewayEvent): Promise<void> {
    if (this.closed || this.records.has(event.id) || !this.opts.deliverer.wants(event.app, event.type)) return;
    this.add(event.id, event);
  }

  private add(id: string, event: GatewayEvent): void {
    const now = this.now();
    this.records.set(id, { id, event, queuedAtMs: now, attempts: [] });
    for (const [key, r] of this.records) {
      if (
        this.records.size <= InProcessQueue.MAX_SEEN &&
        r.queuedAtMs >= now - InProcessQueue.DELIVERY_LOG_RETENTION_MS
      )
        break;
      this.records.delete(key);
    }
    this.run(id, event, 1);
  }

  private view(r: { id: string; event: GatewayEvent; queuedAtMs: number; attempts: AttemptRecord[] }): DeliveryRecord {
    return {
      id: r.id,
      event: r.event,
      queuedAtMs: r.queuedAtMs,
      status: statusOf(r.attempts, false),
      attempts: [...r.attempts],
    };
  }

  async deliveries(app: string, query: DeliveryQuery): Promise<DeliveryPage> {
    const mine = [...this.records.values()]
      .filter((r) => r.event.app === app)
      .map((r) => this.view(r))
      .sort((a, b) => b.queuedAtMs - a.queuedAtMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .filter(
        (r) =>
          (query.after === undefined || comesAfter(r, query.after)) &&
          (query.status === undefined || r.status === query.status),
      );
    return { records: mine.slice(0, query.first), hasNextPage: mine.length > query.first };
  }

  async redeliver(app: string, eventId: string): Promise<DeliveryRecord | undefined> {
    const original = this.records.get(eventId);
    if (original === undefined || original.event.app !== app || original.event.id !== eventId || this.closed)
      return undefined;
    const latestId = this.redeliveries.has(eventId) ? `${eventId}.r${this.redeliveries.get(eventId)}` : eventId;
    const latest = this.records.get(latestId);
    if (latest !== undefined && statusOf(latest.attempts, false) === 'pending') return this.view(latest);
    const n = (this.redeliveries.get(eventId) ?? 0) + 1;
    this.redeliveries.set(eventId, n);
    this.add(`${eventId}.r${n}`, original.event);
    return this.view(this.records.get(`${eventId}.r${n}`)!);
  }

  async depth(): Promise<number> {
    let n = 0;
    for (const r of this.records.values()) if (statusOf(r.attempts, false) === 'pending') n++;
    return n;
  }

  private run(id: string, event: GatewayEvent, attempt: number): void {
    const p = (async () => {
      const report = await attemptReport(this.opts, event, attempt);
      const delay = report.nextDelayMs;
      this.records.get(id)?.attempts.push(attemptRecord(report, new Date(this.now())));
      this.opts.onAttempt?.(report);
      if (delay === undefined || this.closed) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.run(id, event, attempt + 1);
      }, delay);
      this.timers.add(timer);
    })();
    this.running.add(p);
    // A throwing onAttempt must not become an unhandled rejection; the attempt itself never throws.
    void p.catch(() => {}).finally(() => this.running.delete(p));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
