import type { MeetingInfo } from '../bbb/types.js';

export interface MeetingInfoCacheOptions {
  /** How long a fetched getMeetingInfo answer is reused, in milliseconds. 0 turns caching and coalescing off. */
  ttlMs: number;
  /** Most meetings kept; the least recently used is dropped first. */
  maxEntries: number;
  /**
   * When an entry is used with less than this many milliseconds left, it is fetched again in the background while it keeps
   * answering, so joins to a busy meeting never wait for BBB after the first. Default 0: entries simply expire.
   */
  refreshAheadMs?: number;
  /** Clock in milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  info: MeetingInfo;
  expiresAt: number;
}

interface Fetch {
  promise: Promise<MeetingInfo>;
  /** Fetches are numbered in the order they start; a caller can tell whether one began before it arrived. */
  seq: number;
}

/**
 * getMeetingInfo for the join path: concurrent requests for one meeting share one BBB call, and the answer is reused
 * briefly, so a burst of 1,000 joins at 9:00 costs BBB one call instead of 1,000. An entry whose createTime differs
 * from what the caller expects is never trusted: the meeting may have been ended and re-created, so it is re-fetched.
 */
export class MeetingInfoCache<Via = never> {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Fetch>();
  private readonly now: () => number;
  private readonly refreshAheadMs: number;
  private fetches = 0;

  constructor(
    /** `via` is what the caller of get passed (the BBB client for its request); a shared fetch uses its starter's. */
    private readonly fetchInfo: (meetingID: string, via?: Via) => Promise<MeetingInfo>,
    private readonly options: MeetingInfoCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.refreshAheadMs = Math.min(options.refreshAheadMs ?? 0, options.ttlMs);
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The meeting's info. With `expectCreateTime`, an entry or a shared answer that is older than that createTime (the
   * meeting was re-created since) is fetched again before it is returned; an answer that still differs is returned as
   * it is, for the caller to decide (CONFLICT).
   */
  async get(meetingID: string, expectCreateTime?: string, via?: Via): Promise<MeetingInfo> {
    if (!this.enabled) return this.fetchInfo(meetingID, via);
    const arrivedAt = this.fetches;
    const entry = this.entries.get(meetingID);
    if (entry) {
      const now = this.now();
      if (entry.expiresAt > now && !olderThan(entry.info, expectCreateTime)) {
        // Re-inserting keeps Map order = recency, which is what eviction walks.
        this.entries.delete(meetingID);
        this.entries.set(meetingID, entry);
        if (entry.expiresAt - now <= this.refreshAheadMs) this.refreshInBackground(meetingID, via);
        return entry.info;
      }
      this.entries.delete(meetingID);
    }
    const joined = this.inflight.get(meetingID) ?? this.startFetch(meetingID, via);
    const info = await joined.promise;
    // A fetch that left before this caller arrived may predate a re-create: one that starts after its arrival decides.
    if (olderThan(info, expectCreateTime) && joined.seq <= arrivedAt)
      return this.fetchShared(meetingID, arrivedAt, via);
    return info;
  }

  invalidate(meetingID: string): void {
    this.entries.delete(meetingID);
    // A fetch already on its way may carry the state from before the change; its answer is not stored.
    this.inflight.delete(meetingID);
  }

  clear(): void {
    this.entries.clear();
    this.inflight.clear();
  }

  /** Joins a fetch for the meeting that started after fetch number `notBefore`, or starts one. */
  private fetchShared(meetingID: string, notBefore: number, via: Via | undefined): Promise<MeetingInfo> {
    const pending = this.inflight.get(meetingID);
    if (pending && pending.seq > notBefore) return pending.promise;
    return this.startFetch(meetingID, via).promise;
  }

  private startFetch(meetingID: string, via: Via | undefined): Fetch {
    const seq = ++this.fetches;
    const startedAt = this.now();
    const record: Fetch = {
      seq,
      promise: this.fetchInfo(meetingID, via)
        .then((info) => {
          if (this.inflight.get(meetingID) === record) this.store(meetingID, info, startedAt);
          return info;
        })
        .finally(() => {
          if (this.inflight.get(meetingID) === record) this.inflight.delete(meetingID);
        }),
    };
    this.inflight.set(meetingID, record);
    return record;
  }

  private refreshInBackground(meetingID: string, via: Via | undefined): void {
    if (this.inflight.has(meetingID)) return;
    // A failed refresh leaves the entry to expire at its time; the next join after that asks BBB itself and sees the error.
    this.startFetch(meetingID, via).promise.catch(() => undefined);
  }

  private store(meetingID: string, info: MeetingInfo, fetchedAt: number): void {
    this.entries.delete(meetingID);
    // The TTL counts from when the request left, so a slow answer is not kept longer than a fast one.
    this.entries.set(meetingID, { info, expiresAt: fetchedAt + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/**
 * True when the caller holds a createTime the cached answer does not match and the answer may be the outdated one:
 * createTimes are epoch milliseconds, and a re-created meeting has a later one. An answer newer than the caller's
 * createTime is final (the caller's link is the outdated one), so it costs no BBB call.
 */
function olderThan(info: MeetingInfo, expectCreateTime: string | undefined): boolean {
  if (expectCreateTime === undefined || info.createTime === expectCreateTime) return false;
  return !(Number(expectCreateTime) < Number(info.createTime));
}
