import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyApollo from '@as-integrations/fastify';
import type { DestinationStream } from 'pino';
import { Authenticator, UNAUTHENTICATED_MESSAGE } from './auth/authenticator.js';
import { createBbbClient } from './bbb/client.js';
import { BbbError } from './bbb/errors.js';
import type { BbbCallEvent, BbbClient } from './bbb/types.js';
import type { Config } from './config.js';
import { GatewayError, MASKED_INTERNAL_MESSAGE, toGatewayError } from './errors.js';
import { CALLBACK_ROUTES, createEvents, type Events } from './events/index.js';
import type { GatewayContext } from './graphql/context.js';
import { mayRunWithoutToken, operationAuthorizer, unauthenticatedMessage } from './graphql/auth-plugin.js';
import { complexityLimitPlugin, depthLimitRule, documentSizeRule } from './graphql/limits.js';
import { clientErrorHandler } from './http/client-errors.js';
import { PROBE_ROUTES, registerProbeRoutes } from './http/probe-routes.js';
import { createRateLimiter, registerRateLimit } from './http/rate-limit.js';
import { createReadinessCheck, type ReadinessCheck } from './http/readiness.js';
import { registerSecurity } from './http/security.js';
import { registerSubscriptions } from './http/subscriptions.js';
import { registerAccessTokenRateLimit } from './http/access-token-rate-limit.js';
import { registerBrowserExample, registerExplorer } from './http/dev-pages.js';
import { AccessTokens, looksLikeJwt, type AccessGrant, type AccessScope } from './auth/access-tokens.js';
import { tokenFromHeader } from './auth/tokens.js';
import { bbbCallObserver } from './observability/bbb-call-observer.js';
import { operationObserverPlugin } from './observability/graphql-operation-plugin.js';
import { scrubbingLogStream } from './observability/log-stream.js';
import { createMetrics } from './observability/metrics.js';
import { loggableMessage, observationOf } from './observability/request-context.js';
import { noteBbbIds } from './observability/bbb-ids.js';
import { observeRequests } from './observability/request-hooks.js';
import { buildGatewaySchema } from './graphql/schema.js';
import { MeetingService, type Caller } from './meetings/meeting-service.js';
import { RecordingService } from './recordings/recording-service.js';
import { registerLegacyRoutes, requireCaller } from './rest/legacy-routes.js';

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
  /** Meeting events (log, queue, app secrets, callback-token key); `undefined` without WEBHOOK_SIGNING_KEY. */
  readonly events: Events | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then releases everything. */
  close(): Promise<void>;
}

/** Who a request is: an app (API token), an access token's grant for its app, or nobody (and why a token was refused). */
interface RequestAuth {
  caller: Caller | undefined;
  access?: AccessGrant;
  accessRefusal?: string;
}

