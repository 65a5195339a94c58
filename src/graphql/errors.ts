import { GraphQLError, type ASTNode } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { errorAnswer, type ErrorAnswer } from '../errors.js';
import type { GatewayContext } from './context.js';

/**
 * The GraphQL face of anything thrown (errors.ts decides code, status, headers and message): `extensions.code`, the
 * HTTP status and headers Apollo answers with, `retryAfterSeconds` and every failing field of a validation failure.
 */
export function toGraphQLError(
  thrown: unknown,
  options: { nodes?: readonly ASTNode[]; extensions?: Record<string, unknown> } = {},
): GraphQLError {
  return graphQLErrorOf(errorAnswer(thrown), thrown, options);
}

function graphQLErrorOf(
  answer: ErrorAnswer,
  thrown: unknown,
  options: { nodes?: readonly ASTNode[]; extensions?: Record<string, unknown> },
): GraphQLError {
  const headers = Object.entries(answer.headers);
  const extensions: Record<string, unknown> = {
    code: answer.code,
    http: headers.length > 0 ? { status: answer.status, headers: new Map(headers) } : { status: answer.status },
    ...options.extensions,
  };
  if (answer.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = answer.retryAfterSeconds;
  if (answer.fields !== undefined) extensions.fields = answer.fields.map(({ field, message }) => ({ field, message }));
  return new GraphQLError(answer.message, {
    nodes: options.nodes,
    extensions,
    originalError: thrown instanceof Error ? thrown : undefined,
  });
}

/** Every resolver's errors are translated here, once, so resolvers stay a few lines of input → service → mapper. */
export const mapErrors: MiddlewareFn<GatewayContext> = async ({ context }, next) => {
  try {
    return await next();
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    const answer = errorAnswer(err);
    if (answer.serverSide) context.log.error({ err: answer.cause, code: answer.code }, 'operation failed');
    throw graphQLErrorOf(answer, err, {});
  }
};
