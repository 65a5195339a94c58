import type { MeetingInfo } from '../bbb/types.js';

export interface MeetingInfoCacheOptions {
  /** How long a fetched getMeetingInfo answer is reused, in milliseconds. 0 turns caching and coalescing off. */
  ttlMs: number;
  /** Most meetings kept; the least recently used is dropped first. */
  maxEntries: number;
  /** Clock in milliseconds; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  info: MeetingInfo;
  expiresAt: number;
}

/**
 * getMeetingInfo for the join path: concurrent requests for one meeting share one BBB call, and the answer is reused
 * briefly, so a burst of 1,000 joins at 9:00 costs BBB one call instead of 1,000. An entry whose createTime differs
 * from what the caller expects is never trusted: the meeting may have been ended and re-created, so it is re-fetched.
 */
export class MeetingInfoCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<MeetingInfo>>();
  private readonly now: () => number;

  constructor(
    private readonly fetchInfo: (meetingID: string) => Promise<MeetingInfo>,
    private readonly options: MeetingInfoCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The meeting's info; cached unless `expectCreateTime` is given and differs from the cached entry. */
  async get(meetingID: string, expectCreateTime?: string): Promise<MeetingInfo> {
    if (!this.enabled) return this.fetchInfo(meetingID);
    const entry = this.entries.get(meetingID);
    if (entry) {
      if (entry.expiresAt > this.now() && (expectCreateTime === undefined || entry.info.createTime === expectCreateTime)) {
        // Re-inserting keeps Map order = recency, which is what eviction walks.
        this.entries.delete(meetingID);
        this.entries.set(meetingID, entry);
        return entry.info;
      }
      this.entries.delete(meetingID);
    }
    return this.fetchShared(meetingID);
  }

  invalidate(meetingID: string): void {
    this.entries.delete(meetingID);
  }

  clear(): void {
    this.entries.clear();
  }

  private fetchShared(meetingID: string): Promise<MeetingInfo> {
    const pending = this.inflight.get(meetingID);
    if (pending) return pending;
    const startedAt = this.now();
    const promise = this.fetchInfo(meetingID)
      .then((info) => {
        this.store(meetingID, info, startedAt);
        return info;
      })
      .finally(() => this.inflight.delete(meetingID));
    this.inflight.set(meetingID, promise);
    return promise;
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