/** Values that must never reach a log line, wherever they appear in a logged object. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'secret',
  'token',
  'password',
  '*.password',
  '*.secret',
  '*.token',
];

/** The composition root: builds the whole gateway from a validated Config; only `main.ts` listens. */
export async function createGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const bbbEvents: ((e: BbbCallEvent) => void)[] = [];
  const clientWith = (timeoutMs: number, retries: number): BbbClient =>
    createBbbClient({
      baseUrl: requireBbb(config).url,
      secret: requireBbb(config).secret,
      algorithm: config.bbbDefaults.algorithm,
      timeoutMs,
      retries,
      maxResponseBytes: config.bbbDefaults.maxResponseBytes,
      onCall: (e) => bbbEvents.forEach((fn) => fn(e)),
    });
  // noteBbbIds: the request log line names the meeting (and recordings) the request was about.
  const bbb = noteBbbIds(deps.bbb ?? clientWith(config.bbbDefaults.timeoutMs, config.bbbDefaults.retries));
  // Readiness asks with its own short timeout and no retries: a probe must answer quickly, and the next probe is the retry.
  const probeClient = deps.bbb ?? clientWith(config.readiness.timeoutMs, 0);

  const app = Fastify({
    logger: {
      name: 'bbb-interface',
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        // Only the path: GraphQL GET requests carry variables (passwords) in the query string.
        req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
      },
      stream: scrubbingLogStream(secretsOf(config), deps.logStream),
    },
    // observeRequests writes one line per request instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestTimeout: config.http.requestTimeoutMs,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // While draining, requests are refused by the hook below in the gateway's own shape, not fastify's.
    return503OnClosing: false,
    clientErrorHandler,
  });

  // Set before any route is added: a route keeps the error handler that was in force when it was registered.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    sendError(
      req,
      reply,
      new GatewayError(
        'NOT_FOUND',
        `No route ${req.method} ${path}. The gateway serves POST /create, POST /join and GraphQL at /graphql.`,
      ),
    );
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    sendError(req, reply, fromFastifyError(error, config.http.bodyLimitBytes));
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // server.close() reaps only the keep-alive sockets idle at that moment; a socket busy with a request would stay open after
  // its answer and hold the shutdown up, so every answer sent while draining closes its connection.
  let draining = false;
  app.addHook('onSend', async (_req, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });

  const auth = new Authenticator(config.tokens, config.allMeetingsApps);
  const accessTokens = config.accessTokens.signingKeys.length > 0 ? new AccessTokens(config.accessTokens) : undefined;
  const metrics = createMetrics();
  bbbEvents.push(bbbCallObserver(metrics, app.log));
  // The token is hashed and compared (or an access token verified) once per request, however many places ask who calls.
  const auths = new WeakMap<FastifyRequest, RequestAuth>();
  const authOfRequest = (req: FastifyRequest): RequestAuth => {
    let found = auths.get(req);
    if (found === undefined) auths.set(req, (found = { caller: auth.callerFor(req.headers.authorization) }));
    return found;
  };
  const callerOfRequest = (req: FastifyRequest): Caller | undefined => authOfRequest(req).caller;
  // Access tokens count on /graphql only; verifying one is asynchronous, so it is done here, before anything asks.
  if (accessTokens) {
    app.addHook('onRequest', async (req) => {
      if (req.url.split('?')[0] !== '/graphql') return;
      const token = tokenFromHeader(req.headers.authorization);
      if (token === undefined || !looksLikeJwt(token)) return;
      const result = await accessTokens.verify(token);
      if ('grant' in result) {
        const { grant } = result;
        // A token outlives nothing: once its app's API token is removed from API_TOKENS, its access tokens stop too.
        const caller = auth.callerForApp(grant.app);
        auths.set(
          req,
          caller
            ? { caller, access: grant }
            : { caller: undefined, accessRefusal: `its app "${grant.app}" is no longer configured` },
        );
      } else if (!auth.callerFor(req.headers.authorization)) {
        // (An app token that merely looks like a JWT stays an app token.)
        auths.set(req, { caller: undefined, accessRefusal: result.refused });
      }
    });
  }
  observeRequests(app, { metrics, appOf: (req) => callerOfRequest(req)?.app, quietRoutes: PROBE_ROUTES });
  await registerSecurity(app, {
    corsOrigins: config.http.corsOrigins,
    corsLocalhost: config.http.corsLocalhost,
    graphqlPath: '/graphql',
  });
  // A request that reaches a draining gateway (over a keep-alive connection) is answered, never reset: 503 and
  // `Connection: close`, so a load balancer retries it on another replica.
  app.addHook('onRequest', async () => {
    if (draining)
      throw new GatewayError(
        'SHUTTING_DOWN',
        'This gateway instance is shutting down; send the request again (another instance will answer it).',
      );
  });
  const rateLimiter = await createRateLimiter({ ...config.rateLimit, log: app.log, metrics });
  // BBB's callbacks are not an app's requests: they carry their own token and must not be refused for the BBB host's address.
  const chargeRateLimit = rateLimiter
    ? registerRateLimit(app, rateLimiter, metrics, { exemptRoutes: new Set([...PROBE_ROUTES, ...CALLBACK_ROUTES]) })
    : undefined;
  const tokenLimiter =
    rateLimiter && accessTokens
      ? rateLimiter.withBudget(config.accessTokens.rateLimitPoints, `${config.rateLimit.redisKeyPrefix}:access-token`)
      : undefined;
  const chargeAccessToken = tokenLimiter
    ? registerAccessTokenRateLimit(app, tokenLimiter, metrics, (req) => authOfRequest(req).access)
    : undefined;

  // Legacy clients do not always label their JSON (text/plain, or nothing); what is not JSON is still refused with 400.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(FORM_TYPES.test(req.headers['content-type'] ?? '') ? formNotJson() : badJson(), undefined);
    }
  });

  const events = await createEvents(
    app,
    config,
    app.log,
    metrics,
    bbb,
    deps.eventsKeyPrefix ?? config.webhooks.redisKeyPrefix,
  );
  const meetings = new MeetingService({
    bbb,
    joinCache: config.joinCache,
    sendJoinPassword: config.bbbDefaults.sendJoinPassword,
    createPolicy: config.createPolicy,
    events: events?.meetings,
  });

  const recordings = new RecordingService({ bbb });
  const schema = await buildGatewaySchema({ meetings, recordings, accessTokens, events });
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    operationObserverPlugin(),
    // Authorised first, then measured, then charged, in this order: every request has paid one point on arrival, and an
    // operation that may make more BBB calls pays the rest (to its app, and to its access token) before it runs.
    complexityLimitPlugin<GatewayContext>(config.graphql, {
      authorize: operationAuthorizer({ introspection: config.graphql.introspection }),
      onMeasured: async (ctx, cost) => (ctx.caller ? ctx.chargeRateLimit?.(cost.bbbCalls - 1) : undefined),
    }),
    config.graphql.sandbox
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : ApolloServerPluginLandingPageDisabled(),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: config.graphql.introspection,
    // Where the schema is not to be read (introspection off, as in production), no "Did you mean …?" hints it either,
    // also to a caller with a token (an access token in a student's browser, say).
    hideSchemaDetailsFromClientErrors: !config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules: [documentSizeRule(config.graphql), depthLimitRule(config.graphql)],
    // main.ts owns the signals and closes the gateway, which stops Apollo after the HTTP server has drained.
    stopOnTerminationSignals: false,
    plugins,
    // Every credential is the Authorization header, which a cross-site page cannot send without a CORS preflight, so a
    // request carrying it is no CSRF risk, GET included (urql's default, graphql-request's GET mode). Without it, only
    // introspection could run; those requests still need a non-simple content type or an Apollo preflight header.
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    formatError: (formatted) => {
      const code = formatted.extensions?.code;
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      // Apollo's own wording tells the reader to pass an option to ApolloServer; an operator sets an env variable.
      if (extensions.validationErrorCode === 'INTROSPECTION_DISABLED')
        return { ...formatted, message: INTROSPECTION_OFF_MESSAGE, extensions };
      return code === 'INTERNAL_SERVER_ERROR'
        ? { ...formatted, message: MASKED_INTERNAL_MESSAGE, extensions }
        : { ...formatted, extensions };
    },
  });
  await apollo.start();

  // Without a valid token only introspection gets as far as Apollo; anything else is refused here, before any validation.
  app.addHook('preHandler', async (req) => {
    const { caller, accessRefusal } = authOfRequest(req);
    // A WebSocket upgrade authenticates in graphql-ws' connection_init (closing with 4401/4403), see http/subscriptions.ts.
    if (req.routeOptions.url !== '/graphql' || caller !== undefined || req.ws) return;
    // A batch (an array body) is refused too, whatever Apollo's batching setting: only one introspection query gets in.
    const batch = req.method !== 'GET' && Array.isArray(req.body);
    const query =
      req.method === 'GET'
        ? (req.query as { query?: unknown }).query
        : (req.body as { query?: unknown } | undefined)?.query;
    if (batch || !mayRunWithoutToken(query, config.graphql))
      throw new GatewayError('UNAUTHENTICATED', unauthenticatedMessage(accessRefusal));
  });

  await app.register(fastifyApollo(apollo), {
    context: async (req, reply): Promise<GatewayContext> => ({
      ...authOfRequest(req),
      requestId: req.id,
      log: req.log,
      chargeRateLimit:
        chargeRateLimit &&
        (async (points) => {
          await chargeRateLimit(req, reply, points);
          await chargeAccessToken?.(req, points);
        }),
    }),
  });

  const subscriptions = await registerSubscriptions(app, {
    schema,
    auth,
    accessTokens,
    events,
    config,
    metrics,
    rateLimiter,
  });

  if (config.graphql.sandbox && !registerExplorer(app, '/graphql'))
    app.log.debug('GraphiQL is not installed; the offline explorer is off');
  if (config.nodeEnv === 'development') {
    const { demoApp } = deps;
    registerBrowserExample(app, {
      demoToken:
        demoApp !== undefined && accessTokens
          ? async () => {
              const caller = { app: demoApp, allMeetings: false };
              const created = await meetings.createMeeting(caller, { name: 'Browser example' });
              const { meetingId, createTime } = created;
              const grant = {
                app: demoApp,
                meetingId,
                createTime,
                scopes: ['JOIN', 'READ_MEETING'] as AccessScope[],
                role: 'VIEWER' as const,
              };
              return (
                await accessTokens.issue(
                  { ...grant, name: 'Demo student', userId: undefined, avatar: undefined, isGuest: false },
                  600,
                )
              ).token;
            }
          : undefined,
    });
  }

  registerLegacyRoutes(app, {
    meetings,
    callerOf: (req) => requireCaller(callerOfRequest(req), UNAUTHENTICATED_MESSAGE),
  });

  let lastReady: boolean | undefined;
  const readiness = createReadinessCheck({
    // The API root tells the versions; the signed isMeetingRunning on an ID no one uses (Scalelite's probe) fails with
    // checksumError when BBB_SECRET or the algorithm is wrong, which the unsigned root cannot notice.
    probe: async () => {
      const [version] = await Promise.all([
        probeClient.apiVersion(),
        probeClient.isMeetingRunning(`bbb-interface-readiness-${randomUUID()}`),
      ]);
      return version;
    },
    timeoutMs: config.readiness.timeoutMs,
    cacheMs: config.readiness.cacheMs,
    onResult: (result, err) => {
      metrics.bbbUp.set(result.ready ? 1 : 0);
      if (result.ready === lastReady) return;
      lastReady = result.ready;
      if (result.ready) app.log.info({ bbb: result.bbb }, 'ready: BigBlueButton answers');
      else
        app.log.warn(
          { reason: result.reason, err: err instanceof BbbError ? undefined : err },
          'not ready: BigBlueButton does not answer a signed call as expected',
        );
    },
  });
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
        draining = true;
        try {
          await subscriptions.close();
          await drain(app.server, config.shutdownDrainMs);
          await app.close();
          await apollo.stop();
        } finally {
          // Whatever failed above, the Redis connections and the webhook workers must not keep the process alive.
          await rateLimiter?.close();
          await events?.close();
        }
      })();
      return closing;
    },
  };
}

