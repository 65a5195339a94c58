/**
 * The callbacks BBB makes to the outside (events.md §1): the GET to `meetingEndedURL` / `meta_endCallbackUrl` when a
 * meeting ends (CallbackUrlService: 5 attempts, now, +30 s, +1 min, +2 min, +5 min, until a 2xx; redirects not followed),
 * and the recording-ready POST after a recording is published (post_publish_recording_ready_callback.rb: one attempt,
 * form `signed_parameters` = JWT `{meeting_id, record_id}` signed with the shared secret, HS256; HS512 in scalelite mode).
 */
import { SignJWT } from 'jose';
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
}

export class CallbackSender {
  /** Every attempt, in order (lost callbacks too, with `lost: true` and no request made). */
  readonly fired: FiredCallback[] = [];
  private readonly toLose: Record<CallbackKind, number> = { ended: 0, 'recording-ready': 0 };
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
