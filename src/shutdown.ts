/**
 * The gateway's shutdown order, in one place: traffic first (subscription sockets closed while the HTTP drain stops listening,
 * 503 to requests on open connections, wait for those in flight), then fastify and Apollo, and always, whatever failed
 * before, the connections that would keep the process alive (Redis, the webhook workers). Runs once; later calls share it.
 */
export interface ShutdownSteps {
  /** Subscription sockets and SSE streams (1001: clients reconnect to another replica). */
  closeSockets(): Promise<void>;
  /** The HTTP drain (http/drain.ts) for at most SHUTDOWN_DRAIN_MS. */
  drain(): Promise<void>;
  /** fastify, then Apollo. */
  stopServers(): Promise<void>;
  /** Redis connections, BullMQ workers: run even when a step above failed. */
  release(): Promise<void>;
}

export function shutdownOnce(steps: ShutdownSteps): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      try {
        // Together: the drain stops listening (new requests and upgrades get 503) while the sockets close; the drain
        // waits for those sockets too.
        await Promise.all([steps.closeSockets(), steps.drain()]);
        await steps.stopServers();
      } finally {
        await steps.release();
      }
    })());
}
