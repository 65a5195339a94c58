import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { BbbError, BbbFailedError, BbbMisconfiguredError } from '../bbb/errors.js';
import { safeMessageKey } from '../bbb/rules.js';
import type { ApiVersion, BbbClient } from '../bbb/types.js';
import type { GatewayMetrics } from '../observability/metrics.js';

type Readiness =
  | { ready: true; bbb: { apiVersion?: string; bbbVersion?: string }; checkedAt: string }
  | { ready: false; reason: string; checkedAt: string };

export interface ReadinessOptions {
  /** Asks BBB with a signed call, so a wrong BBB_SECRET or algorithm (checksumError) makes the gateway unready. */
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
      const result: Readiness = {
        ready: true,
        bbb: { apiVersion: version.apiVersion ?? version.version, bbbVersion: version.bbbVersion },
        checkedAt,
      };
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

/**
 * The gateway's readiness: BBB's API root tells the versions, and a signed isMeetingRunning on an ID no one uses
 * (Scalelite's probe) fails with checksumError when BBB_SECRET or the algorithm is wrong, which the unsigned root cannot
 * notice. Every result sets `bbb_interface_bbb_up`; a change between ready and not ready is logged once.
 */
export function createBbbReadinessCheck(
  client: Pick<BbbClient, 'apiVersion' | 'isMeetingRunning'>,
  options: { timeoutMs: number; cacheMs: number; log: FastifyBaseLogger; metrics: GatewayMetrics },
): ReadinessCheck {
  const { log, metrics } = options;
  let lastReady: boolean | undefined;
  return createReadinessCheck({
    probe: async () => {
      const [version] = await Promise.all([
        client.apiVersion(),
        client.isMeetingRunning(`bbb-interface-readiness-${randomUUID()}`),
      ]);
      return version;
    },
    timeoutMs: options.timeoutMs,
    cacheMs: options.cacheMs,
    onResult: (result, err) => {
      metrics.bbbUp.set(result.ready ? 1 : 0);
      if (result.ready === lastReady) return;
      lastReady = result.ready;
      if (result.ready) log.info({ bbb: result.bbb }, 'ready: BigBlueButton answers');
      else
        log.warn(
          { reason: result.reason, err: err instanceof BbbError ? undefined : err },
          'not ready: BigBlueButton does not answer a signed call as expected',
        );
    },
  });
}

class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
  constructor(timeoutMs: number) {
    super(`BigBlueButton did not answer the readiness probe within ${timeoutMs} ms (READINESS_TIMEOUT_MS).`);
  }
}

function reasonFor(err: unknown): string {
  if (err instanceof BbbMisconfiguredError) {
    return `BigBlueButton rejected the checksum of ${err.call}: BBB_SECRET (or BBB_CHECKSUM_ALGORITHM) does not match the server's (bbb-conf --secret).`;
  }
  // BBB's own message text may echo its configuration; only the call and the messageKey are repeated.
  if (err instanceof BbbFailedError) return `BigBlueButton refused ${err.call} (${safeMessageKey(err.messageKey)}).`;
  // The adapter's other messages name the call and the server's origin, never a query string or the secret.
  if (err instanceof ProbeTimeout || err instanceof BbbError) return err.message;
  return 'The readiness probe failed in an unexpected way; the error was logged.';
}
