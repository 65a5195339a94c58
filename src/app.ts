import 'reflect-metadata';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { AccessTokens } from './auth/access-tokens.js';
import { requestIdentity, requireCaller } from './auth/caller.js';
import { createBbbClient } from './bbb/client.js';
import type { BbbCallEvent, BbbClient } from './bbb/types.js';
import type { Config } from './config.js';
import { CALLBACK_ROUTES, createEvents, type Events } from './events/index.js';
import { buildGatewaySchema } from './graphql/schema.js';
import { GRAPHQL_PATH, registerGraphQL } from './graphql/server.js';
import { registerRateLimits } from './http/access-token-rate-limit.js';
import { clientErrorHandler } from './http/client-errors.js';
import { registerDevPages } from './http/dev-pages.js';
import { createDrain } from './http/drain.js';
import { registerErrorHandlers } from './http/error-handler.js';
import { registerLenientJsonParser } from './http/json-body.js';
import { PROBE_ROUTES, registerProbeRoutes } from './http/probe-routes.js';
import { createBbbReadinessCheck, type ReadinessCheck } from './http/readiness.js';
import { registerSecurity } from './http/security.js';
import { registerSubscriptions } from './http/subscriptions.js';
import { MeetingService } from './meetings/meeting-service.js';
import { bbbCallObserver } from './observability/bbb-call-observer.js';
import { noteBbbIds } from './observability/bbb-ids.js';
import { loggerOptions, requestIdOf } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { observeRequests } from './observability/request-hooks.js';
import { RecordingService } from './recordings/recording-service.js';
import { registerLegacyRoutes } from './rest/legacy-routes.js';

export interface GatewayDeps {
  /** Use this BBB client instead of building one from `config.bbb` (tests observe calls this way). */
  bbb?: BbbClient;
  /** Where JSON logs go. Default: stdout. */
  logStream?: DestinationStream;
  /** Serve /examples/browser/demo, which creates a meeting for this app and mints an access token (dev on the simulator). */
  demoApp?: string;
  /** The Redis key prefix of the events queue (tests give each gateway group its own). Default `bbb-interface:events`. */
  eventsKeyPrefix?: string;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly meetings: MeetingService;
  /** `/readyz`'s check (BBB answers a signed call); `main.ts` runs it once at start-up and logs a failure loudly. */
  readonly readiness: ReadinessCheck;
  /** Meeting events (queue, app secrets, callback-token key); `undefined` without WEBHOOK_ENDPOINTS. */
  readonly events: Events | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then releases everything. */
  close(): Promise<void>;
}

