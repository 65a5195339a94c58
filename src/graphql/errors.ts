import { GraphQLError } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { type GatewayError, MASKED_INTERNAL_MESSAGE, toGatewayError } from '../errors.js';
import type { GatewayContext } from './context.js';

/** The GraphQL face of a GatewayError: `extensions.code` from the table and the HTTP status Apollo answers with. */
export function toGraphQLError(err: GatewayError): GraphQLError {
  const extensions: Record<string, unknown> = { code: err.code, http: { status: err.status } };
  if (err.retryAfterSeconds !== undefined) {
    extensions.retryAfterSeconds = err.retryAfterSeconds;
    (extensions.http as { headers?: Map<string, string> }).headers = new Map([
      ['retry-after', String(err.retryAfterSeconds)],
    ]);
  }
  return new GraphQLError(err.code === 'INTERNAL_SERVER_ERROR' ? MASKED_INTERNAL_MESSAGE : err.message, {
    extensions,
    originalError: err,
  });
}

/** Every resolver's errors are translated here, once, so resolvers stay a few lines of input → service → mapper. */
export const mapErrors: MiddlewareFn<GatewayContext> = async ({ context }, next) => {
  try {
    return await next();
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    const mapped = toGatewayError(err);
    if (mapped.code === 'INTERNAL_SERVER_ERROR' || mapped.status >= 500) {
      context.log.error({ err: mapped.cause ?? mapped, code: mapped.code }, 'operation failed');
    }
    throw toGraphQLError(mapped);
  }
};