/**
 * Stops listening but, unlike http.Server#close, does not reap idle keep-alive connections at once: a client may be
 * sending its next request over one at that very moment, and would see a reset. Every request that arrives is answered
 * (503 while draining) with `Connection: close`, so connections end one by one; those still idle after `drainMs` are
 * closed then. Resolves when every connection is gone or `drainMs` has passed; requests still running carry on.
 */
async function drain(server: Server, drainMs: number): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.closeIdleConnections();
      resolve();
    }, drainMs);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function requireBbb(config: Config): NonNullable<Config['bbb']> {
  if (!config.bbb) throw new Error('createGateway needs config.bbb or deps.bbb');
  return config.bbb;
}

/** Values scrubbed from every log line as text, wherever they turn up. */
function secretsOf(config: Config): string[] {
  const secrets = [
    config.bbb?.secret,
    config.metrics.token,
    config.webhooks.signingKey,
    ...config.accessTokens.signingKeys,
  ].filter((s): s is string => s !== undefined);
  if (config.rateLimit.redisUrl !== undefined) {
    const raw = new URL(config.rateLimit.redisUrl).password;
    let password = raw;
    try {
      password = decodeURIComponent(raw);
    } catch {
      // A malformed escape is scrubbed as written.
    }
    if (password !== '') secrets.push(password);
  }
  return secrets;
}