/** The composition root: builds the whole gateway from a validated Config; only `main.ts` listens. */
export async function createGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const bbbEvents: ((e: BbbCallEvent) => void)[] = [];
  const onCall = (e: BbbCallEvent) => bbbEvents.forEach((fn) => fn(e));
  // noteBbbIds: the request log line names the meeting (and recordings) the request was about.
  const bbb = noteBbbIds(deps.bbb ?? bbbClient(config, config.bbbDefaults, onCall));
  // Readiness asks with its own short timeout and no retries: a probe must answer quickly, and the next probe is the retry.
  const probeClient = deps.bbb ?? bbbClient(config, { timeoutMs: config.readiness.timeoutMs, retries: 0 }, onCall);

  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    // observeRequests writes one line per request instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestTimeout: config.http.requestTimeoutMs,
    genReqId: requestIdOf,
    // While draining, requests are refused by the drain's hook in the gateway's own shape, not fastify's.
    return503OnClosing: false,
    clientErrorHandler,
  });
  registerErrorHandlers(app, { http: { bodyLimitBytes: config.http.bodyLimitBytes } });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  const drain = createDrain(app);
  drain.closeConnectionsWhileDraining();

  const accessTokens = config.accessTokens.signingKeys.length > 0 ? new AccessTokens(config.accessTokens) : undefined;
  const identity = requestIdentity(config, accessTokens);
  const metrics = createMetrics();
  bbbEvents.push(bbbCallObserver(metrics, app.log));
  identity.registerAccessTokens(app, GRAPHQL_PATH);
  observeRequests(app, { metrics, appOf: (req) => identity.authOf(req).caller?.app, quietRoutes: PROBE_ROUTES });
  await registerSecurity(app, {
    corsOrigins: config.http.corsOrigins,
    corsLocalhost: config.http.corsLocalhost,
    graphqlPath: GRAPHQL_PATH,
  });
  drain.refuseRequestsWhileDraining();
  // BBB's callbacks are not an app's requests: they carry their own token and must not be refused for the BBB host's address.
  const rateLimits = await registerRateLimits(app, metrics, {
    ...config.rateLimit,
    accessTokenPoints: accessTokens ? config.accessTokens.rateLimitPoints : undefined,
    exemptRoutes: new Set([...PROBE_ROUTES, ...CALLBACK_ROUTES]),
    grantOf: (req) => identity.authOf(req).access,
  });
  registerLenientJsonParser(app);

  const eventsKeyPrefix = deps.eventsKeyPrefix ?? config.webhooks.redisKeyPrefix;
  const events = await createEvents(app, config, app.log, metrics, bbb, eventsKeyPrefix);
  const meetings = new MeetingService({
    bbb,
    joinCache: config.joinCache,
    sendJoinPassword: config.bbbDefaults.sendJoinPassword,
    createPolicy: config.createPolicy,
    events: events?.meetings,
  });
  const recordings = new RecordingService({ bbb });
  const schema = await buildGatewaySchema({ meetings, recordings, accessTokens, events });
  const apollo = await registerGraphQL(app, {
    schema,
    graphql: config.graphql,
    authOf: identity.authOf,
    chargeRateLimit: rateLimits?.charge,
  });

  const subscriptions = await registerSubscriptions(app, {
    schema,
    identity,
    events,
    config,
    metrics,
    rateLimiter: rateLimits?.limiter,
  });

  registerDevPages(app, { ...config, graphqlPath: GRAPHQL_PATH, meetings, accessTokens, demoApp: deps.demoApp });
  registerLegacyRoutes(app, { meetings, callerOf: (req) => requireCaller(identity.authOf(req)) });
  const readiness = createBbbReadinessCheck(probeClient, { ...config.readiness, log: app.log, metrics });
  registerProbeRoutes(app, { readiness, metrics, metricsToken: config.metrics.token });
  await app.ready();

  let closing: Promise<void> | undefined;
  return {
    app,
    meetings,
    readiness,
    events,
    close() {
      // Stops listening, answers requests on open connections with 503, waits for those in flight; then the rest.
      closing ??= (async () => {
        try {
          // Together: the drain stops listening (new requests and upgrades get 503) while the sockets close (1001: clients
          // reconnect to another replica); the drain waits for those sockets too.
          await Promise.all([subscriptions.close(), drain.start(config.shutdownDrainMs)]);
          await app.close();
          await apollo.stop();
        } finally {
          // Whatever failed above, the Redis connections and the webhook workers must not keep the process alive.
          await rateLimits?.limiter.close();
          await events?.close();
        }
      })();
      return closing;
    },
  };
}

/** A BBB client for `config.bbb`, with its own timeout and retries (the readiness probe's are shorter). */
function bbbClient(
  config: Config,
  attempts: { timeoutMs: number; retries: number },
  onCall: (e: BbbCallEvent) => void,
): BbbClient {
  if (!config.bbb) throw new Error('createGateway needs config.bbb or deps.bbb');
  return createBbbClient({
    baseUrl: config.bbb.url,
    secret: config.bbb.secret,
    algorithm: config.bbbDefaults.algorithm,
    timeoutMs: attempts.timeoutMs,
    retries: attempts.retries,
    maxResponseBytes: config.bbbDefaults.maxResponseBytes,
    onCall,
  });
}
