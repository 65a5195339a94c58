import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import websocket from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import { createHandler as createSseHandler } from 'graphql-sse/lib/use/fastify';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { WebSocket } from 'ws';
import type { AccessGrant } from '../auth/access-tokens.js';
import { unauthenticated, type Caller, type RequestIdentity } from '../auth/caller.js';
import { tokenFromHeader } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { badInput, errorAnswer, GatewayError, type ErrorAnswer } from '../errors.js';
import { openEventStream } from '../events/event-stream.js';
import type { Events } from '../events/index.js';
import { operationAuthorizer } from '../graphql/auth-plugin.js';
import type { GatewayContext } from '../graphql/context.js';
import { toGraphQLError } from '../graphql/errors.js';
import { depthLimitRule, documentSizeRule } from '../graphql/limits.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { chargeAccessToken, type AppRateLimiter } from './access-token-rate-limit.js';

/** GraphQL over SSE, distinct-connections mode (one stream per operation; no reservations, so no sticky sessions). */
const SSE_PATH = '/graphql/stream';

/** WebSocket close codes: graphql-ws' own for auth; 1001 (going away) and 1013 (try again later) are retried by clients. */
const CLOSE = { unauthorized: 4401, forbidden: 4403, goingAway: 1001, tryAgainLater: 1013, normal: 1000 } as const;
/** The close code of a refused connection, from its answer's status (the error table decides the status). */
const CLOSE_OF_STATUS: Readonly<Record<number, number>> = {
  401: CLOSE.unauthorized,
  403: CLOSE.forbidden,
  429: CLOSE.tryAgainLater,
  503: CLOSE.goingAway,
};
/** A WebSocket close reason is at most 123 bytes. */
const MAX_CLOSE_REASON = 123;
/** Where each transport carries the token, for the UNAUTHENTICATED sentence: the one transport-specific hint. */
const SEND_TOKEN: Readonly<Record<'ws' | 'sse', string | undefined>> = {
  ws: "send it in the connection_init payload as `authorization` (or as the upgrade request's Authorization header)",
  sse: undefined,
};
/** How long sockets may take to answer the close frame at shutdown before they are cut. */
const CLOSE_WAIT_MS = 1000;
/** When a client refused for a connection limit may try again. */
const RETRY_AFTER_S = 5;

export interface SubscriptionOptions {
  readonly schema: GraphQLSchema;
  readonly identity: RequestIdentity;
  readonly events: Events | undefined;
  readonly config: Pick<Config, 'graphql' | 'subscriptions'>;
  readonly metrics: GatewayMetrics;
  readonly rateLimiter: AppRateLimiter | undefined;
}

export interface Subscriptions {
  /**
   * Closes every socket (1001: clients reconnect to another replica) and SSE stream; from now on a connection is refused
   * with SHUTTING_DOWN (1001, SSE 503), as the drain (run alongside) refuses new upgrades and requests.
   */
  close(): Promise<void>;
}

type Transport = 'ws' | 'sse';
type Who = { caller: Caller; access?: AccessGrant } | { refused: GatewayError };

/** One subscription connection (a socket, or an SSE stream): its app, how many operations stream, its idle timer. */
interface Connection {
  readonly transport: Transport;
  readonly app: string;
  /** An access token's id: its connections are counted too (SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN). */
  readonly tokenId?: string | undefined;
  active: number;
  idle?: NodeJS.Timeout;
  /** An access token's connection ends when the token expires (its grant is checked only when the connection opens). */
  expiry?: NodeJS.Timeout;
}

/**
 * Subscription.meetingEvents over graphql-ws on /graphql (the WebSocket upgrade of the same path, as Apollo Sandbox and
 * Apollo Client expect) and over GraphQL-SSE at /graphql/stream. Both authenticate through the same token table as HTTP
 * (API tokens, or access tokens with SUBSCRIBE_EVENTS), run only subscription operations, with the HTTP validation rules,
 * and charge each operation one rate-limit point. Queries and mutations stay on HTTP, where their BBB calls are measured.
 */
