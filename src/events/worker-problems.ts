import type { Worker } from 'bullmq';

/**
 * What goes wrong in a BullMQ worker besides a delivery's own outcome (which AttemptReport carries): its Redis connection
 * fails (`error`), a job fails for a reason the processor did not report itself (`failed`: a crash, the stalled limit),
 * or a job's worker stopped renewing its lock and the job is taken over (`stalled`). Logged and counted in index.ts.
 */
export interface WorkerProblem {
  readonly queue: string;
  readonly kind: 'error' | 'failed' | 'stalled';
  readonly jobId?: string;
  /** Error name, code and message, with any URL cut out (a Redis URL may hold a password, a webhook URL a secret path). */
  readonly reason: string;
}

/**
 * How often a job may stall (its worker died or was blocked past the lock) before BullMQ fails it for good. BullMQ's
 * default, 1, loses an event to two bad moments in a row (a rolling restart that kills two replicas mid-delivery); a
 * stalled delivery is retried under the same webhook-id, which receivers deduplicate, so a few more takeovers cost little.
 * Not unlimited: a job that kills every worker that takes it must end up failed, not loop.
 */
export const MAX_STALLED_COUNT = 3;

function safeReason(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = (err instanceof Error ? err.message : '')
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '<url>')
    .slice(0, 200);
  return `${name}${typeof code === 'string' ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
}

/** The `error` events of a queue's other Redis users (Queue, QueueEvents): unobserved, BullMQ prints them to the console. */
export function watchConnectionErrors(
  emitters: ReadonlyArray<{ on(event: 'error', listener: (err: Error) => void): unknown }>,
  queue: string,
  onProblem: ((problem: WorkerProblem) => void) | undefined,
): void {
  for (const e of emitters)
    e.on('error', (err) => guarded(onProblem, { queue, kind: 'error', reason: safeReason(err) }));
}

function guarded(onProblem: ((problem: WorkerProblem) => void) | undefined, problem: WorkerProblem): void {
  try {
    onProblem?.(problem);
  } catch {
    // A listener that throws must not take the worker down.
  }
}

/** Listens to a worker's error, failed and stalled events (an `error` without a listener would throw). */
export function watchWorker(
  worker: Worker,
  queue: string,
  onProblem: ((problem: WorkerProblem) => void) | undefined,
  /** Failures the processor threw on purpose and reported itself (a retry, a known outcome). */
  expected: (err: Error) => boolean,
): void {
  const report = (problem: WorkerProblem) => guarded(onProblem, problem);
  watchConnectionErrors([worker], queue, onProblem);
  worker.on('failed', (job, err) => {
    if (expected(err)) return;
    report({ queue, kind: 'failed', ...(job?.id !== undefined ? { jobId: job.id } : {}), reason: safeReason(err) });
  });
  worker.on('stalled', (jobId) =>
    report({
      queue,
      kind: 'stalled',
      jobId,
      reason: 'its worker stopped renewing the lock (crashed or blocked); the job is retried',
    }),
  );
}
