import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessGrant } from '../auth/access-tokens.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * A request with an access token counts twice: against its app's budget (the app limiter sees the token's app) and,
 * here, against the token's own smaller budget, keyed by the token's random id. One leaked or looping browser then
 * exhausts its own budget, not the whole app's. Register after the app limiter.
 */
export function registerAccessTokenRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  metrics: GatewayMetrics,
  grantOf: (req: FastifyRequest) => AccessGrant | undefined,
): void {
  app.addHook('onRequest', async (req) => {
    if (req.method === 'OPTIONS') return;
    const grant = grantOf(req);
    if (grant === undefined) return;
    const decision = await limiter.consume(`token:${grant.tokenId}`);
    if (decision.allowed) return;
    metrics.rateLimited.inc({ app: grant.app });
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many requests for this access token: the limit is ${limiter.points} per ${limiter.durationSeconds} s. Try again in ${decision.retryAfterSeconds} s.`,
      { retryAfterSeconds: decision.retryAfterSeconds },
    );
  });
}
