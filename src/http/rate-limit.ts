import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { observationOf } from '../observability/request-context.js';

/** A Redis that does not answer within these bounds is treated as gone; requests must not wait on the limiter. */
const REDIS_CONNECT_TIMEOUT_MS = 1_000;
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_RECONNECT_MAX_DELAY_MS = 2_000;
/** Consecutive command timeouts after which a Redis that still looks connected (frozen, partitioned) is cut off. */
const REDIS_BREAKER_TIMEOUTS = 3;

export interface RateLimitOptions {
  /** Requests allowed per key and window; 0 switches rate limiting off. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
  /** With a URL, one Redis store is shared by every replica; without, each replica counts in its own memory. */
  redisUrl: string | undefined;
  /** Namespace of the shared counters in Redis; keys are `<prefix>:app:<name>` and `<prefix>:ip:<address>`. */
  redisKeyPrefix: string;
  log: FastifyBaseLogger;
  metrics: GatewayMetrics;
}

type RateLimitDecision =
  | { allowed: true; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number; resetSeconds: number };

export interface RateLimiter {
  readonly points: number;
  readonly durationSeconds: number;
  /** Takes that many points (default 1) from the key's budget: a request pays for the BBB calls it may make. */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
  /**
   * Another budget over the same store (one Redis connection, one circuit breaker, one `redis_up`): the same window,
   * other points, keys under another prefix. Closing the first limiter releases both.
   */
  withBudget(points: number, redisKeyPrefix: string): RateLimiter;
  /** Releases the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * The per-token limiter, or undefined when switched off. With Redis it fails open to memory: when Redis is unreachable,
 * slow or not yet connected, each replica counts in its own memory until it is back, so a Redis outage loosens the limit
 * to one budget per replica but never fails a request. A Redis that accepts commands but does not answer them (a frozen
 * process keeps its socket open, so ioredis stays "ready") costs at most REDIS_BREAKER_TIMEOUTS command timeouts: then
 * the circuit breaker drops the connection, and until a new one passes ioredis's ready check, no request waits on Redis.
 */
export async function createRateLimiter(options: RateLimitOptions): Promise<RateLimiter | undefined> {
  const { durationSeconds, log, metrics } = options;
  if (options.points === 0) return undefined;

  let redis: Redis | undefined;
  let breaker: CircuitBreaker | undefined;
  if (options.redisUrl !== undefined) {
    metrics.registry.registerMetric(metrics.redisUp);
    metrics.redisUp.set(0);
    redis = await connectRedis(options.redisUrl, log, metrics);
    await firstConnection(redis);
    breaker = circuitBreaker(redis, log, metrics);
  }

  const budget = (points: number, keyPrefix: string, owner: boolean): RateLimiter => {
    const memory = new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix });
    const limiter: Pick<RateLimiterAbstract, 'consume'> =
      redis === undefined || breaker === undefined
        ? memory
        : breaker.guard(
            new RateLimiterRedis({
              storeClient: redis,
              points,
              duration: durationSeconds,
              keyPrefix,
              // While ioredis is not "ready" (down, reconnecting, or cut off by the breaker), no command is sent or awaited.
              rejectIfRedisNotReady: true,
            }),
            memory,
          );
    return {
      points,
      durationSeconds,
      async consume(key, cost = 1) {
        try {
          const res = await limiter.consume(key, cost);
          return { allowed: true, remaining: res.remainingPoints, resetSeconds: seconds(res.msBeforeNext) };
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) {
            return {
              allowed: false,
              retryAfterSeconds: seconds(rejection.msBeforeNext),
              resetSeconds: seconds(rejection.msBeforeNext),
            };
          }
          // Both stores failed (memory should not): let the request through rather than refuse it.
          log.warn({ err: rejection }, 'the rate limiter failed; the request is let through');
          return { allowed: true, remaining: points, resetSeconds: durationSeconds };
        }
      },
      withBudget: (morePoints, prefix) => budget(morePoints, prefix, false),
      async close() {
        if (redis === undefined || !owner) return;
        redis.removeAllListeners('ready');
        redis.removeAllListeners('close');
        redis.disconnect();
      },
    };
  };
  return budget(options.points, options.redisKeyPrefix, true);
}

interface CircuitBreaker {
  /** Redis first, this replica's memory whenever Redis fails or the breaker is open. */
  guard(shared: RateLimiterRedis, fallback: RateLimiterMemory): Pick<RateLimiterAbstract, 'consume'>;
}

/**
 * One breaker per connection, whichever budgets use it. rate-limiter-flexible's insuranceLimiter does the same fallback
 * but hides the error, and the breaker must tell a command timeout from other failures: after REDIS_BREAKER_TIMEOUTS in a
 * row it logs once and makes ioredis drop the connection and reconnect. The new connection only turns "ready" once Redis
 * answers the ready check (INFO), so requests go straight to memory meanwhile, and back to Redis by themselves after.
 */
