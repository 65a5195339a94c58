import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** What the gateway learns about one HTTP request while serving it: read once, when the response is done. */
export interface RequestObservation {
  readonly log: FastifyBaseLogger;
  /** The calling application (token name), once the token is known. */
  app: string | undefined;
  /** GraphQL: the root fields, e.g. `createMeeting`; REST: unset (the route names it). */
  operation: string | undefined;
  /** GraphQL `operationName` as the client sent it; logged, never a metric label (clients choose it freely). */
  operationName: string | undefined;
  /** The gateway error code of the answer, when it is an error. */
  errorCode: string | undefined;
  /** The error's message when the caller is at fault (4xx), with any echoed input value cut out. */
  errorMessage: string | undefined;
  /** Meeting and recording IDs the request's BBB calls (and join links) named; see noteBbbIds. */
  readonly meetingIds: Set<string>;
  readonly recordingIds: Set<string>;
  bbbCalls: number;
  /** Sum of the BBB call durations made for this request, in milliseconds. */
  bbbMs: number;
}

const observations = new WeakMap<FastifyRequest, RequestObservation>();

/**
 * Carries the request's observation into code that does not see the request (the BBB adapter's `onCall`, Apollo plugins).
 * One storage per process is fine: every gateway instance stores its own requests' objects in it.
 */
const storage = new AsyncLocalStorage<RequestObservation>();

export function startObservation(req: FastifyRequest): RequestObservation {
  const observation: RequestObservation = {
    log: req.log,
    app: undefined,
    operation: undefined,
    operationName: undefined,
    errorCode: undefined,
    errorMessage: undefined,
    meetingIds: new Set(),
    recordingIds: new Set(),
    bbbCalls: 0,
    bbbMs: 0,
  };
  observations.set(req, observation);
  return observation;
}

export function observationOf(req: FastifyRequest): RequestObservation | undefined {
  return observations.get(req);
}

/** The observation of the request whose handler is running now, if any. */
export function currentObservation(): RequestObservation | undefined {
  return storage.getStore();
}

/**
 * Runs the rest of the request inside its observation. Used as a callback-style `preHandler`: body parsing emits stream
 * events outside any request context, so entering earlier (onRequest) would lose the store before the handler runs.
 */
export function runInObservation(req: FastifyRequest, next: () => void): void {
  const observation = observations.get(req);
  if (observation === undefined) next();
  else storage.run(observation, next);
}

/**
 * An error message fit for the log: graphql-js echoes a rejected variable or argument ("got invalid value \"...\""),
 * which may be a password, so everything from the value on is cut.
 */
export function loggableMessage(message: string): string {
  return message.replace(/\b(got|has) invalid value\b[\s\S]*/, '$1 invalid value [redacted]');
}
