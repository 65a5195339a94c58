import type { BbbClient, CreateMeetingResult, MeetingInfo } from '../bbb/types.js';
import { APP_META_KEY, EVENTS_NONCE_META_KEY, RECORD_META_KEY } from '../isolation.js';
import { callbackCreateParams } from './callback-routes.js';
import { eventId, newNonce } from './callback-token.js';
import type { PollScheduler } from './bullmq-polls.js';
import type { GatewayEvent } from './types.js';

export interface MeetingEventsOptions {
  /** PUBLIC_URL, or in dev the address the gateway listens on (known only once it listens, hence a function). */
  readonly publicUrl: () => string;
  readonly tokenKey: Uint8Array;
  readonly emit: (event: GatewayEvent) => Promise<void>;
  readonly bbb: Pick<BbbClient, 'getRecordings'>;
  /** RECORDING_POLL_SCHEDULE_MS: the delays between the recording polls after a recorded meeting ended. */
  readonly pollScheduleMs: readonly number[];
  readonly onError?: (what: string, err: unknown) => void;
  readonly now?: () => Date;
  /** With REDIS_URL: the polls as delayed BullMQ jobs (they survive a restart; one replica polls); else this process's timers. */
  readonly scheduler?: PollScheduler;
  /** WEBHOOK_ANALYTICS_APPS: their meetings also register the analytics callback (and meetingKeepEvents). */
  readonly analyticsApps?: ReadonlySet<string>;
}

/** Sessions whose polls this process started are remembered this long (and at most MAX_STARTED), so a late end signal starts none. */
const STARTED_RETENTION_MS = 7 * 86_400_000;
const MAX_STARTED = 100_000;

/** What createMeeting adds to BBB's create: plain parameters (meetingEndedURL) and metadata (without `meta_`). */
export interface CallbackRegistration {
  readonly nonce: string;
  readonly options: Array<[string, string]>;
  readonly meta: Record<string, string>;
}

/**
 * The events the gateway itself knows of (events.md §5.1): meeting.created when createMeeting succeeds, meeting.ended when
 * endMeeting does (under the same deterministic ID as BBB's end callback, so the two collapse into one event), and the
 * reconciliation of recording.ready: after a recorded meeting ended, getRecordings is polled on RECORDING_POLL_SCHEDULE_MS
 * until a published recording appears; its event ID is the callback's, so whichever comes first is the one event.
 *
 * Without a scheduler the polls run on this replica's timers: a restart loses the pending polls of meetings that ended
 * before it (the callback still arrives; see docs/webhooks.md). With REDIS_URL they are delayed BullMQ jobs (bullmq-polls.ts).
 */
