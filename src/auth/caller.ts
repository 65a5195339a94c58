import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../meetings/meeting-service.js';
import { looksLikeJwt, type AccessGrant, type AccessTokens } from './access-tokens.js';
import type { Authenticator } from './authenticator.js';
import { tokenFromHeader } from './tokens.js';

/** Who a request is: an app (API token), an access token's grant for its app, or nobody (and why a token was refused). */
export interface RequestAuth {
  caller: Caller | undefined;
  access?: AccessGrant;
  accessRefusal?: string;
}

/**
 * Who calls, asked once per request: the token is hashed and compared (or an access token verified) once, however many
 * places ask. Access tokens count on `graphqlPath` only; verifying one is asynchronous, so `registerAccessTokens` adds the
 * hook that does it before anything asks.
 */
export function requestIdentity(
  auth: Authenticator,
  accessTokens: AccessTokens | undefined,
): { authOf(req: FastifyRequest): RequestAuth; registerAccessTokens(app: FastifyInstance, graphqlPath: string): void } {
  const auths = new WeakMap<FastifyRequest, RequestAuth>();
  return {
    authOf(req) {
      let found = auths.get(req);
      if (found === undefined) auths.set(req, (found = { caller: auth.callerFor(req.headers.authorization) }));
      return found;
    },
    registerAccessTokens(app, graphqlPath) {
      if (!accessTokens) return;
      app.addHook('onRequest', async (req) => {
        if (req.url.split('?')[0] !== graphqlPath) return;
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
    },
  };
}
