import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { sha256Hex } from '../secrets.js';
import { MAX_STALLED_COUNT, watchConnectionErrors, watchWorker, type WorkerProblem } from './worker-problems.js';

/** One recorded meeting's session whose recording is awaited. */
export interface PollSession {
  readonly app: string;
  readonly meetingId: string;
  readonly nonce: string;
}

/** Where MeetingEvents keeps its recording polls: its own timers, or delayed jobs on Redis. */
export interface PollScheduler {
  /** Starts the polls of one session; a second start of the same session (another replica, BBB's callback) is a no-op. */
  start(session: PollSession): Promise<void>;
  /** Resolves once no poll is pending (on every replica sharing the queue). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface BullMqPollsOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  /** RECORDING_POLL_SCHEDULE_MS: the delay before the first poll, then between polls. */
  readonly scheduleMs: readonly number[];
  /** One getRecordings; true when the recording was found (and recording.ready emitted). */
  readonly poll: (session: PollSession) => Promise<boolean>;
  /** A poll that failed (BBB unreachable, …); it counts as one of the schedule's polls. */
  readonly onError?: (what: string, err: unknown) => void;
  /** The worker's Redis errors, stalls and unexpected failures (worker-problems.ts). */
  readonly onWorkerProblem?: (problem: WorkerProblem) => void;
}

const QUEUE_NAME = 'recording-polls';
/** Finished polls are kept a day (their outcome is there to look at). */
const KEEP_S = 86_400;
/**
 * A session's polls start once: `<prefix>:recording-polls-started:<job id>` (SET NX) outlives the job by far, so an end
 * signal after the polls finished (BBB's callback after endMeeting, a replayed URL) starts no second round.
 */
const STARTED_S = 7 * 86_400;

class NotYet extends Error {
  constructor() {
    super('no published recording yet');
  }
}

/**
 * Recording polls as one delayed BullMQ job per session (job id from app, meeting and nonce): they survive a restart, any
 * replica's worker runs the due ones, and the end signals of several replicas start one job. Each attempt is one poll; the
 * custom backoff walks the schedule, and the job fails once it is used up.
 */
export class BullMqPolls implements PollScheduler {
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly events: QueueEvents;
  private readonly marks: Redis;
  /** Poll errors onError has already reported (the worker's failed event then says nothing more). */
  private readonly reported = new WeakSet<Error>();
  private readonly connections: Redis[] = [];

  constructor(private readonly opts: BullMqPollsOptions) {
    const connection = (maxRetriesPerRequest: number | null) => {
      const c = new Redis(opts.redisUrl, { maxRetriesPerRequest });
      this.connections.push(c);
      return c;
    };
    this.queue = new Queue(QUEUE_NAME, { connection: connection(2), prefix: opts.prefix });
    this.marks = connection(2);
    this.worker = new Worker(QUEUE_NAME, (job: Job<PollSession>) => this.process(job), {
      connection: connection(null),
      prefix: opts.prefix,
      concurrency: 5,
      // Started by run(), once whatever the polls call exists (a job due at start-up would otherwise find nothing to call).
      autorun: false,
      maxStalledCount: MAX_STALLED_COUNT,
      settings: { backoffStrategy: (attemptsMade: number) => opts.scheduleMs[attemptsMade] ?? 0 },
    });
    watchWorker(
      this.worker,
      QUEUE_NAME,
      opts.onWorkerProblem,
      (err) => err instanceof NotYet || this.reported.has(err),
    );
    this.events = new QueueEvents(QUEUE_NAME, { connection: connection(null), prefix: opts.prefix });
    watchConnectionErrors([this.queue, this.events], QUEUE_NAME, opts.onWorkerProblem);
  }

  /** Starts this replica's worker. */
  run(): void {
    void this.worker.run().catch(() => undefined);
  }

  private async process(job: Job<PollSession>): Promise<void> {
    let found: boolean;
    try {
      found = await this.opts.poll(job.data);
    } catch (err) {
      this.opts.onError?.('recording poll', err);
      if (err instanceof Error) this.reported.add(err);
      throw err;
    }
    if (!found) throw new NotYet();
  }

  async start(session: PollSession): Promise<void> {
    const first = this.opts.scheduleMs[0];
    if (first === undefined) return;
    const jobId = `poll_${sha256Hex(JSON.stringify([session.app, session.meetingId, session.nonce])).slice(0, 32)}`;
    const mark = `${this.opts.prefix}:recording-polls-started:${jobId}`;
    // Started before (its job may be gone: kept a day, the mark 7).
    if ((await this.marks.exists(mark)) === 1) return;
    // The job first, then the mark: a crash between them leaves a job that the next end signal finds (the job id dedupes)
    // and marks, never a mark without a job (a session then never polled). Two replicas starting at once add one job.
    await this.queue.add('poll', session, {
      jobId,
      delay: first,
      attempts: this.opts.scheduleMs.length,
      backoff: { type: 'custom' },
      removeOnComplete: { age: KEEP_S },
      removeOnFail: { age: KEEP_S },
    });
    await this.marks.set(mark, new Date().toISOString(), 'EX', STARTED_S, 'NX');
  }

  async idle(): Promise<void> {
    await this.events.waitUntilReady();
    for (;;) {
      let wake!: () => void;
      const settled = new Promise<void>((resolve) => (wake = resolve));
      this.events.on('completed', wake);
      this.events.on('failed', wake);
      try {
        const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) return;
        await settled;
      } finally {
        this.events.off('completed', wake);
        this.events.off('failed', wake);
      }
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.events.close();
    await this.queue.close();
    await Promise.allSettled(this.connections.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
  }

  /** For tests: removes every key of this queue. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
    // SCAN, not KEYS: a Redis shared with production queues is not blocked while the marks are found.
    const scan = this.marks.scanStream({ match: `${this.opts.prefix}:recording-polls-started:*`, count: 500 });
    for await (const marks of scan as AsyncIterable<string[]>) if (marks.length > 0) await this.marks.del(...marks);
  }
}