const INTROSPECTION_OFF_MESSAGE =
  'GraphQL introspection (__schema, __type) is off on this gateway; set GRAPHQL_INTROSPECTION=true (or GRAPHQL_SANDBOX=true) to turn it on.';

function badJson(): GatewayError {
  return new GatewayError('BAD_USER_INPUT', 'The request body is not valid JSON.');
}

/** An HTML form's encodings: such a body was never JSON, so say what to send instead of "not valid JSON". */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function formNotJson(): GatewayError {
  return new GatewayError(
    'BAD_USER_INPUT',
    'The request body must be JSON (Content-Type: application/json), not a form.',
  );
}

/** Fastify's own errors (parsing, limits) and ours, mapped onto the one table; anything else is masked. */
function fromFastifyError(error: FastifyError, bodyLimitBytes: number): GatewayError {
  if (error instanceof GatewayError || error instanceof BbbError) return toGatewayError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the limit of ${bodyLimitBytes} bytes.`,
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badJson();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('BAD_USER_INPUT', 'The request body is empty; send a JSON object.');
    default:
      break;
  }
  if (error instanceof SyntaxError) return badJson();
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code =
      status === 401
        ? 'UNAUTHENTICATED'
        : status === 403
          ? 'FORBIDDEN'
          : status === 404
            ? 'NOT_FOUND'
            : status === 413
              ? 'PAYLOAD_TOO_LARGE'
              : status === 429
                ? 'RATE_LIMITED'
                : 'BAD_USER_INPUT';
    return new GatewayError(code, error.message.endsWith('.') ? error.message : `${error.message}.`, { status });
  }
  return toGatewayError(error);
}

/** REST callers get `{"message"}`; GraphQL callers get a GraphQL-shaped error with the same code. */
function sendError(req: FastifyRequest, reply: FastifyReply, err: GatewayError): void {
  const observation = observationOf(req);
  if (observation !== undefined) {
    observation.errorCode = err.code;
    if (err.status < 500) observation.errorMessage = loggableMessage(err.message);
  }
  if (err.status >= 500 && err.code !== 'SHUTTING_DOWN')
    req.log.error({ err: err.cause ?? err, code: err.code }, 'request failed');
  if (err.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer');
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  const message = err.code === 'INTERNAL_SERVER_ERROR' ? MASKED_INTERNAL_MESSAGE : err.message;
  const isGraphQL = req.url.split('?')[0] === '/graphql';
  void reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send(isGraphQL ? { errors: [{ message, extensions: { code: err.code } }] } : { message });
}
