import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { nextDelayMs, type DeliveryQueue, type EndpointStates, type QueueOptions } from './delivery.js';
import type { GatewayEvent } from './types.js';

/** Finished and failed jobs are kept this long: the retention is the delivery log (events.md §5.3). */
export const DELIVERY_LOG_RETENTION_S = 7 * 86_400;
const QUEUE_NAME = 'webhooks';

/** A failed attempt that BullMQ should retry after `delayMs` (computed once, so the report and the schedule agree). */
class RetryLater extends Error {
  constructor(readonly delayMs: number, reason: string) {
    super(reason);
  }
}

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
}

/**
 * Delivery on Redis: every replica runs a Worker on the same queue (competing consumers), a crashed worker's job is taken
 * over once its lock expires, and the event id is the job id, so adding an event twice delivers it once.
 */
export class BullMqQueue implements DeliveryQueue {
  private readonly queue: Queue;
  private readonly worker: Worker;
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
    this.worker = new Worker(QUEUE_NAME, (job: Job<GatewayEvent>) => this.process(job), {
      connection: connection(null),
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 10,
      ...(opts.lockDurationMs !== undefined ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs !== undefined ? { stalledInterval: opts.stalledIntervalMs } : {}),
      settings: { backoffStrategy: (_attemptsMade, _type, err) => (err instanceof RetryLater ? err.delayMs : 0) },
    });
    // Failures are reported through onAttempt; without a listener an 'error' event would throw.
    this.worker.on('error', () => {});
  }

  async enqueue(event: GatewayEvent): Promise<void> {
    if (!this.opts.deliverer.wants(event.app, event.type)) return;
    await this.queue.add(event.type, event, {
      jobId: event.id,
      attempts: this.opts.retryScheduleMs.length + 1,
      backoff: { type: 'custom' },
      removeOnComplete: { age: DELIVERY_LOG_RETENTION_S },
      removeOnFail: { age: DELIVERY_LOG_RETENTION_S },
    });
  }

  private async process(job: Job<GatewayEvent>): Promise<unknown> {
    const event = job.data;
    const attempt = job.attemptsMade + 1;
    const result = await this.opts.deliverer.attempt(event);
    const delay = result.outcome === 'failed' ? nextDelayMs(attempt, this.opts.retryScheduleMs, result.retryAfterMs, this.opts.random) : undefined;
    this.opts.onAttempt?.({ ...result, eventId: event.id, app: event.app, type: event.type, attempt, ...(delay !== undefined ? { nextDelayMs: delay } : {}) });
    const reason = result.status !== undefined ? `HTTP ${result.status}` : (result.error ?? result.outcome);
    if (result.outcome === 'gone') throw new UnrecoverableError(`endpoint answered 410 Gone; disabled`);
    if (result.outcome === 'failed') {
      if (delay === undefined) throw new UnrecoverableError(`${reason}; retry schedule used up`);
      throw new RetryLater(delay, reason);
    }
    return result;
  }

  /** `force`: do not wait for jobs in progress (they go back to the queue once their claim expires). */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
    await this.queue.close();
    await Promise.allSettled(this.connections.map((c) => c.quit()));
  }

  /** For tests and operators: removes every key of this queue (its delivery log included). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}

/** 410 state shared by every replica: `<prefix>:disabled:<app>`, removed by the operator to re-enable the endpoint. */
export class RedisEndpointStates implements EndpointStates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private key(app: string): string {
    return `${this.prefix}:disabled:${app}`;
  }
  async isDisabled(app: string): Promise<boolean> {
    return (await this.redis.exists(this.key(app))) === 1;
  }
  async disable(app: string): Promise<void> {
    await this.redis.set(this.key(app), new Date().toISOString());
  }
  async enable(app: string): Promise<void> {
    await this.redis.del(this.key(app));
  }
}