export async function registerSubscriptions(app: FastifyInstance, opts: SubscriptionOptions): Promise<Subscriptions> {
  const { schema, metrics, config } = opts;
  const limits = config.subscriptions;
  const authorize = operationAuthorizer({ introspection: config.graphql.introspection });
  const rules = [...specifiedRules, documentSizeRule(config.graphql), depthLimitRule(config.graphql)];
  const perApp = new Map<string, number>();
  const perToken = new Map<string, number>();
  const sockets = new Map<WebSocket, Connection>();
  const sseSockets = new Set<Socket>();
  let closing = false;

  async function identify(authorization: string | undefined, transport: Transport): Promise<Who> {
    const auth =
      tokenFromHeader(authorization) === undefined
        ? { caller: undefined }
        : await opts.identity.authOfHeader(authorization);
    if (!auth.caller) return { refused: unauthenticated(auth.accessRefusal, SEND_TOKEN[transport]) };
    if (auth.access && !auth.access.scopes.includes('SUBSCRIBE_EVENTS'))
      return { refused: new GatewayError('FORBIDDEN', 'The access token lacks the SUBSCRIBE_EVENTS scope.') };
    return auth.access ? { caller: auth.caller, access: auth.access } : { caller: auth.caller };
  }

  /** Closes a socket with the code and the (cut to size) message of the error's answer. */
  function refuseSocket(socket: WebSocket, err: GatewayError): void {
    const answer = errorAnswer(err);
    socket.close(CLOSE_OF_STATUS[answer.status] ?? 1011, closeReason(answer.message));
  }

  /**
   * Counts the connection for its app (and its access token); undefined when admitted, else why not: the app is at
   * SUBSCRIPTION_CONNECTIONS_PER_APP or the token at SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN on this replica.
   */
  function admit(conn: Connection): GatewayError | undefined {
    if (closing) return shuttingDown();
    const n = perApp.get(conn.app) ?? 0;
    if (n >= limits.connectionsPerApp)
      return limitExceeded('Too many subscription connections for this app (SUBSCRIPTION_CONNECTIONS_PER_APP)');
    const t = conn.tokenId === undefined ? 0 : (perToken.get(conn.tokenId) ?? 0);
    if (t >= limits.connectionsPerAccessToken)
      return limitExceeded(
        'Too many subscription connections for this access token (SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN)',
      );
    perApp.set(conn.app, n + 1);
    if (conn.tokenId !== undefined) perToken.set(conn.tokenId, t + 1);
    metrics.subscriptionConnections.inc({ transport: conn.transport });
    return undefined;
  }

  function limitExceeded(what: string): GatewayError {
    return new GatewayError('LIMIT_EXCEEDED', `${what}; try again later.`, { retryAfterSeconds: RETRY_AFTER_S });
  }

  function release(conn: Connection): void {
    clearTimeout(conn.idle);
    clearTimeout(conn.expiry);
    countDown(perApp, conn.app);
    if (conn.tokenId !== undefined) countDown(perToken, conn.tokenId);
    metrics.subscriptionConnections.dec({ transport: conn.transport });
  }

  function expireWith(conn: Connection, access: AccessGrant | undefined, end: () => void): void {
    if (access === undefined) return;
    conn.expiry = setTimeout(end, Math.max(0, access.expiresAt * 1000 - Date.now()));
    conn.expiry.unref();
  }

  /** The graphql-ws socket of a connection without any operation for SUBSCRIPTION_IDLE_TIMEOUT_MS is closed. */
  function armIdle(conn: Connection, socket: WebSocket | undefined): void {
    if (socket === undefined || conn.active > 0) return;
    clearTimeout(conn.idle);
    conn.idle = setTimeout(
      () => socket.close(CLOSE.normal, 'Idle: no subscription (SUBSCRIPTION_IDLE_TIMEOUT_MS)'),
      limits.idleTimeoutMs,
    );
    conn.idle.unref();
  }

  function contextFor(
    who: { caller: Caller; access?: AccessGrant },
    conn: Connection,
    log: FastifyBaseLogger,
    socket?: WebSocket,
  ): GatewayContext {
    return {
      caller: who.caller,
      access: who.access,
      requestId: randomUUID(),
      log,
      // A subscription has no request line of its own (its operations make no BBB calls).
      observation: undefined,
      openEvents: async (appName, filter) => {
        if (!opts.events)
          throw new GatewayError(
            'NOT_FOUND',
            'Meeting events are off on this gateway: the operator switches them on with WEBHOOK_SIGNING_KEY.',
          );
        const stream = await openEventStream(opts.events.log, appName, filter, () => {
          conn.active--;
          metrics.subscriptions.dec({ transport: conn.transport });
          armIdle(conn, socket);
        });
        conn.active++;
        clearTimeout(conn.idle);
        metrics.subscriptions.inc({ transport: conn.transport });
        return stream;
      },
    };
  }

  /** Parses, validates (the HTTP rules) and authorises one operation, and charges it; errors name what is wrong. */
  async function prepare(
    payload: { query?: unknown; variables?: unknown; operationName?: unknown },
    contextValue: GatewayContext,
  ): Promise<ExecutionArgs | GraphQLError[]> {
    const refused = (err: GatewayError) => [toGraphQLError(err)];
    if (typeof payload.query !== 'string') return refused(badInput('Send the subscription document as `query`.'));
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: config.graphql.maxTokens });
    } catch (err) {
      return refused(new GatewayError('GRAPHQL_PARSE_FAILED', (err as Error).message));
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0)
      return errors.map((e) =>
        toGraphQLError(new GatewayError('GRAPHQL_VALIDATION_FAILED', schemaHintless(e.message)), {
          nodes: e.nodes ?? [],
        }),
      );
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return refused(badInput('Name the operation to run (operationName).'));
    if (operation.operation !== 'subscription')
      return refused(
        badInput(
          `Only subscriptions run here; send ${operation.operation === 'query' ? 'queries' : 'mutations'} with HTTP POST /graphql.`,
        ),
      );
    try {
      authorize({ contextValue, operation, document });
      await charge(contextValue.caller!.app, contextValue.access);
    } catch (err) {
      if (err instanceof GraphQLError) return [err];
      if (err instanceof GatewayError) return [toGraphQLError(err)];
      throw err;
    }
    const variableValues =
      payload.variables && typeof payload.variables === 'object' ? (payload.variables as Record<string, unknown>) : {};
    return { schema, document, variableValues, operationName, contextValue };
  }

  /** One point of the app's budget and, for an access token, one of the token's own (shared with its HTTP requests). */
  /** As Apollo's hideSchemaDetailsFromClientErrors on HTTP: no "Did you mean …?" where introspection is off. */
  function schemaHintless(message: string): string {
    return config.graphql.introspection ? message : message.replace(/ Did you mean (.+)\?$/, '');
  }

  async function charge(appName: string, access: AccessGrant | undefined): Promise<void> {
    if (!opts.rateLimiter) return;
    const decision = await opts.rateLimiter.consume(`app:${appName}`, 1);
    if (!decision.allowed) {
      metrics.rateLimited.inc({ app: appName });
      throw new GatewayError(
        'RATE_LIMITED',
        `Too many requests for the app "${appName}": the limit is ${opts.rateLimiter.points} per ${opts.rateLimiter.durationSeconds} s. Try again in ${decision.retryAfterSeconds} s.`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    const budget = opts.rateLimiter.accessTokenBudget;
    if (access !== undefined && budget !== undefined) await chargeAccessToken(budget, metrics, access, 1);
  }

  await app.register(websocket, {
    options: { maxPayload: limits.maxMessageBytes },
    // A protocol error (a message over maxPayload: 1009) already closes the socket with its code; the default handler
    // would cut the connection (1006) instead, so the client would never learn why.
    errorHandler: (err, socket, req) => {
      req.log.warn({ errName: err.name, code: (err as { code?: unknown }).code }, 'subscription socket error');
      if (socket.readyState === socket.OPEN) socket.close(1011, 'Internal error');
    },
  });
  // The upgrade of GET /graphql goes to graphql-ws; every other GET /graphql (the Sandbox page, GET queries) to Apollo.
  app.addConstraintStrategy({
    name: 'upgrade',
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, store: unknown) => void handlers.set(value, store),
      };
    },
    deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) =>
      String(req.headers['upgrade'] ?? '').toLowerCase() === 'websocket' ? 'websocket' : undefined,
    mustMatchWhenDerived: false,
  } as Parameters<FastifyInstance['addConstraintStrategy']>[0]);

  const wsHandler = makeHandler<Record<string, unknown> | undefined, { socket: WebSocket; request: FastifyRequest }>(
    {
      connectionInitWaitTimeout: 3_000,
      onConnect: async (ctx) => {
        const who = await identify(
          authorizationOf(ctx.connectionParams) ?? ctx.extra.request.headers.authorization,
          'ws',
        );
        const { socket } = ctx.extra;
        // Verifying an access token is asynchronous: a socket that closed meanwhile already had its onClose (which found
        // no connection to release), so admitting it now would keep its slot for good.
        if (socket.readyState !== socket.OPEN) return false;
        if ('refused' in who) {
          refuseSocket(socket, who.refused);
          return false;
        }
        const conn: Connection = { transport: 'ws', app: who.caller.app, tokenId: who.access?.tokenId, active: 0 };
        const refusal = admit(conn);
        if (refusal !== undefined) {
          refuseSocket(socket, refusal);
          return false;
        }
        sockets.set(socket, conn);
        Object.assign(ctx.extra, { who });
        expireWith(conn, who.access, () => refuseSocket(socket, unauthenticated('the access token expired')));
        armIdle(conn, socket);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const conn = sockets.get(ctx.extra.socket);
        const who = (ctx.extra as { who?: Who }).who;
        if (!conn || !who || 'refused' in who) return [toGraphQLError(unauthenticated(undefined, SEND_TOKEN.ws))];
        // graphql-ws has reserved this operation's place already.
        if (Object.keys(ctx.subscriptions).length > limits.perConnection)
          return [
            toGraphQLError(
              new GatewayError(
                'LIMIT_EXCEEDED',
                `At most ${limits.perConnection} subscriptions per connection (SUBSCRIPTIONS_PER_CONNECTION); complete one first or open another connection.`,
              ),
            ),
          ];
        return prepare(payload, contextFor(who, conn, ctx.extra.request.log, ctx.extra.socket));
      },
      onClose: (ctx) => {
        const conn = sockets.get(ctx.extra.socket);
        if (!conn) return;
        sockets.delete(ctx.extra.socket);
        release(conn);
      },
    },
    limits.keepAliveMs,
  );
  app.route({
    method: 'GET',
    url: '/graphql',
    constraints: { upgrade: 'websocket' },
    handler: async () => {
      throw new GatewayError('UPGRADE_REQUIRED', 'Upgrade to a WebSocket with the graphql-transport-ws subprotocol.');
    },
    // graphql-ws adds an 'error' listener that writes to the console (not the JSON log) before it closes the socket;
    // the errorHandler above logs and closes already, so that listener is taken off again.
    wsHandler: function (this: FastifyInstance, socket: WebSocket, req: FastifyRequest) {
      const before = new Set(socket.listeners('error'));
      const result = wsHandler.call(this, socket, req);
      for (const listener of socket.listeners('error'))
        if (!before.has(listener)) socket.removeListener('error', listener as (err: Error) => void);
      return result;
    } as never,
  });

  const sse = createSseHandler({
    schema,
    authenticate: async (req) => {
      const fastifyReq = req.raw as unknown as FastifyRequest;
      const who = await identify(fastifyReq.headers.authorization, 'sse');
      Object.assign(fastifyReq, { subscriptionWho: who });
      if ('refused' in who) return sseRefusal(errorAnswer(who.refused));
      // No reservation token: distinct-connections mode only.
      return undefined;
    },
    onSubscribe: async (req, params) => {
      const fastifyReq = req.raw as unknown as FastifyRequest & { subscriptionWho: Who };
      const who = fastifyReq.subscriptionWho;
      if ('refused' in who) return [null, { status: 401, statusText: 'Unauthorized' }] as never;
      const conn: Connection = { transport: 'sse', app: who.caller.app, tokenId: who.access?.tokenId, active: 0 };
      const { reply } = req.context as { reply: FastifyReply };
      // A client that left while its token was verified already closed the response: it is not admitted (its 'close'
      // came before any listener, so nothing would release it).
      if (reply.raw.closed || reply.raw.destroyed || fastifyReq.raw.socket.destroyed)
        return [null, { status: 499, statusText: 'Client Closed Request' }] as never;
      const refusal = admit(conn);
      if (refusal !== undefined) return sseRefusal(errorAnswer(refusal)) as never;
      reply.raw.once('close', () => release(conn));
      expireWith(conn, who.access, () => reply.raw.destroy());
      const prepared = await prepare(params, contextFor(who, conn, fastifyReq.log));
      // graphql-sse's types want its own OperationArgs; graphql's ExecutionArgs are what it runs.
      return (Array.isArray(prepared) ? { errors: prepared } : prepared) as never;
    },
  });
  app.route({
    method: ['GET', 'POST'],
    url: SSE_PATH,
    handler: async (req, reply) => {
      // Only while its stream runs: a keep-alive socket whose stream ended may carry another request, which shutdown must
      // not reset.
      const socket = req.raw.socket;
      sseSockets.add(socket);
      reply.raw.once('close', () => sseSockets.delete(socket));
      reply.hijack();
      try {
        await sse(req, reply);
      } catch (err) {
        const answer = errorAnswer(err);
        req.log.error({ err: answer.cause, code: answer.code }, 'SSE subscription failed');
        if (reply.raw.headersSent) reply.raw.destroy();
        else {
          const [body, init] = sseRefusal(answer);
          reply.raw
            .writeHead(init.status, { 'content-type': 'application/json; charset=utf-8', ...init.headers })
            .end(body);
        }
      }
    },
  });

  return {
    async close() {
      closing = true;
      const open = [...sockets.keys()];
      const closed = Promise.all(
        open.map((s) => (s.readyState === s.CLOSED ? undefined : new Promise((resolve) => s.once('close', resolve)))),
      );
      for (const s of open) refuseSocket(s, shuttingDown());
      // SSE clients retry a stream that breaks off (a completed one would look like the end of the subscription).
      for (const socket of sseSockets) socket.destroy();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
      for (const s of open) if (s.readyState !== s.CLOSED) s.terminate();
    },
  };
}

