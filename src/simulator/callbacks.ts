/**
 * The callbacks BBB makes to the outside (events.md §1): the GET to `meetingEndedURL` / `meta_endCallbackUrl` when a
 * meeting ends (CallbackUrlService: 5 attempts, now, +30 s, +1 min, +2 min, +5 min, until a 2xx; redirects not followed),
 * the recording-ready POST after a recording is published (post_publish_recording_ready_callback.rb: one attempt,
 * form `signed_parameters` = JWT `{meeting_id, record_id}` signed with the shared secret, HS256; HS512 in scalelite mode),
 * and the analytics POST after a meeting created with meetingKeepEvents=true ended (post_events_analytics_callback.rb:
 * one attempt, JSON `{version, meeting_id, internal_meeting_id, data}` with `Authorization: Bearer <JWT HS512 {exp}>`).
 */
import { SignJWT } from 'jose';
import type { Attendee, Meeting } from './state.js';
import type { CallbackKind, FiredCallback, SimulatorClock } from './types.js';

/** BBB's delays between the end callback's attempts (CallbackUrlService.schedRetryCallback). */
export const BBB_CALLBACK_RETRY_MS: readonly number[] = [30_000, 60_000, 120_000, 300_000];
/** The recording-ready URL is read under these names, the first one present wins (BBB's post_publish script). */
const RECORDING_READY_KEYS = ['bbb-recording-ready-url', 'canvas-recording-ready-url', 'bn-recording-ready-url'];
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface CallbackSenderOptions {
  readonly secret: string;
  readonly jwtAlgorithm: 'HS256' | 'HS512';
  /** Delays between the end callback's attempts; BBB's unless a test compresses them. */
  readonly retryScheduleMs: readonly number[];
  /** Stamps the attempts and times the retries. */
  readonly clock: SimulatorClock;
  /** Scalelite re-posts the analytics body through its own controller, which adds its request parameters. */
  readonly scalelite?: boolean;
  /** How long after the end the analytics POST is sent (BBB's post_events step). */
  readonly analyticsDelayMs?: number;
}

/** The analytics callback URL's meta name, as BBB's post_events script reads it from events.xml. */
const ANALYTICS_KEY = 'analytics-callback-url';
/** The Bearer JWT's lifetime (post_events_analytics_callback.rb: exp = now + 24 h). */
const ANALYTICS_TOKEN_LIFETIME_S = 24 * 3600;

