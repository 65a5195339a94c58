import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { sha256Hex } from '../secrets.js';
import {
  attemptRecord,
  attemptReport,
  comesAfter,
  statusOf,
  type AttemptRecord,
  type DeliveryPage,
  type DeliveryQuery,
  type DeliveryQueue,
  type DeliveryRecord,
  type EndpointRef,
  type EndpointStates,
  type QueueOptions,
} from './delivery.js';
import type { GatewayEvent } from './types.js';
import { MAX_STALLED_COUNT, watchConnectionErrors, watchWorker, type WorkerProblem } from './worker-problems.js';

/** Finished and failed jobs are kept this long: the retention is the delivery log (events.md §5.3). */
const DELIVERY_LOG_RETENTION_S = 7 * 86_400;
const QUEUE_NAME = 'webhooks';
/** How many index entries one round trip reads while a page is filled (a status filter may skip many). */
const SCAN_BATCH = 200;

/** A failed attempt that BullMQ should retry after `delayMs` (computed once, so the report and the schedule agree). */
class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The end of a delivery that onAttempt has reported (410, schedule used up): BullMQ must not attempt it again. */
class Reported extends UnrecoverableError {}

export interface BullMqQueueOptions extends QueueOptions {
  readonly redisUrl: string;
  /** Namespaces the queue's keys in Redis (`<prefix>:webhooks:…`); tests use one per test. */
  readonly prefix: string;
  readonly concurrency?: number;
  /**
   * How long a worker's claim on a job lasts without renewal, and how often workers look for expired claims: a replica that
   * dies mid-delivery gives its job back after about this long. BullMQ's defaults (30 s, 30 s); tests shorten them.
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** The worker's Redis errors, stalls and unexpected failures (worker-problems.ts). */
  readonly onWorkerProblem?: (problem: WorkerProblem) => void;
}

/**
 * Delivery on Redis: every replica runs a Worker on the same queue (competing consumers), a crashed worker's job is taken
 * over once its lock expires, and the event id is the job id, so adding an event twice delivers it once.
 */
export class BullMqQueue implements DeliveryQueue {
  private readonly queue: Queue;
  private readonly worker: Worker;
  /** Reads and writes the per-app delivery index. */
  private readonly indexRedis: Redis;
  protected readonly connections: Redis[] = [];

  constructor(private readonly opts: BullMqQueueOptions) {
    const connection = (maxRetriesPerRequest: number | null) => {
      const c = new Redis(opts.redisUrl, { maxRetriesPerRequest });
      this.connections.push(c);
      return c;
    };
    // Adding fails fast while Redis is away (the callback then answers 5xx and BBB retries it); the Worker's blocking
    // commands need maxRetriesPerRequest: null and simply wait for Redis to come back.
    this.queue = new Queue(QUEUE_NAME, { connection: connection(2), prefix: opts.prefix });
    this.indexRedis = connection(2);
    this.worker = new Worker(QUEUE_NAME, (job: Job<GatewayEvent>) => this.process(job), {
      connection: connection(null),
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 10,
      ...(opts.lockDurationMs !== undefined ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs !== undefined ? { stalledInterval: opts.stalledIntervalMs } : {}),
      maxStalledCount: MAX_STALLED_COUNT,
      settings: { backoffStrategy: (_attemptsMade, _type, err) => (err instanceof RetryLater ? err.delayMs : 0) },
    });
    // A delivery's own failures (retry, 410, schedule used up) are reported through onAttempt; the rest here.
    watchWorker(
      this.worker,
      QUEUE_NAME,
      opts.onWorkerProblem,
      (err) => err instanceof RetryLater || err instanceof Reported,
    );
    watchConnectionErrors([this.queue], QUEUE_NAME, opts.onWorkerProblem);
  }

  async enqueue(event: GatewayEvent): Promise<void> {
    if (!this.opts.deliverer.wants(event.app, event.type)) return;
    await this.add(event.id, event);
  }

  /**
   * The job (id = delivery id) and its entry in the app's index `<prefix>:deliveries:<app>` (score: queued at), which is
   * what lets webhookDeliveries read one app's log without walking every app's jobs. NX keeps a duplicate's first time.
   */
  private async add(id: string, event: GatewayEvent): Promise<void> {
    await this.queue.add(event.type, event, {
      jobId: id,
      attempts: this.opts.retryScheduleMs.length + 1,
      backoff: { type: 'custom' },
      removeOnComplete: { age: DELIVERY_LOG_RETENTION_S },
      removeOnFail: { age: DELIVERY_LOG_RETENTION_S },
    });
    const now = Date.now();
    await this.indexRedis
      .multi()
      .zadd(this.indexKey(event.app), 'NX', now, id)
      .zremrangebyscore(this.indexKey(event.app), '-inf', `(${now - DELIVERY_LOG_RETENTION_S * 1000}`)
      .pexpire(this.indexKey(event.app), DELIVERY_LOG_RETENTION_S * 1000)
      .exec();
  }

  private indexKey(app: string): string {
    return `${this.opts.prefix}:deliveries:${app}`;
  }

