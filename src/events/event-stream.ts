import { comparePositions, type EventLog, type LoggedEvent } from './event-log.js';
import type { GatewayEvent } from './types.js';

/** Which of an app's events a reader wants: one meeting's, some types' (all when unset). */
export interface EventFilter {
  readonly meetingId?: string | undefined;
  readonly types?: readonly string[] | undefined;
  /** Types never given, whatever `types` says (an access token's reader gets no meeting.summary). */
  readonly excludeTypes?: readonly string[] | undefined;
  /**
   * Only one instance of the meeting: BBB's createTime (epoch ms) of the session an access token was minted for. An
   * event naming its instance (internalMeetingId = sha1(meetingID)-createTime, or createTime) must name this one; one
   * that does not is kept only when it happened after that createTime.
   */
  readonly createTime?: string | undefined;
}

const REPLAY_BATCH = 200;

export class UnknownEventError extends Error {
  constructor(readonly eventId: string) {
    super('unknown event id');
  }
}

function matches(event: GatewayEvent, filter: EventFilter): boolean {
  return (
    (filter.meetingId === undefined || event.data['meetingId'] === filter.meetingId) &&
    (filter.types === undefined || filter.types.length === 0 || filter.types.includes(event.type)) &&
    !(filter.excludeTypes ?? []).includes(event.type) &&
    (filter.createTime === undefined || ofInstance(event, filter.createTime))
  );
}

function ofInstance(event: GatewayEvent, createTime: string): boolean {
  const internal = event.data['internalMeetingId'];
  if (typeof internal === 'string') return internal.endsWith(`-${createTime}`);
  const created = Date.parse(String(event.data['createTime'] ?? ''));
  if (!Number.isNaN(created)) return created === Number(createTime);
  return Date.parse(event.timestamp) >= Number(createTime);
}

/** The position after which to read: the log's start without `after`; UnknownEventError for an id the app's log lacks. */
async function startOf(log: EventLog, app: string, after: string | undefined): Promise<string | undefined> {
  if (after === undefined) return undefined;
  const position = await log.positionOf(app, after);
  if (position === undefined) throw new UnknownEventError(after);
  return position;
}

/** One page of the app's log, oldest first: up to `first` matching events after the event `after`. */
export async function readEvents(
  log: EventLog,
  app: string,
  query: EventFilter & { readonly first: number; readonly after?: string | undefined },
): Promise<{ events: GatewayEvent[]; hasNextPage: boolean }> {
  let position = await startOf(log, app, query.after);
  const events: GatewayEvent[] = [];
  for (;;) {
    const batch = await log.read(app, position, REPLAY_BATCH);
    for (const entry of batch) {
      position = entry.position;
      if (!matches(entry.event, query)) continue;
      if (events.length === query.first) return { events, hasNextPage: true };
      events.push(entry.event);
    }
    if (batch.length < REPLAY_BATCH) return { events, hasNextPage: false };
  }
}

/**
 * The app's events as a stream: with `after`, first those the log has after that event, then the live ones; without, the
 * live ones from now on. The tail is in place before the replay reads, and an entry at or before the last one sent is
 * skipped, so the seam has no gap and no duplicate. `onEnd` runs once when the consumer stops (return()).
 */
export async function openEventStream(
  log: EventLog,
  app: string,
  filter: EventFilter & { readonly after?: string | undefined },
  onEnd?: () => void,
): Promise<AsyncIterableIterator<GatewayEvent>> {
  const queue = new PushQueue<GatewayEvent>(() => {
    untail?.();
    onEnd?.();
  });
  let last: string | undefined;
  let replaying = true;
  const held: LoggedEvent[] = [];
  const deliver = (entry: LoggedEvent) => {
    if (last !== undefined && comparePositions(entry.position, last) <= 0) return;
    last = entry.position;
    if (matches(entry.event, filter)) queue.push(entry.event);
  };
  let untail: (() => void) | undefined;
  try {
    untail = await log.tail(app, (entry) => (replaying ? held.push(entry) : deliver(entry)));
    last = await startOf(log, app, filter.after);
    if (last !== undefined) {
      for (;;) {
        const batch = await log.read(app, last, REPLAY_BATCH);
        batch.forEach(deliver);
        if (batch.length < REPLAY_BATCH) break;
      }
    }
  } catch (err) {
    untail?.();
    throw err;
  }
  replaying = false;
  held.splice(0).forEach(deliver);
  return queue;
}

/** An async iterator fed by push(); return() ends it at once, even while a next() waits. */
class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private readonly waiting: Array<(r: IteratorResult<T>) => void> = [];
  private done = false;

  constructor(private readonly onEnd: () => void) {}

  push(value: T): void {
    if (this.done) return;
    const w = this.waiting.shift();
    if (w) w({ value, done: false });
    else this.values.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.values.length = 0;
      for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
      this.onEnd();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
