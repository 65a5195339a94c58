import type { BbbClient, GetRecordingsParams, Recording, RecordingState } from '../bbb/types.js';
import { GatewayError, recordingNotFound } from '../errors.js';
import { validate } from '../validation.js';
import type { Caller } from '../auth/caller.js';
import { appMetaFilter, isVisible } from '../isolation.js';
import { decodeCursor, encodeCursor, type CursorPosition } from './recording-cursor.js';
import {
  MAX_PAGE_SIZE,
  listRecordingsSchema,
  recordIdsArgSchema,
  updateMetadataSchema,
  type ListRecordingsInput,
  type UpdateMetadataInput,
} from './recording-input.js';

export interface RecordingEdge {
  /** Opaque; pass it as `after` to continue after this recording. */
  cursor: string;
  recording: Recording;
}

export interface RecordingPage {
  edges: RecordingEdge[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface RecordingServiceOptions {
  bbb: BbbClient;
  /** The client to use for one caller's calls (the gateway's counts them on the caller's request); default `bbb`. */
  bbbFor?: (caller: Caller) => BbbClient;
}

// Every state but `deleted`: a deleted recording is gone for publish, unpublish, update and a second delete.
const EXISTING_STATES: RecordingState[] = ['processing', 'processed', 'published', 'unpublished'];
// BBB can only move a recording between these two; the others are still being processed.
const PUBLISHABLE_STATES: ReadonlySet<string> = new Set(['published', 'unpublished']);
// How many deletions before a cursor a next page tolerates on a server that paginates; beyond that it goes by position.
const LOOKBACK = 20;

/**
 * Everything the GraphQL resolvers do with recordings. Isolation works as for meetings: a recording carries the
 * `bbb-interface-app` metadata of the meeting it was made in, BBB is asked for the caller's recordings only, and the
 * answer is filtered again here, because a server that ignored the filter must not leak another app's recordings.
 */
export class RecordingService {
  private readonly bbb: BbbClient;
  private readonly bbbFor: ((caller: Caller) => BbbClient) | undefined;

  constructor(options: RecordingServiceOptions) {
    this.bbb = options.bbb;
    this.bbbFor = options.bbbFor;
  }

  private bbbOf(caller: Caller): BbbClient {
    return this.bbbFor ? this.bbbFor(caller) : this.bbb;
  }

  /**
   * One page of the caller's recordings in the server's order. Pages work whether or not the server honours
   * `offset`/`limit`: BBB 2.6+ does, Scalelite and older BBB answer the whole list, which is then sliced here.
   */
  async listRecordings(caller: Caller, input: ListRecordingsInput): Promise<RecordingPage> {
    const valid = validate(listRecordingsSchema, input, 'camel');
    const cursor = valid.after == null ? undefined : decodeCursor(valid.after);
    const filter: GetRecordingsParams = {
      ...(valid.meetingId ? { meetingID: [valid.meetingId] } : {}),
      ...(valid.states && valid.states.length > 0 ? { state: [...valid.states] } : {}),
      ...appMetaFilter(caller),
    };
    const bbb = this.bbbOf(caller);
    const window = cursor
      ? await this.windowAround(bbb, filter, cursor, valid.first)
      : await this.fetchWindow(bbb, filter, 0, valid.first + 1);
    const from = cursor ? resumeIndex(window, cursor) : 0;

    const edges: RecordingEdge[] = [];
    let i = from;
    for (; i < window.items.length && edges.length < valid.first; i++) {
      const recording = window.items[i]!;
      if (!isVisible(caller, recording)) continue;
      edges.push({
        cursor: encodeCursor({ position: window.base + i, recordId: recording.recordID, wholeList: window.wholeList }),
        recording,
      });
    }
    const moreInWindow = window.items.slice(i).some((r) => isVisible(caller, r));
    return {
      edges,
      // A full window that ends in recordings of other apps (a server that ignored the meta filter) may still go on.
      hasNextPage: moreInWindow || !window.exhausted,
      hasPreviousPage: cursor !== undefined,
    };
  }

  async publishRecordings(caller: Caller, recordIds: readonly string[], publish: boolean): Promise<Recording[]> {
    const { recordIds: ids } = validate(recordIdsArgSchema, { recordIds }, 'camel');
    const targets = await this.ownRecordings(caller, ids);
    const unfinished = targets.find((r) => !PUBLISHABLE_STATES.has(r.state));
    if (unfinished) {
      throw new GatewayError(
        'CONFLICT',
        `The recording "${unfinished.recordID}" is still being processed (state ${unfinished.state.toUpperCase()}); it can be published or unpublished once it is PUBLISHED or UNPUBLISHED.`,
      );
    }
    // BBB echoes the publish parameter, so the flag it returns says nothing about success; FAILED is the failure signal.
    // A recording deleted since the check is BBB's notFound, answered NOT_FOUND about recordings by errors.ts.
    await this.bbbOf(caller).publishRecordings(ids, publish);
    return this.ownRecordings(caller, ids);
  }

  async deleteRecordings(caller: Caller, recordIds: readonly string[]): Promise<void> {
    const { recordIds: ids } = validate(recordIdsArgSchema, { recordIds }, 'camel');
    await this.ownRecordings(caller, ids);
    const deleted = await this.bbbOf(caller).deleteRecordings(ids);
    if (!deleted) throw recordingNotFound();
  }

  /** Sets the given metadata keys on every recording; an empty value removes the key. The isolation tag cannot be changed. */
  async updateRecordingMetadata(caller: Caller, input: UpdateMetadataInput): Promise<Recording[]> {
    const valid = validate(updateMetadataSchema, input, 'camel');
    await this.ownRecordings(caller, valid.recordIds);
    const meta = Object.fromEntries(valid.metadata.map((e) => [e.key, e.value]));
    // Scalelite answers SUCCESS with <updated>false</updated> for a recording it does not know (bbb-api.md §7).
    const updated = await this.bbbOf(caller).updateRecordings(valid.recordIds, meta);
    if (!updated) throw recordingNotFound();
    return this.ownRecordings(caller, valid.recordIds);
  }

  /** The named recordings, in the order named, or NOT_FOUND naming the first that is missing, deleted or another app's. */
  private async ownRecordings(caller: Caller, ids: readonly string[]): Promise<Recording[]> {
    const found = await this.bbbOf(caller).getRecordings({
      recordID: [...ids],
      state: EXISTING_STATES,
      ...appMetaFilter(caller),
    });
    // BBB matches recordID as a prefix, so only exact matches count.
    const wanted = new Set(ids);
    const byId = new Map(
      found
        .filter((r) => wanted.has(r.recordID) && isVisible(caller, r) && r.state !== 'deleted')
        .map((r) => [r.recordID, r]),
    );
    const missing = ids.find((id) => !byId.has(id));
    if (missing !== undefined) throw recordingNotFound(missing);
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * The recordings around and after a cursor: from the cursor's own recording, to check it is still there, to one past
   * the page, to know whether another page follows.
   */
  private async windowAround(
    bbb: BbbClient,
    filter: GetRecordingsParams,
    cursor: CursorPosition,
    first: number,
  ): Promise<Window> {
    const need = 1 + first + 1;
    const window = await this.fetchWindow(bbb, filter, cursor.position, need);
    // An earlier page showed that this server ignores offset and limit: a short answer is its whole list too.
    if (cursor.wholeList) return { ...window, base: 0, exhausted: true, wholeList: true };
    if (indexOf(window, cursor) >= 0 || window.base === 0) return window;
    // Recordings before the cursor were deleted since the previous page, so its recording moved towards the start.
    const back = Math.min(window.base, LOOKBACK);
    const wider = await this.fetchWindow(bbb, filter, window.base - back, need + back);
    if (indexOf(wider, cursor) >= 0) return wider;
    // The same first recording from two different offsets: the server ignores offset and sent its whole (short) list.
    if (wider.items.length > 0 && wider.items[0]!.recordID === window.items[0]?.recordID)
      return { ...wider, base: 0, exhausted: true, wholeList: true };
    return window;
  }

  /**
   * Up to `need` recordings from position `start`, asked for in calls of at most 100 (BBB's clamp). A server that
   * answers more than it was asked for ignored `offset`/`limit` and sent its whole list, which then starts at 0.
   */
  private async fetchWindow(bbb: BbbClient, filter: GetRecordingsParams, start: number, need: number): Promise<Window> {
    const items: Recording[] = [];
    while (items.length < need) {
      const ask = Math.min(MAX_PAGE_SIZE, need - items.length);
      const got = await bbb.getRecordings({ ...filter, offset: start + items.length, limit: ask });
      if (got.length > ask) return { items: got, base: 0, exhausted: true, wholeList: true };
      items.push(...got);
      if (got.length < ask) return { items, base: start, exhausted: true, wholeList: false };
    }
    return { items, base: start, exhausted: false, wholeList: false };
  }
}

/**
 * The most getRecordings calls listRecordings makes for one page (the GraphQL `recordings` field's BBB-call estimate):
 * one window of `first + 1` recordings from the start, or, after a cursor, a window of `first + 2` and possibly a wider
 * one that looks `LOOKBACK` back; each window is asked for in calls of at most MAX_PAGE_SIZE.
 */
export function maxListRecordingsCalls(first: number, withCursor: boolean): number {
  const page = Math.min(Math.max(Math.trunc(first) || 1, 1), MAX_PAGE_SIZE);
  const calls = (need: number) => Math.ceil(need / MAX_PAGE_SIZE);
  return withCursor ? calls(page + 2) + calls(page + 2 + LOOKBACK) : calls(page + 1);
}

interface Window {
  items: Recording[];
  /** Server position of items[0]. */
  base: number;
  /** True when the server has nothing beyond these items. */
  exhausted: boolean;
  /** True when the server is known to ignore offset and limit: items is its whole list. */
  wholeList: boolean;
}

function indexOf(window: Window, cursor: CursorPosition): number {
  return window.items.findIndex((r) => r.recordID === cursor.recordId);
}

/**
 * Where the page after `cursor` starts in the window. The cursor's recordId is looked up first: that finds it whether
 * the server paginated (it is then near items[0]) or sent its whole list without saying so (a short list answered by
 * a server that ignores `offset`). If it is gone (deleted, or no longer in the asked-for states), the recordings after
 * it moved up by one, so the page starts at its old position.
 */
function resumeIndex(window: Window, cursor: CursorPosition): number {
  const index = indexOf(window, cursor);
  return index >= 0 ? index + 1 : Math.max(0, cursor.position - window.base);
}