  /** A job as a log entry; undefined once BullMQ removed it (retention) or when it is another app's. */
  private async record(id: string, app: string, queuedAtMs: number): Promise<DeliveryRecord | undefined> {
    const job = await this.queue.getJob(id);
    if (job === undefined || job.data.app !== app) return undefined;
    const [state, logs] = await Promise.all([job.getState(), this.queue.getJobLogs(id)]);
    const attempts = logs.logs.flatMap((l): AttemptRecord[] => {
      try {
        return [JSON.parse(l) as AttemptRecord];
      } catch {
        return [];
      }
    });
    attempts.sort((a, b) => a.attempt - b.attempt);
    return {
      id,
      event: job.data,
      queuedAtMs,
      status: statusOf(attempts, state === 'failed' || state === 'completed'),
      attempts,
    };
  }

  async deliveries(app: string, query: DeliveryQuery): Promise<DeliveryPage> {
    const records: DeliveryRecord[] = [];
    const max = query.after === undefined ? '+inf' : String(query.after.queuedAtMs);
    for (let offset = 0; ; offset += SCAN_BATCH) {
      const batch = await this.indexRedis.zrevrangebyscore(
        this.indexKey(app),
        max,
        '-inf',
        'WITHSCORES',
        'LIMIT',
        offset,
        SCAN_BATCH,
      );
      for (let i = 0; i < batch.length; i += 2) {
        const entry = { id: batch[i]!, queuedAtMs: Number(batch[i + 1]) };
        if (query.after !== undefined && !comesAfter(entry, query.after)) continue;
        const r = await this.record(entry.id, app, entry.queuedAtMs);
        if (r === undefined || (query.status !== undefined && r.status !== query.status)) continue;
        if (records.length === query.first) return { records, hasNextPage: true };
        records.push(r);
      }
      if (batch.length < SCAN_BATCH * 2) return { records, hasNextPage: false };
    }
  }

  async redeliver(app: string, eventId: string): Promise<DeliveryRecord | undefined> {
    const original = await this.queue.getJob(eventId);
    if (original === undefined || original.data.app !== app || original.data.id !== eventId) return undefined;
    // The latest delivery of this event: a pending one is not doubled.
    const ids = (await this.indexRedis.zrevrangebyscore(this.indexKey(app), '+inf', '-inf', 'WITHSCORES')).filter(
      (_, i) => i % 2 === 0,
    );
    const mine = ids.filter((id) => id === eventId || id.startsWith(`${eventId}.r`));
    const latest = mine.sort((a, b) => redeliveryNumber(b) - redeliveryNumber(a))[0];
    if (latest !== undefined) {
      const score = await this.indexRedis.zscore(this.indexKey(app), latest);
      const r = await this.record(latest, app, Number(score));
      if (r?.status === 'pending') return r;
    }
    const id = `${eventId}.r${(latest === undefined ? 0 : redeliveryNumber(latest)) + 1}`;
    await this.add(id, original.data);
    return this.record(id, app, Number(await this.indexRedis.zscore(this.indexKey(app), id)));
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  private async process(job: Job<GatewayEvent>): Promise<unknown> {
    const event = job.data;
    const attempt = job.attemptsMade + 1;
    // An attempt that throws is a failed one on the schedule (attemptReport): thrown to BullMQ, the custom backoff would
    // retry it at once, and a short Redis hiccup would use up every attempt within milliseconds.
    const report = await attemptReport(this.opts, event, attempt);
    const delay = report.nextDelayMs;
    // The delivery log's attempt entry; a failure to write it must not make BullMQ attempt the delivery again.
    await job.log(JSON.stringify(attemptRecord(report, new Date()))).catch(() => undefined);
    this.opts.onAttempt?.(report);
    const reason = report.status !== undefined ? `HTTP ${report.status}` : (report.error ?? report.outcome);
    if (report.outcome === 'gone') throw new Reported(`endpoint answered 410 Gone; disabled`);
    if (report.outcome === 'failed') {
      if (delay === undefined) throw new Reported(`${reason}; retry schedule used up`);
      throw new RetryLater(delay, reason);
    }
    return report;
  }

  /** `force`: do not wait for jobs in progress (they go back to the queue once their claim expires). */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
    await this.queue.close();
    await Promise.allSettled(this.connections.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
  }

  /** For tests and operators: removes every key of this queue (its delivery log included). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
    // SCAN, not KEYS: the index's keys are found in batches, without blocking a Redis that other queues share.
    const scan = this.indexRedis.scanStream({ match: `${this.opts.prefix}:deliveries:*`, count: 500 });
    for await (const keys of scan as AsyncIterable<string[]>) if (keys.length > 0) await this.indexRedis.del(...keys);
  }
}

function redeliveryNumber(id: string): number {
  const m = /\.r(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/**
 * 410 state shared by every replica: `<prefix>:disabled:<app>:<sha256(url), 16 hex>`, one key per app and URL, so a new URL
 * in WEBHOOK_ENDPOINTS starts enabled; the operator deletes the key to re-enable the same URL.
 */
export class RedisEndpointStates implements EndpointStates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private key(e: EndpointRef): string {
    return `${this.prefix}:disabled:${e.app}:${sha256Hex(e.url).slice(0, 16)}`;
  }
  async isDisabled(endpoint: EndpointRef): Promise<boolean> {
    return (await this.redis.exists(this.key(endpoint))) === 1;
  }
  async disable(endpoint: EndpointRef): Promise<void> {
    await this.redis.set(this.key(endpoint), new Date().toISOString());
  }
  async enable(endpoint: EndpointRef): Promise<void> {
    await this.redis.del(this.key(endpoint));
  }
}
