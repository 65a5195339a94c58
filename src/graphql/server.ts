import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { unauthenticated, type RequestAuth } from '../auth/caller.js';
import type { Config } from '../config.js';
import { publicMessage } from '../errors.js';
import { operationObserverPlugin } from '../observability/graphql-operation-plugin.js';
import { observationOf } from '../observability/request-context.js';
import { mayRunWithoutToken, operationAuthorizer } from './auth-plugin.js';
import type { GatewayContext } from './context.js';
import { complexityLimitPlugin, depthLimitRule, documentSizeRule } from './limits.js';

export const GRAPHQL_PATH = '/graphql';

const INTROSPECTION_OFF_MESSAGE =
  'GraphQL introspection (__schema, __type) is off on this gateway; set GRAPHQL_INTROSPECTION=true (or GRAPHQL_SANDBOX=true) to turn it on.';

export interface GraphQLServerOptions {
  schema: GraphQLSchema;
  graphql: Config['graphql'];
  /** Who calls (auth/caller.ts). */
  authOf: (req: FastifyRequest) => RequestAuth;
  /** Takes more points from the request's budgets (its app's, its access token's); undefined when limiting is off. */
  chargeRateLimit: ((req: FastifyRequest, reply: FastifyReply, points: number) => Promise<void>) | undefined;
}

/**
 * Apollo Server on the gateway's fastify at /graphql: its plugins (operation names for the log, the auth check, the
 * limits and the rate-limit charge, the landing page), its validation rules, `formatError`, the gate that refuses a
 * request without a token before Apollo parses it, and the per-request context. Returns the server, to stop it.
 */
export async function registerGraphQL(
  app: FastifyInstance,
  options: GraphQLServerOptions,
): Promise<ApolloServer<GatewayContext>> {
  const { graphql, authOf, chargeRateLimit } = options;
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    operationObserverPlugin<GatewayContext>((ctx) => ctx.observation),
    // Authorised first, then measured, then charged, in this order: every request has paid one point on arrival, and an
    // operation that may make more BBB calls pays the rest (to its app, and to its access token) before it runs.
    complexityLimitPlugin<GatewayContext>(graphql, {
      authorize: operationAuthorizer({ introspection: graphql.introspection }),
      // Every request paid its first point on arrival; only an operation that may make more BBB calls is charged again.
      onMeasured: (ctx, cost) =>
        ctx.caller && cost.bbbCalls > 1 ? ctx.chargeRateLimit?.(cost.bbbCalls - 1) : undefined,
    }),
    graphql.sandbox
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : ApolloServerPluginLandingPageDisabled(),
    // Apollo's default cache-control plugin hooks into the resolution of every field to find cache hints, and this schema
    // has none: every answer got `cache-control: no-store`. That header is set in http/security.ts instead; the plugin
    // cost about 20 µs of CPU per joinUrl (bench/README.md).
    ApolloServerPluginCacheControlDisabled(),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    schema: options.schema,
    introspection: graphql.introspection,
    // Where the schema is not to be read (introspection off, as in production), no "Did you mean …?" hints it either,
    // also to a caller with a token (an access token in a student's browser, say).
    hideSchemaDetailsFromClientErrors: !graphql.introspection,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: graphql.maxTokens },
    validationRules: [documentSizeRule(graphql), depthLimitRule(graphql)],
    // main.ts owns the signals and closes the gateway, which stops Apollo after the HTTP server has drained.
    stopOnTerminationSignals: false,
    plugins,
    // Every credential is the Authorization header, which a cross-site page cannot send without a CORS preflight, so a
    // request carrying it is no CSRF risk, GET included (urql's default, graphql-request's GET mode). Without it, only
    // introspection could run; those requests still need a non-simple content type or an Apollo preflight header.
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    formatError: (formatted) => {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      // Apollo's own wording tells the reader to pass an option to ApolloServer; an operator sets an env variable.
      if (extensions.validationErrorCode === 'INTROSPECTION_DISABLED')
        return { ...formatted, message: INTROSPECTION_OFF_MESSAGE, extensions };
      return { ...formatted, message: publicMessage(extensions.code, formatted.message), extensions };
    },
  });
  await apollo.start();

  // Without a valid token only introspection gets as far as Apollo; anything else is refused here, before any validation.
  app.addHook('preHandler', (req, _reply, done) => {
    const { caller, accessRefusal } = authOf(req);
    // A WebSocket upgrade authenticates in graphql-ws' connection_init (closing with 4401/4403), see http/subscriptions.ts.
    if (req.routeOptions.url !== GRAPHQL_PATH || caller !== undefined || req.ws) return done();
    // A batch (an array body) is refused too, whatever Apollo's batching setting: only one introspection query gets in.
    const batch = req.method !== 'GET' && Array.isArray(req.body);
    const query =
      req.method === 'GET'
        ? (req.query as { query?: unknown }).query
        : (req.body as { query?: unknown } | undefined)?.query;
    done(batch || !mayRunWithoutToken(query, graphql) ? unauthenticated(accessRefusal) : undefined);
  });

  await app.register(fastifyApollo(apollo), {
    context: async (req, reply): Promise<GatewayContext> => {
      const { caller, access, accessRefusal } = authOf(req);
      // Named fields rather than a spread of authOf's result: on Node 20's V8 a literal that starts with a spread takes a
      // slow path for every property after it (this one: 6.3 against 0.04 µs in a loop, bench/README.md).
      return {
        caller,
        access,
        accessRefusal,
        requestId: req.id,
        log: req.log,
        observation: observationOf(req),
        chargeRateLimit: chargeRateLimit && ((points) => chargeRateLimit(req, reply, points)),
      };
    },
  });
  return apollo;
}