export class CallbackSender {
  /** Every attempt, in order (lost callbacks too, with `lost: true` and no request made). */
  readonly fired: FiredCallback[] = [];
  private readonly toLose: Record<CallbackKind, number> = { ended: 0, 'recording-ready': 0, analytics: 0 };
  private readonly timers = new Set<unknown>();
  private readonly running = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly opts: CallbackSenderOptions) {}

  /** The next `times` callbacks of `kind` are lost: no request is made (as when BBB gives up or the network drops them). */
  lose(kind: CallbackKind, times = 1): void {
    this.toLose[kind] += times;
  }

  /** A meeting ended: BBB calls `meetingEndedURL` as given and `meta_endCallbackUrl` with meetingID and recordingmarks. */
  meetingEnded(m: {
    meetingID: string;
    isBreakout: boolean;
    params: Record<string, string>;
    metadata: Array<[string, string]>;
    recordingMarks: boolean;
  }): void {
    // MeetingService.meetingEnded skips breakout rooms.
    if (m.isBreakout) return;
    const urls: string[] = [];
    const plain = m.params['meetingEndedURL'];
    if (plain) urls.push(plain);
    const meta = m.metadata.find(([k]) => k === 'endcallbackurl')?.[1];
    if (meta) {
      try {
        const u = new URL(meta);
        u.searchParams.append('recordingmarks', String(m.recordingMarks));
        u.searchParams.append('meetingID', m.meetingID);
        urls.push(u.href);
      } catch {
        // BBB's URIBuilder fails on such a value and nothing is called.
      }
    }
    for (const url of urls) {
      if (this.takeLoss('ended', url)) continue;
      this.attemptEnded(url, 1);
    }
  }

  /** A recording was published: one POST to the meeting's recording-ready URL, if it has one. */
  recordingReady(meetingID: string, recordID: string, metadata: Record<string, string>): void {
    const url = RECORDING_READY_KEYS.map((k) => metadata[k]).find((v) => v !== undefined && v !== '');
    if (url === undefined || this.takeLoss('recording-ready', url)) return;
    this.track(
      (async () => {
        const jwt = await new SignJWT({ meeting_id: meetingID, record_id: recordID })
          .setProtectedHeader({ typ: 'JWT', alg: this.opts.jwtAlgorithm })
          .sign(new TextEncoder().encode(this.opts.secret));
        const result = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ signed_parameters: jwt }).toString(),
        });
        this.fired.push({ kind: 'recording-ready', url, attempt: 1, at: this.opts.clock.now(), ...result });
      })(),
    );
  }

  /**
   * A meeting ended: if it was created with meetingKeepEvents=true and carries `meta_analytics-callback-url`, one POST of
   * its bbbevents summary (the attendees it had, each joined once and left at the end; no engagement is simulated).
   */
  analytics(m: Meeting, attendees: readonly Attendee[]): void {
    if (m.isBreakout || m.params['meetingKeepEvents'] !== 'true') return;
    const url = m.metadata.find(([k]) => k === ANALYTICS_KEY)?.[1];
    if (url === undefined || url === '') return;
    const body = analyticsBody(m, attendees, this.opts.scalelite === true, this.opts.clock.now());
    const sendNow = () => {
      if (this.takeLoss('analytics', url)) return;
      this.track(
        (async () => {
          const jwt = await new SignJWT({ exp: Math.floor(this.opts.clock.now() / 1000) + ANALYTICS_TOKEN_LIFETIME_S })
            .setProtectedHeader({ typ: 'JWT', alg: 'HS512' })
            .sign(new TextEncoder().encode(this.opts.secret));
          const result = await send(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${jwt}`,
              'user-agent': 'BigBlueButton Analytics Callback',
            },
            body: JSON.stringify(body),
          });
          this.fired.push({ kind: 'analytics', url, attempt: 1, at: this.opts.clock.now(), ...result });
        })(),
      );
    };
    const delay = this.opts.analyticsDelayMs ?? 0;
    if (delay === 0) return sendNow();
    const timer = this.opts.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) sendNow();
      this.wakeIdle();
    }, delay);
    this.timers.add(timer);
  }

  /** Resolves when no callback is in flight or waiting for its next attempt. */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) this.opts.clock.clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    this.wakeIdle();
  }

  private takeLoss(kind: CallbackKind, url: string): boolean {
    if (this.toLose[kind] === 0) return false;
    this.toLose[kind]--;
    this.fired.push({ kind, url, attempt: 1, at: this.opts.clock.now(), lost: true });
    return true;
  }

  private attemptEnded(url: string, attempt: number): void {
    this.track(
      (async () => {
        const result = await send(url, { method: 'GET' });
        this.fired.push({ kind: 'ended', url, attempt, at: this.opts.clock.now(), ...result });
        const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
        const delay = this.opts.retryScheduleMs[attempt - 1];
        if (ok || delay === undefined || this.closed) return;
        const timer = this.opts.clock.setTimeout(() => {
          this.timers.delete(timer);
          this.attemptEnded(url, attempt + 1);
        }, delay);
        this.timers.add(timer);
      })(),
    );
  }

  private track(p: Promise<void>): void {
    const tracked = p
      .catch(() => {})
      .finally(() => {
        this.running.delete(tracked);
        this.wakeIdle();
      });
    this.running.add(tracked);
  }

  private wakeIdle(): void {
    if (this.running.size > 0 || this.timers.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

async function send(url: string, init: RequestInit): Promise<{ status?: number; error?: string }> {
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  } catch (err) {
    return { error: err instanceof Error ? err.name : 'request failed' };
  }
}

/** Ruby's Time#to_json under ActiveSupport (bbbevents' times): `2026-12-02T14:00:00.000+00:00`, whole seconds. */
function rubyTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+00:00');
}

/** ActiveSupport's `underscore`, as the script applies it to every key: `meetingName` → `meeting_name`, `-` → `_`. */
function underscore(key: string): string {
  return key
    .replace(/([A-Z\d]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/** The body post_events_analytics_callback.rb sends (bbbevents' summary, `gl_*` metadata and internal user IDs removed). */
function analyticsBody(
  m: Meeting,
  attendees: readonly Attendee[],
  scalelite: boolean,
  now: number,
): Record<string, unknown> {
  const end = m.endedAt ?? now;
  // bbbevents: start from the internal meeting ID's timestamp (whole seconds), finish at the last event.
  const start = Math.floor(m.createTime / 1000) * 1000;
  const metadata: Record<string, string> = {};
  const recorded = [...m.metadata, ['meetingId', m.meetingID], ['meetingName', m.name], ['isBreakout', 'false']];
  for (const [k, v] of recorded) if (!k.startsWith('gl_')) metadata[underscore(k)] = v;
  const body = {
    version: '1.0',
    meeting_id: m.meetingID,
    internal_meeting_id: m.internalMeetingID,
    data: {
      metadata,
      duration: Math.floor((end - start) / 1000),
      start: rubyTime(start),
      finish: rubyTime(end),
      attendees: attendees.map((a) => ({
        ext_user_id: a.userID,
        name: a.fullName,
        moderator: a.role === 'MODERATOR',
        joins: [rubyTime(a.joinedAt)],
        leaves: [rubyTime(end)],
        duration: Math.floor(end / 1000) - Math.floor(a.joinedAt / 1000),
        recent_talking_time: 0,
        engagement: { chats: 0, talks: 0, raisehand: 0, emojis: 0, poll_votes: 0, talk_time: 0 },
      })),
      files: m.documents.map((d) => d.filename),
      polls: [],
    },
  };
  // Scalelite's analytics_callback re-posts Rails' params (the JSON body plus its routing parameters) with its own Bearer.
  return scalelite ? { ...body, controller: 'bigbluebutton_api', action: 'analytics_callback' } : body;
}