/**
 * The token in connection_init: `authorization`, as Apollo Sandbox and most clients send it whatever its case, or under
 * `headers` (Apollo Client setups that reuse their HTTP headers).
 */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  for (const source of [params, params?.['headers']]) {
    if (source === null || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source))
      if (key.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return undefined;
}

function countDown(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 1) - 1;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}

/** An SSE request refused before it streams: the answer's status and headers, a GraphQL errors body with its code. */
function sseRefusal(
  answer: ErrorAnswer,
): [string, { status: number; statusText: string; headers: Record<string, string> }] {
  const extensions: Record<string, unknown> = { code: answer.code };
  if (answer.retryAfterSeconds !== undefined) extensions['retryAfterSeconds'] = answer.retryAfterSeconds;
  return [
    JSON.stringify({ errors: [{ message: answer.message, extensions }] }),
    { status: answer.status, statusText: STATUS_CODES[answer.status] ?? '', headers: { ...answer.headers } },
  ];
}

function shuttingDown(): GatewayError {
  return new GatewayError('SHUTTING_DOWN', 'The gateway is shutting down; reconnect (to another replica).');
}

/** A WebSocket close reason of at most 123 bytes: the message, cut at a word with an ellipsis when longer. */
function closeReason(message: string): string {
  if (Buffer.byteLength(message) <= MAX_CLOSE_REASON) return message;
  let cut = message;
  while (Buffer.byteLength(`${cut}…`) > MAX_CLOSE_REASON) cut = cut.slice(0, cut.lastIndexOf(' ', cut.length - 2));
  return `${cut}…`;
}
