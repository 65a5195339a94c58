import type { FastifyInstance } from 'fastify';
import { tokenFromHeader } from '../auth/tokens.js';
import { matchesDigest, sha256 } from '../secrets.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { ReadinessCheck } from './readiness.js';

/** Paths that answer without an API token and are never rate limited. */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export interface ProbeRoutesOptions {
  readiness: ReadinessCheck;
  metrics: GatewayMetrics;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; otherwise it is open (keep it off the public listener). */
  metricsToken: string | undefined;
}

/**
 * `GET /healthz`: the process is up and serving (liveness; never calls BBB). `GET /readyz`: BBB answers its API root
 * (readiness; 503 with a reason when it does not). `GET /metrics`: Prometheus text format.
 */
export function registerProbeRoutes(app: FastifyInstance, options: ProbeRoutesOptions): void {
  const { readiness, metrics } = options;
  const expected = options.metricsToken === undefined ? undefined : sha256(options.metricsToken);

  app.get('/healthz', async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (_req, reply) => {
    const result = await readiness.check();
    void reply.header('cache-control', 'no-store');
    if (result.ready) return { status: 'ready', bbb: result.bbb, checkedAt: result.checkedAt };
    return reply.code(503).send({ status: 'not ready', reason: result.reason, checkedAt: result.checkedAt });
  });

  app.get('/metrics', async (req, reply) => {
    if (expected !== undefined) {
      const presented = tokenFromHeader(req.headers.authorization);
      if (presented === undefined || !matchesDigest(presented, expected)) {
        throw new GatewayError(
          'UNAUTHENTICATED',
          'The metrics endpoint needs the header `Authorization: Bearer <METRICS_TOKEN>`.',
        );
      }
    }
    void reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
