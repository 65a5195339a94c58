import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.js';
import { actingFor } from '../observability/request-context.js';
import { looksLikeJwt, type AccessGrant, type AccessTokens } from './access-tokens.js';
import { findApp, tokenFromHeader, type TokenEntry } from './tokens.js';

/**
 * Identity, in one place: who is calling (an app, by its API token or an access token's grant), asked once per request,
 * and the one UNAUTHENTICATED answer when nobody is. Tokens are never logged or echoed.
 */

/** Who is calling: the app name of the token, and whether the operator let it see every meeting on the server. */
export interface Caller {
  readonly app: string;
  readonly allMeetings: boolean;
}

/** Who a request is: an app (API token), an access token's grant for its app, or nobody (and why a token was refused). */
export interface RequestAuth {
  caller: Caller | undefined;
  access?: AccessGrant | undefined;
  accessRefusal?: string | undefined;
}

/**
 * The UNAUTHENTICATED of every face (REST, GraphQL, the second lock in the resolvers, the subscription transports): one
 * sentence per reason. `sendIt` says where the token goes (graphql-ws has its own place for it).
 */
export function unauthenticated(
  accessRefusal?: string,
  sendIt = 'send it as `Authorization: <token>` or `Authorization: Bearer <token>`',
): GatewayError {
  return new GatewayError(
    'UNAUTHENTICATED',
    accessRefusal === undefined
      ? `Missing or unknown API token: ${sendIt}.`
      : `The access token is refused: ${accessRefusal}. Ask your backend for a new one.`,
  );
}

/** The caller of a request, or UNAUTHENTICATED saying why there is none. */
export function requireCaller(auth: RequestAuth): Caller {
  if (!auth.caller) throw unauthenticated(auth.accessRefusal);
  return auth.caller;
}

export interface RequestIdentity {
  /** Who the request is, asked once per request. */
  authOf(req: FastifyRequest): RequestAuth;
  /** Who an Authorization value names, an API token or an access token (the subscriptions' connection_init). */
  authOfHeader(authorization: string | undefined): Promise<RequestAuth>;
  registerAccessTokens(app: FastifyInstance, graphqlPath: string): void;
}

export interface IdentityOptions {
  /** API_TOKENS: one entry per app. */
  tokens: readonly TokenEntry[];
  /** ALL_MEETINGS_APPS: the apps that see every meeting on the server. */
  allMeetingsApps: readonly string[];
}

/**
 * Who calls, asked once per request: the token is hashed and compared (or an access token verified) once, however many
 * places ask. Access tokens count on `graphqlPath` only; verifying one is asynchronous, so `registerAccessTokens` adds the
 * hook that does it before anything asks.
 */
export function requestIdentity(options: IdentityOptions, accessTokens: AccessTokens | undefined): RequestIdentity {
  const allMeetings = new Set(options.allMeetingsApps);
  const callerOfApp = (app: string): Caller => ({ app, allMeetings: allMeetings.has(app) });
  const appOfHeader = (authorization: string | undefined): string | undefined => {
    const token = tokenFromHeader(authorization);
    return token === undefined ? undefined : findApp(options.tokens, token);
  };
  // A Caller per request, never shared: the BBB calls made for it are counted on its request's log line (bbb-ids.ts).
  const callerFor = (req: FastifyRequest, app: string | undefined): Caller | undefined =>
    app === undefined ? undefined : actingFor(callerOfApp(app), req);
  // Kept on the request under a symbol of this gateway's own rather than in a WeakMap (see request-context.ts).
  const AUTH = Symbol('bbb-interface.auth');
  type Authenticated = FastifyRequest & { [AUTH]?: RequestAuth };
  /**
   * An access token's grant for its app, or why it is refused; undefined when the value is no access token. With `req`,
   * the caller is that request's own (its BBB calls count on its log line).
   */
  const accessAuth = async (
    authorization: string | undefined,
    req?: FastifyRequest,
  ): Promise<RequestAuth | undefined> => {
    const token = tokenFromHeader(authorization);
    if (!accessTokens || token === undefined || !looksLikeJwt(token)) return undefined;
    const result = await accessTokens.verify(token);
    if ('grant' in result) {
      const { grant } = result;
      // A token outlives nothing: once its app's API token is removed from API_TOKENS, its access tokens stop too.
      const configured = options.tokens.some((t) => t.name === grant.app);
      return configured
        ? { caller: req ? callerFor(req, grant.app) : callerOfApp(grant.app), access: grant }
        : { caller: undefined, accessRefusal: `its app "${grant.app}" is no longer configured` };
    }
    // (An app token that merely looks like a JWT stays an app token.)
    return appOfHeader(authorization) !== undefined ? undefined : { caller: undefined, accessRefusal: result.refused };
  };
  return {
    authOf(req) {
      let found = (req as Authenticated)[AUTH];
      if (found === undefined)
        (req as Authenticated)[AUTH] = found = { caller: callerFor(req, appOfHeader(req.headers.authorization)) };
      return found;
    },
    async authOfHeader(authorization) {
      const app = appOfHeader(authorization);
      return (await accessAuth(authorization)) ?? { caller: app === undefined ? undefined : callerOfApp(app) };
    },
    registerAccessTokens(app, graphqlPath) {
      if (!accessTokens) return;
      app.addHook('onRequest', async (req) => {
        if (req.url.split('?')[0] !== graphqlPath) return;
        const found = await accessAuth(req.headers.authorization, req);
        if (found !== undefined) (req as Authenticated)[AUTH] = found;
      });
    },
  };
}
