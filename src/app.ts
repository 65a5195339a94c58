import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { DestinationStream } from 'pino';
import { Authenticator, UNAUTHENTICATED_MESSAGE } from './auth/authenticator.js';
import { createBbbClient } from './bbb/client.js';
import { BbbError } from './bbb/errors.js';
import type { BbbCallEvent, BbbClient } from './bbb/types.js';
import type { Config } from './config.js';
import { GatewayError, MASKED_INTERNAL_MESSAGE, toGatewayError } from './errors.js';
import type { GatewayContext } from './graphql/context.js';
import { authPlugin } from './graphql/auth-plugin.js';
import { buildGatewaySchema } from './graphql/schema.js';
import { MeetingService } from './meetings/meeting-service.js';
import { registerLegacyRoutes, requireCaller } from './rest/legacy-routes.js';

export interface GatewayDeps {
  /** Use this BBB client instead of building one from `config.bbb` (tests observe calls this way). */
  bbb?: BbbClient;
  /** Where JSON logs go. Default: stdout. */
  logStream?: DestinationStream;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly meetings: MeetingService;
  /** Stops accepting connections, lets in-flight requests finish, then releases everything. */
  close(): Promise<void>;
}

/** Values that must never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = [
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
  const bbb =
    deps.bbb ??
    createBbbClient({
      baseUrl: requireBbb(config).url,
      secret: requireBbb(config).secret,
      algorithm: config.bbbDefaults.algorithm,
      timeoutMs: config.bbbDefaults.timeoutMs,
      retries: config.bbbDefaults.retries,
      onCall: (e) => bbbEvents.forEach((fn) => fn(e)),
    });

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        // Only the path: GraphQL GET requests carry variables (passwords) in the query string.
        req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
      },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestTimeout: config.http.requestTimeoutMs,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  });

  // Set before any route is added: a route keeps the error handler that was in force when it was registered.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    sendError(req, reply, new GatewayError('NOT_FOUND', `No route ${req.method} ${path}. The gateway serves POST /create, POST /join and GraphQL at /graphql.`));
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    sendError(req, reply, fromFastifyError(error, config.http.bodyLimitBytes));
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Legacy clients do not always label their JSON (text/plain, or nothing); what is not JSON is still refused with 400.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badJson(), undefined);
    }
  });

  const auth = new Authenticator(config.tokens, config.allMeetingsApps);
  const meetings = new MeetingService({ bbb, joinCache: config.joinCache, sendJoinPassword: config.bbbDefaults.sendJoinPassword });

  const schema = await buildGatewaySchema({ meetings });
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    fastifyApolloDrainPlugin(app),
    authPlugin({ introspection: config.graphql.introspection }),
    config.graphql.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    plugins,
    formatError: (formatted) => {
      const code = formatted.extensions?.code;
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return code === 'INTERNAL_SERVER_ERROR' ? { ...formatted, message: MASKED_INTERNAL_MESSAGE, extensions } : { ...formatted, extensions };
    },
  });
  await apollo.start();

  await app.register(fastifyApollo(apollo), {
    context: async (req): Promise<GatewayContext> => ({ caller: auth.callerFor(req.headers.authorization), requestId: req.id, log: req.log }),
  });

  registerLegacyRoutes(app, {
    meetings,
    callerOf: (req) => requireCaller(auth.callerFor(req.headers.authorization), UNAUTHENTICATED_MESSAGE),
  });

  await app.ready();

  return {
    app,
    meetings,
    async close() {
      await app.close();
    },
  };
}

function requireBbb(config: Config): NonNullable<Config['bbb']> {
  if (!config.bbb) throw new Error('createGateway needs config.bbb or deps.bbb');
  return config.bbb;
}

function badJson(): GatewayError {
  return new GatewayError('BAD_USER_INPUT', 'The request body is not valid JSON.');
}

/** Fastify's own errors (parsing, limits) and ours, mapped onto the one table; anything else is masked. */
function fromFastifyError(error: FastifyError, bodyLimitBytes: number): GatewayError {
  if (error instanceof GatewayError || error instanceof BbbError) return toGatewayError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${bodyLimitBytes} bytes.`);
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
    const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : 'BAD_USER_INPUT';
    return new GatewayError(code, error.message.endsWith('.') ? error.message : `${error.message}.`, { status });
  }
  return toGatewayError(error);
}

/** REST callers get `{"message"}`; GraphQL callers get a GraphQL-shaped error with the same code. */
function sendError(req: FastifyRequest, reply: FastifyReply, err: GatewayError): void {
  if (err.status >= 500) req.log.error({ err: err.cause ?? err, code: err.code }, 'request failed');
  if (err.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer');
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  const message = err.code === 'INTERNAL_SERVER_ERROR' ? MASKED_INTERNAL_MESSAGE : err.message;
  const isGraphQL = req.url.split('?')[0] === '/graphql';
  void reply
    .code(err.status)
    .type('application/json; charset=utf-8')
    .send(isGraphQL ? { errors: [{ message, extensions: { code: err.code } }] } : { message });
}
