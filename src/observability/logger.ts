import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../config.js';
import { redactingLogOptions } from './log-redaction.js';
import { scrubbingLogStream } from './log-stream.js';

/**
 * The gateway's pino options for fastify: JSON lines named `bbb-interface`, redaction (log-redaction.ts), the request serialised
 * without its query string, and every line scrubbed of the configured secrets as text. `destination` defaults to stdout.
 */
export function loggerOptions(config: Config, destination: DestinationStream | undefined) {
  return {
    name: 'bbb-interface',
    level: config.logLevel,
    // authorization, secret, token and password never reach a log line, wherever they appear in a logged object.
    ...redactingLogOptions({
      // Only the path: GraphQL GET requests carry variables (passwords) in the query string.
      req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
    }),
    stream: scrubbingLogStream(secretsOf(config), destination),
  };
}

/** The request id every log line and the `x-request-id` header carry: the caller's own when it is a sane one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
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
