// A type only: the gateway loads ioredis only with REDIS_URL (events/index.ts hands the connection in).
import type { Redis } from 'ioredis';
import type { GatewayEvent } from './types.js';

/** One event as the log keeps it: `position` orders the app's log (a Redis Stream entry ID, `<ms>-<seq>`). */
export interface LoggedEvent {
  readonly position: string;
  readonly event: GatewayEvent;
}

/** Events kept per app: the newest `maxEvents`, none older than `maxAgeMs`. */
export interface LogRetention {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
}

/**
 * The replayable per-app event log behind Query.meetingEvents and Subscription.meetingEvents. Positions never leave the
 * gateway: clients name events by their id (the `webhook-id`), which `positionOf` translates.
 */
export interface EventLog {
  /** Adds the event to its app's log; an id the log already has is a no-op (callbacks are retried, sources overlap). */
  append(event: GatewayEvent): Promise<void>;
  /** Where the app's event with this id is, or undefined when the app has no such event (any more). */
  positionOf(app: string, eventId: string): Promise<string | undefined>;
  /** Up to `count` entries after `after` (exclusive; from the oldest without it), oldest first. */
  read(app: string, after: string | undefined, count: number): Promise<LoggedEvent[]>;
  /**
   * Calls `listener` with every entry of the app's log appended from now on, in log order, until the returned function
   * is called. Resolves once the tail is in place: every entry after the one the log ended with then reaches it.
   */
  tail(app: string, listener: (entry: LoggedEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** Orders two positions (`<ms>-<seq>`): negative when a comes first. */
export function comparePositions(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** Without REDIS_URL: each app's log in this process's memory (lost on restart, not shared between replicas). */
export class MemoryEventLog implements EventLog {
  /** `at`: when it was appended (for the age limit); positions count appends, so a clock set back cannot reorder them. */
  private readonly logs = new Map<
    string,
    { entries: Array<LoggedEvent & { at: number }>; byId: Map<string, string> }
  >();
  private readonly listeners = new Map<string, Set<(entry: LoggedEvent) => void>>();
  private seq = 0;

  constructor(
    private readonly retention: LogRetention,
    private readonly now: () => number = Date.now,
  ) {}

  private logOf(app: string) {
    let log = this.logs.get(app);
    if (log === undefined) this.logs.set(app, (log = { entries: [], byId: new Map() }));
    return log;
  }

  async append(event: GatewayEvent): Promise<void> {
    const log = this.logOf(event.app);
    if (log.byId.has(event.id)) return;
    const now = this.now();
    const entry = { position: `0-${++this.seq}`, event };
    log.entries.push({ ...entry, at: now });
    log.byId.set(event.id, entry.position);
    while (
      log.entries.length > this.retention.maxEvents ||
      (log.entries[0] !== undefined && log.entries[0].at < now - this.retention.maxAgeMs)
    )
      log.byId.delete(log.entries.shift()!.event.id);
    for (const listener of [...(this.listeners.get(event.app) ?? [])]) listener(entry);
  }

  async positionOf(app: string, eventId: string): Promise<string | undefined> {
    return this.logs.get(app)?.byId.get(eventId);
  }

  async read(app: string, after: string | undefined, count: number): Promise<LoggedEvent[]> {
    const entries = this.logs.get(app)?.entries ?? [];
    const start = after === undefined ? 0 : entries.findIndex((e) => comparePositions(e.position, after) > 0);
    return start < 0 ? [] : entries.slice(start, start + count).map(({ position, event }) => ({ position, event }));
  }

  async tail(app: string, listener: (entry: LoggedEvent) => void): Promise<() => void> {
    let set = this.listeners.get(app);
    if (set === undefined) this.listeners.set(app, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(app);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/**
 * Appends once per event id, atomically: the id's index key (`…:log-id:{app}:<id>` → stream position, expiring with the
 * log's age) decides; then the stream is trimmed to the retention, by count and by age (Redis' own clock).
 * KEYS: stream, index key. ARGV: event JSON, max events, max age ms.
 */
const APPEND_SCRIPT = `
local known = redis.call('GET', KEYS[2])
if known then return known end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '*', 'event', ARGV[1])
redis.call('SET', KEYS[2], id, 'PX', ARGV[3])
local t = redis.call('TIME')
local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[3])
if oldest > 0 then redis.call('XTRIM', KEYS[1], 'MINID', '=', string.format('%d', oldest)) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return id
`;

type StreamEntries = Array<[id: string, fields: string[]]>;
type RedisConnectionKind = 'commands' | 'reader';

/**
 * With REDIS_URL: a Redis Stream per app, `<prefix>:log:{<app>}` (the hash tag keeps an app's keys in one Cluster slot).
 * Fan-out to the subscribers of every replica is the stream itself: each replica runs one `XREAD BLOCK` per app that has
 * subscribers on it, from the last entry it dispatched. The stream's order is the one order of the app's events, so a
 * replay (XRANGE) and the live tail meet without a gap or a duplicate by comparing positions; a replica that loses its
 * Redis connection for a while reads on from where it was, which pub/sub (at most once, no history) could not.
 */
export class RedisEventLog implements EventLog {
  private readonly redis: Redis;
  private readonly readers = new Map<string, StreamReader>();

  constructor(
    private readonly opts: {
      readonly redis: Redis;
      readonly prefix: string;
      readonly retention: LogRetention;
      /** Each error of a Redis connection of the log (ioredis would print it to stderr without a listener). */
      readonly onRedisError?: (connection: RedisConnectionKind, err: Error) => void;
    },
  ) {
    // Appends fail fast while Redis is away (the callback answers 5xx and BBB retries it): maxRetriesPerRequest 2.
    this.redis = opts.redis;
    this.redis.on('error', (err: Error) => opts.onRedisError?.('commands', err));
    this.redis.defineCommand('appendEvent', { numberOfKeys: 2, lua: APPEND_SCRIPT });
  }

  private streamKey(app: string): string {
    return `${this.opts.prefix}:log:{${app}}`;
  }

  private indexKey(app: string, eventId: string): string {
    return `${this.opts.prefix}:log-id:{${app}}:${eventId}`;
  }

  async append(event: GatewayEvent): Promise<void> {
    const { maxEvents, maxAgeMs } = this.opts.retention;
    await (this.redis as unknown as { appendEvent(...args: string[]): Promise<string> }).appendEvent(
      this.streamKey(event.app),
      this.indexKey(event.app, event.id),
      JSON.stringify(event),
      String(maxEvents),
      String(maxAgeMs),
    );
  }

  /**
   * The index key outlives an entry trimmed by count (MAXLEN): only an entry the stream still holds has a position, so
   * `after` naming a trimmed event is unknown (as in the memory log) instead of silently skipping the events after it.
   */
  async positionOf(app: string, eventId: string): Promise<string | undefined> {
    const position = await this.redis.get(this.indexKey(app, eventId));
    if (position === null) return undefined;
    const kept = (await this.redis.xrange(this.streamKey(app), position, position)) as StreamEntries;
    return kept.length > 0 ? position : undefined;
  }

  async read(app: string, after: string | undefined, count: number): Promise<LoggedEvent[]> {
    const entries = (await this.redis.xrange(
      this.streamKey(app),
      after === undefined ? '-' : `(${after}`,
      '+',
      'COUNT',
      count,
    )) as StreamEntries;
    return entries.flatMap(entryOf);
  }

  async tail(app: string, listener: (entry: LoggedEvent) => void): Promise<() => void> {
    let reader = this.readers.get(app);
    if (reader === undefined) {
      reader = new StreamReader(this.streamKey(app), this.redis, (err) => this.opts.onRedisError?.('reader', err));
      this.readers.set(app, reader);
    }
    const r = reader;
    r.listeners.add(listener);
    try {
      await r.started;
    } catch (err) {
      r.listeners.delete(listener);
      if (r.listeners.size === 0) this.stopReader(app, r);
      throw err;
    }
    return () => {
      r.listeners.delete(listener);
      if (r.listeners.size === 0) this.stopReader(app, r);
    };
  }

  private stopReader(app: string, reader: StreamReader): void {
    if (this.readers.get(app) === reader) this.readers.delete(app);
    reader.stop();
  }

  async close(): Promise<void> {
    for (const [app, reader] of this.readers) this.stopReader(app, reader);
    await this.redis.quit().catch(() => undefined);
    // While Redis is away, QUIT fails and ioredis would go on reconnecting: stop it.
    this.redis.disconnect();
  }

  /** For tests: removes every key of the log. */
  async clear(): Promise<void> {
    const keys = await this.redis.keys(`${this.opts.prefix}:log*`);
    if (keys.length > 0) await this.redis.del(...keys);
  }
}

/** One replica's tail of one app's stream: a connection of its own, blocked in XREAD while there are listeners. */
class StreamReader {
  readonly listeners = new Set<(entry: LoggedEvent) => void>();
  /** Resolves once the position to read from is known (the stream's last entry when the first listener came). */
  readonly started: Promise<void>;
  private readonly blocking: Redis;
  private last = '0-0';
  private stopped = false;

  constructor(key: string, commands: Redis, onError: (err: Error) => void) {
    // Blocking reads wait for Redis to come back (maxRetriesPerRequest: null) instead of failing.
    this.blocking = commands.duplicate({ maxRetriesPerRequest: null });
    this.blocking.on('error', onError);
    this.started = (async () => {
      const newest = (await commands.xrevrange(key, '+', '-', 'COUNT', 1)) as StreamEntries;
      this.last = newest[0]?.[0] ?? '0-0';
    })();
    this.started.then(
      () => void this.loop(key),
      () => this.stop(),
    );
  }

  private async loop(key: string): Promise<void> {
    while (!this.stopped) {
      let answer: Array<[string, StreamEntries]> | null;
      try {
        answer = (await this.blocking.xread('COUNT', 100, 'BLOCK', 0, 'STREAMS', key, this.last)) as Array<
          [string, StreamEntries]
        > | null;
      } catch {
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [, entries] of answer ?? []) {
        for (const entry of entries.flatMap(entryOf)) {
          this.last = entry.position;
          for (const listener of [...this.listeners]) listener(entry);
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.blocking.disconnect();
  }
}

function entryOf([id, fields]: [string, string[]]): LoggedEvent[] {
  const i = fields.indexOf('event');
  if (i < 0 || i % 2 !== 0) return [];
  try {
    return [{ position: id, event: JSON.parse(fields[i + 1]!) as GatewayEvent }];
  } catch {
    return [];
  }
}
