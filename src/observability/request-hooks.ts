import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './metrics.js';
import { startObservation, type RequestObservation } from './request-context.js';

export interface ObserveRequestsOptions {
  metrics: GatewayMetrics;
  /** The calling app's name for this request's token, or undefined when it has none or an unknown one. */
  appOf: (req: FastifyRequest) => string | undefined;
  /** Routes whose successful answers are logged at debug, not info: load balancers probe them every few seconds. */
  quietRoutes: ReadonlySet<string>;
}

/** nginx's status for "the client closed the connection before the answer was sent"; used as a label and in the log. */
const CLIENT_CLOSED_STATUS = 499;

/**
 * One structured line per request (`request completed`, or `request aborted`) with the request id, the calling app, the
 * operation, the status, the duration, the BBB calls made for it and the meeting/recording IDs they named, the error's
 * code (and on a caller's mistake its message), plus the HTTP metrics. Register before any other
 * hook so every later hook and handler sees the observation.
 */
export function observeRequests(app: FastifyInstance, options: ObserveRequestsOptions): void {
  const { metrics } = options;

  app.addHook('onRequest', (req, reply, done) => {
    const observation = startObservation(req);
    observation.app = options.appOf(req);
    metrics.httpInFlight.inc();
    // 'close' fires exactly once per response, after it was sent or when the client went away first; onResponse does not
    // run for the latter, and the in-flight gauge must come down either way.
    reply.raw.once('close', () => finish(req, reply, observation, options));
    done();
  });
}

function finish(
  req: FastifyRequest,
  reply: FastifyReply,
  observation: RequestObservation,
  options: ObserveRequestsOptions,
): void {
  const { metrics } = options;
  metrics.httpInFlight.dec();
  const aborted = !reply.raw.writableFinished;
  const status = aborted ? CLIENT_CLOSED_STATUS : reply.statusCode;
  const route = req.routeOptions.url ?? '';
  const operation = observation.operation ?? route.replace(/^\//, '');
  const durationMs = reply.elapsedTime;

  const method = req.method;
  const routeLabel = route === '' ? '(unmatched)' : route;
  const statusLabel = String(status);
  // Both label sets written out: an object made by a spread is on V8's slow path for added properties (bench/README.md).
  metrics.httpRequests.inc({ method, route: routeLabel, operation, status: statusLabel, app: observation.app ?? '' });
  metrics.httpDuration.observe({ method, route: routeLabel, operation, status: statusLabel }, durationMs / 1000);

  const quiet = options.quietRoutes.has(route) && status < 400;
  observation.log[quiet ? 'debug' : 'info'](
    {
      app: observation.app,
      operation,
      operationName: observation.operationName,
      method: req.method,
      // Only the path: GraphQL GET requests carry variables (passwords) in the query string.
      url: req.url.split('?')[0],
      status,
      errorCode: observation.errorCode,
      errorMessage: observation.errorMessage,
      // One meeting (the usual case) as a plain field a log query can match; several (a listing) as an array.
      ...idFields('meetingId', observation.meetingIds),
      ...idFields('recordingId', observation.recordingIds),
      durationMs: round(durationMs),
      bbbCalls: observation.bbbCalls,
      bbbMs: round(observation.bbbMs),
      remoteAddress: req.ip,
    },
    aborted ? 'request aborted' : 'request completed',
  );
}

function idFields(name: string, ids: ReadonlySet<string>): Record<string, string | string[]> {
  if (ids.size === 0) return {};
  return ids.size === 1 ? { [name]: [...ids][0] as string } : { [`${name}s`]: [...ids] };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