function circuitBreaker(redis: Redis, log: FastifyBaseLogger, metrics: GatewayMetrics): CircuitBreaker {
  let timeouts = 0;
  // Open from the trip until a new connection is ready: the old one stays "ready" until its socket is gone.
  let open = false;
  redis.on('ready', () => {
    open = false;
    timeouts = 0;
  });
  return {
    guard: (shared, fallback) => ({
      async consume(key, points, options) {
        if (open) return fallback.consume(key, points, options);
        try {
          const res = await shared.consume(key, points, options);
          timeouts = 0;
          return res;
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) throw rejection;
          if (rejection instanceof Error && rejection.message === 'Command timed out') {
            timeouts += 1;
            // Concurrent timeouts of one stall trip the breaker once: the first disconnect leaves "ready".
            if (timeouts >= REDIS_BREAKER_TIMEOUTS && !open) {
              open = true;
              metrics.redisUp.set(0);
              log.warn(
                { store: 'redis', timeouts: REDIS_BREAKER_TIMEOUTS, commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS },
                'Redis does not answer: each replica enforces the rate limit in its own memory until Redis answers again',
              );
              redis.disconnect(true);
            }
          }
          return fallback.consume(key, points, options);
        }
      },
    }),
  };
}

/** ioredis (about 20 MB of RSS once loaded) is loaded only by a gateway with REDIS_URL. */
async function connectRedis(url: string, log: FastifyBaseLogger, metrics: GatewayMetrics): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    // Commands issued while disconnected fail at once (and go to the insurance limiter) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, REDIS_RECONNECT_MAX_DELAY_MS),
    // ioredis arms this timer on disconnect() even when the socket is already gone, and it holds the process up that long.
    disconnectTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  let connected = false;
  let warned = false;
  redis.on('ready', () => {
    metrics.redisUp.set(1);
    if (!connected) log.info({ store: 'redis' }, 'rate limits are shared through Redis');
    connected = true;
    warned = false;
  });
  redis.on('close', () => {
    metrics.redisUp.set(0);
    connected = false;
  });
  // ioredis emits an error per failed reconnect; one warning per outage is enough. The URL (it may hold a password) is never logged.
  redis.on('error', (err: NodeJS.ErrnoException) => {
    if (warned) return;
    warned = true;
    log.warn(
      { store: 'redis', code: err.code },
      'Redis is unreachable: each replica enforces the rate limit in its own memory until Redis is back',
    );
  });
  return redis;
}

/** Waits until Redis is connected or has failed once, so a gateway that can share limits starts sharing them. */
async function firstConnection(redis: Redis): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_CONNECT_TIMEOUT_MS + 100);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export interface RateLimitHookOptions {
  /** Routes never limited: probes and metrics, which load balancers and Prometheus call on their own schedule. */
  exemptRoutes: ReadonlySet<string>;
}

/** Takes more points from the budget of the request's app (or address) once its cost is known; throws RATE_LIMITED. */
export type RateLimitCharge = (req: FastifyRequest, reply: FastifyReply, points: number) => Promise<void>;

/**
 * Charges every request one point against its app's budget (or, without a valid token, its client address's) before
 * the body is read, and refuses an exhausted one with RATE_LIMITED (429) and Retry-After, as JSON on REST and as a
 * GraphQL error on /graphql. A point stands for one BBB call: each REST route makes at most one, and a GraphQL
 * operation that may make more is charged the rest through the returned function once its cost is measured.
 */
export function registerRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  metrics: GatewayMetrics,
  options: RateLimitHookOptions,
): RateLimitCharge {
  const charge: RateLimitCharge = async (req, reply, points) => {
    if (points <= 0) return;
    const appName = observationOf(req)?.app;
    const decision = await limiter.consume(appName === undefined ? `ip:${req.ip}` : `app:${appName}`, points);
    void reply.header('x-ratelimit-limit', String(limiter.points));
    void reply.header('x-ratelimit-remaining', String(decision.allowed ? decision.remaining : 0));
    void reply.header('x-ratelimit-reset', String(decision.resetSeconds));
    if (decision.allowed) return;
    metrics.rateLimited.inc({ app: appName ?? '(anonymous)' });
    const who = appName === undefined ? 'this client address (no valid API token)' : `the app "${appName}"`;
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many requests for ${who}: the limit is ${limiter.points} per ${limiter.durationSeconds} s. Try again in ${decision.retryAfterSeconds} s.`,
      { retryAfterSeconds: decision.retryAfterSeconds },
    );
  };
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'OPTIONS' || options.exemptRoutes.has(req.routeOptions.url ?? '')) return;
    await charge(req, reply, 1);
  });
  return charge;
}
