import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer, GatewayError, type ErrorContext } from '../errors.js';
import { loggableMessage, observationOf } from '../observability/request-context.js';

/**
 * The REST face of the one error path (errors.ts): every error a route or a hook throws, and every unknown route, is
 * answered as JSON: `{"message"}` with the status on REST, a GraphQL-shaped error with the same code on `/graphql`.
 * Registered before any route: a route keeps the error handler that was in force when it was registered.
 */
export function registerErrorHandlers(app: FastifyInstance, context: ErrorContext): void {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    sendError(
      req,
      reply,
      new GatewayError(
        'NOT_FOUND',
        `No route ${req.method} ${path}. The gateway serves POST /create, POST /join and GraphQL at /graphql.`,
      ),
      context,
    );
  });
  app.setErrorHandler((error, req, reply) => sendError(req, reply, error, context));
}

function sendError(req: FastifyRequest, reply: FastifyReply, thrown: unknown, context: ErrorContext): void {
  const answer = errorAnswer(thrown, context);
  const observation = observationOf(req);
  if (observation !== undefined) {
    observation.errorCode = answer.code;
    if (answer.status < 500) observation.errorMessage = loggableMessage(answer.message);
  }
  if (answer.serverSide) req.log.error({ err: answer.cause, code: answer.code }, 'request failed');
  const { message, code } = answer;
  const isGraphQL = req.url.split('?')[0] === '/graphql';
  void reply
    .code(answer.status)
    .headers(answer.headers)
    .type('application/json; charset=utf-8')
    .send(isGraphQL ? { errors: [{ message, extensions: { code } }] } : { message });
}
