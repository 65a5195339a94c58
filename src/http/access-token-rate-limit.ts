import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessGrant } from '../auth/access-tokens.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import {
  createRateLimiter,
  registerRateLimit,
  type RateLimitCharge,
  type RateLimiter,
  type RateLimitOptions,
} from './rate-limit.js';

/** Takes more points from an access token's own budget once an operation's cost is known; throws RATE_LIMITED. */
type AccessTokenCharge = (req: FastifyRequest, points: number) => Promise<void>;

/** The app's limiter, with the access tokens' own budget (undefined without access tokens) for the subscriptions. */
export interface AppRateLimiter extends RateLimiter {
  readonly accessTokenBudget: RateLimiter | undefined;
}

/** Takes `points` from the grant's own budget (`token:<tokenId>`); throws RATE_LIMITED when it is used up. */
export async function chargeAccessToken(
  limiter: RateLimiter,
  metrics: GatewayMetrics,
  grant: AccessGrant,
  points: number,
): Promise<void> {
  const decision = await limiter.consume(`token:${grant.tokenId}`, points);
  if (decision.allowed) return;
  metrics.rateLimited.inc({ app: grant.app });
  throw new GatewayError(
    'RATE_LIMITED',
    `Too many requests for this access token: the limit is ${limiter.points} per ${limiter.durationSeconds} s. Try again in ${decision.retryAfterSeconds} s.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}

/**
 * A request with an access token counts twice: against its app's budget (the app limiter sees the token's app) and,
 * here, against the token's own smaller budget, keyed by the token's random id. One leaked or looping browser then
 * exhausts its own budget, not the whole app's. Like the app's, the budget is in BBB calls: one point on arrival, the
 * rest of an operation's estimate through the returned function. Register after the app limiter.
 */
function registerAccessTokenRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  metrics: GatewayMetrics,
  grantOf: (req: FastifyRequest) => AccessGrant | undefined,
): AccessTokenCharge {
  const charge: AccessTokenCharge = async (req, points) => {
    const grant = grantOf(req);
    if (grant === undefined || points <= 0) return;
    await chargeAccessToken(limiter, metrics, grant, points);
  };
  app.addHook('onRequest', async (req) => {
    if (req.method === 'OPTIONS') return;
    await charge(req, 1);
  });
  return charge;
}

export interface RateLimitsOptions extends Omit<RateLimitOptions, 'log' | 'metrics'> {
  /** An access token's own budget; undefined without access tokens. */
  accessTokenPoints: number | undefined;
  exemptRoutes: ReadonlySet<string>;
  grantOf: (req: FastifyRequest) => AccessGrant | undefined;
}

/**
 * The app's budget, then (with access tokens) the token's own: both hooks registered here, in that order. Returns the
 * charge of an operation's further points (to its app, then to its access token) and the limiter to close, or undefined
 * when rate limiting is off.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  options: RateLimitsOptions,
): Promise<{ charge: RateLimitCharge; limiter: AppRateLimiter } | undefined> {
  const limiter = await createRateLimiter({ ...options, log: app.log, metrics });
  if (!limiter) return undefined;
  const chargeApp = registerRateLimit(app, limiter, metrics, { exemptRoutes: options.exemptRoutes });
  const accessTokenBudget =
    options.accessTokenPoints === undefined
      ? undefined
      : limiter.withBudget(options.accessTokenPoints, `${options.redisKeyPrefix}:access-token`);
  const chargeToken =
    accessTokenBudget === undefined
      ? undefined
      : registerAccessTokenRateLimit(app, accessTokenBudget, metrics, options.grantOf);
  const charge: RateLimitCharge = async (req, reply, points) => {
    await chargeApp(req, reply, points);
    await chargeToken?.(req, points);
  };
  return { charge, limiter: Object.assign(limiter, { accessTokenBudget }) };
}
