import { BbbError } from '../bbb/errors.js';
import type { ApiVersion } from '../bbb/types.js';

export type Readiness =
  | { ready: true; bbb: { apiVersion?: string; bbbVersion?: string }; checkedAt: string }
  | { ready: false; reason: string; checkedAt: string };

export interface ReadinessOptions {
  /** Asks BBB's API root (no checksum, so a wrong secret does not make the gateway unready: calls say that instead). */
  probe: () => Promise<ApiVersion>;
  /** A probe that has not answered after this many milliseconds counts as failed. */
  timeoutMs: number;
  /** A result is reused for this many milliseconds; 0 probes on every call (concurrent calls still share one probe). */
  cacheMs: number;
  /** Told every fresh result (metrics, logs). */
  onResult?: (result: Readiness, error: unknown) => void;
}

export interface ReadinessCheck {
  check(): Promise<Readiness>;
}

/**
 * `/readyz`'s answer: is BBB answering? Results are cached and concurrent checks share one probe, so a load balancer
 * probing every second from every node sends BBB at most one request per `cacheMs` per replica.
 */
export function createReadinessCheck(options: ReadinessOptions): ReadinessCheck {
  let cached: { result: Readiness; at: number } | undefined;
  let pending: Promise<Readiness> | undefined;

  // An observer (logs, metrics) that throws must not turn a probe result into a stuck failure.
  function report(result: Readiness, err: unknown): void {
    try {
      options.onResult?.(result, err);
    } catch {
      // Nothing to do: the probe's answer stands.
    }
  }

  async function probeOnce(): Promise<Readiness> {
    const checkedAt = new Date().toISOString();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeout(options.timeoutMs)), options.timeoutMs);
      });
      const version = await Promise.race([options.probe(), timeout]);
      const result: Readiness = { ready: true, bbb: { apiVersion: version.apiVersion ?? version.version, bbbVersion: version.bbbVersion }, checkedAt };
      report(result, undefined);
      return result;
    } catch (err) {
      const result: Readiness = { ready: false, reason: reasonFor(err), checkedAt };
      report(result, err);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async check() {
      if (cached !== undefined && performance.now() - cached.at < options.cacheMs) return cached.result;
      pending ??= probeOnce()
        .then((result) => {
          cached = { result, at: performance.now() };
          return result;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
}

class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
  constructor(timeoutMs: number) {
    super(`BigBlueButton did not answer its API root within ${timeoutMs} ms (READINESS_TIMEOUT_MS).`);
  }
}

function reasonFor(err: unknown): string {
  // The adapter's messages name the call and the server's origin, never a query string or the secret.
  if (err instanceof ProbeTimeout || err instanceof BbbError) return err.message;
  return 'The readiness probe failed in an unexpected way; the error was logged.';
}