export class MeetingEvents {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Sessions (app, meeting, nonce) being polled, so a second end signal does not start a second poll. */
  private readonly polling = new Set<string>();
  /** Sessions whose polls were started (by when), so an end signal after the polls finished does not start them again. */
  private readonly started = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly opts: MeetingEventsOptions) {}

  /**
   * The callback URLs for one new meeting and the nonce they share (kept as reserved metadata for endMeeting): plain
   * parameters (meetingEndedURL, meetingKeepEvents) go to `options`, which replace any the app or the operator set.
   */
  register(app: string, meetingId: string, record: boolean): CallbackRegistration {
    const nonce = newNonce();
    const analytics = this.opts.analyticsApps?.has(app) ?? false;
    const params = callbackCreateParams(
      this.opts.publicUrl(),
      this.opts.tokenKey,
      { app, meetingId, record, analytics },
      nonce,
      (this.opts.now ?? (() => new Date()))().getTime(),
    );
    const options: Array<[string, string]> = [];
    const meta: Record<string, string> = { [EVENTS_NONCE_META_KEY]: nonce };
    for (const [name, value] of Object.entries(params)) {
      if (name.startsWith('meta_')) meta[name.slice('meta_'.length)] = value;
      else options.push([name, value]);
    }
    return { nonce, options, meta };
  }

  /** Never throws: the meeting exists whatever the queue says (a failure is reported through onError). */
  async created(app: string, meetingId: string, nonce: string, raw: CreateMeetingResult): Promise<void> {
    await this.safeEmit('meeting.created', {
      id: eventId('meeting.created', app, meetingId, nonce),
      app,
      type: 'meeting.created',
      timestamp: this.timestamp(),
      data: { meetingId, internalMeetingId: raw.internalMeetingID, createTime: isoOrRaw(raw.createTime) },
    });
  }

  /**
   * endMeeting succeeded for this meeting (its info as read just before): the app that created it learns of it now. Never
   * throws: the meeting has ended whatever the queue says.
   */
  async endedByGateway(meetingId: string, info: MeetingInfo): Promise<void> {
    const app = info.metadata[APP_META_KEY];
    const nonce = info.metadata[EVENTS_NONCE_META_KEY];
    // A meeting created before events were switched on has no nonce: its end callback (if any) goes elsewhere.
    if (app === undefined || nonce === undefined) return;
    await this.safeEmit('meeting.ended', {
      id: eventId('meeting.ended', app, meetingId, nonce),
      app,
      type: 'meeting.ended',
      timestamp: this.timestamp(),
      data: { meetingId, internalMeetingId: info.internalMeetingID },
    });
    this.ended(app, meetingId, nonce, info.metadata[RECORD_META_KEY] === 'true');
  }

  /** A meeting ended (by endMeeting or BBB's callback): for a recorded one, the recording polls start. */
  ended(app: string, meetingId: string, nonce: string, record: boolean): void {
    if (!record || this.closed || this.opts.pollScheduleMs.length === 0) return;
    if (this.opts.scheduler) {
      const p = this.opts.scheduler
        .start({ app, meetingId, nonce })
        .catch((err: unknown) => this.opts.onError?.('scheduling the recording poll', err));
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
      return;
    }
    const key = JSON.stringify([app, meetingId, nonce]);
    if (this.polling.has(key) || !this.firstStart(key)) return;
    this.polling.add(key);
    this.schedule(key, app, meetingId, nonce, 0);
  }

  /** True the first time a session's polls start (BBB's end callback after endMeeting, a replayed URL: no second round). */
  private firstStart(key: string): boolean {
    const now = Date.now();
    for (const [k, at] of this.started) {
      if (this.started.size < MAX_STARTED && at >= now - STARTED_RETENTION_MS) break;
      this.started.delete(k);
    }
    if (this.started.has(key)) return false;
    this.started.set(key, now);
    return true;
  }

  private schedule(key: string, app: string, meetingId: string, nonce: string, index: number): void {
    const delay = this.opts.pollScheduleMs[index];
    if (delay === undefined || this.closed) {
      this.donePolling(key);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const p = this.poll(app, meetingId, nonce)
        .catch((err: unknown) => {
          this.opts.onError?.('recording poll', err);
          return false;
        })
        .then((found) => (found ? this.donePolling(key) : this.schedule(key, app, meetingId, nonce, index + 1)))
        .then(() => undefined);
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    }, delay);
    this.timers.add(timer);
  }

  private donePolling(key: string): void {
    this.polling.delete(key);
    if (this.polling.size > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves once no recording poll is pending (every one found its recording or used up its schedule). */
  async idle(): Promise<void> {
    if (this.opts.scheduler) {
      await Promise.allSettled([...this.running]);
      return this.opts.scheduler.idle();
    }
    if (this.polling.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once every poll this replica started is in the scheduler (for tests; the polls may still be pending). */
  async pollsScheduled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** One poll of a session, for the BullMQ scheduler's worker. */
  pollOnce(session: { app: string; meetingId: string; nonce: string }): Promise<boolean> {
    return this.poll(session.app, session.meetingId, session.nonce);
  }

  /** One getRecordings: emits recording.ready for each published recording of the session; true when there was one. */
  private async poll(app: string, meetingId: string, nonce: string): Promise<boolean> {
    const recordings = await this.opts.bbb.getRecordings({ meetingID: [meetingId], state: ['published'] });
    const mine = recordings.filter((r) => r.published && r.meetingID === meetingId);
    for (const r of mine) {
      await this.opts.emit({
        id: eventId('recording.ready', app, meetingId, nonce, r.recordID),
        app,
        type: 'recording.ready',
        timestamp: this.timestamp(),
        data: { meetingId, internalMeetingId: r.internalMeetingID, recordId: r.recordID },
      });
    }
    return mine.length > 0;
  }

  private async safeEmit(what: string, event: GatewayEvent): Promise<void> {
    try {
      await this.opts.emit(event);
    } catch (err) {
      this.opts.onError?.(`queueing ${what}`, err);
    }
  }

  private timestamp(): string {
    return (this.opts.now ?? (() => new Date()))().toISOString();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
    await this.opts.scheduler?.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    this.polling.clear();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** BBB's createTime (epoch ms) as an ISO time; a value that is not one is passed on as BBB sent it, never thrown on. */
function isoOrRaw(createTime: string): string {
  const date = new Date(Number(createTime));
  return Number.isNaN(date.getTime()) ? createTime : date.toISOString();
}
