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
  /** Meeting and recording IDs the request's BBB calls (and join links) named; see bbb-ids.ts. */
  readonly meetingIds: Set<string>;
  readonly recordingIds: Set<string>;
  bbbCalls: number;
  /** Sum of the BBB call durations made for this request, in milliseconds. */
  bbbMs: number;
}

/**
 * Where a request keeps its observation, and a caller the request it acts for: a property under a symbol of this module
 * (so no other code, log line or JSON reads it). Not WeakMaps keyed by each request: every entry of one is an ephemeron
 * the garbage collector must treat apart, and three of them per request cost about 15 µs of CPU per REST join
 * (bench/README.md).
 */
const OBSERVATION = Symbol('bbb-interface.observation');
const ACTS_FOR = Symbol('bbb-interface.actsFor');
type Observed = { [OBSERVATION]?: RequestObservation };
/**
 * The request each caller acts for. The composition root makes a Caller per request (never shared between requests), so
 * a service that is handed one can tell which request's log line its BBB calls belong to, without an AsyncLocalStorage:
 * on Node 20 that runs async_hooks on every promise of the process (measured: about a fifth of a GraphQL join's CPU).
 */
type ActingFor = { [ACTS_FOR]?: FastifyRequest };
/** The observation of the BBB call starting right now (set synchronously around it by the observed client). */
let calling: RequestObservation | undefined;

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
  (req as Observed)[OBSERVATION] = observation;
  return observation;
}

export function observationOf(req: FastifyRequest): RequestObservation | undefined {
  return (req as Observed)[OBSERVATION];
}

/** Marks `caller` (made for this request alone) as acting for `req`: BBB calls made for it count on its observation. */
export function actingFor<C extends object>(caller: C, req: FastifyRequest): C {
  (caller as ActingFor)[ACTS_FOR] = req;
  return caller;
}

/** The observation of the request `caller` acts for, if any. */
export function observationOfCaller(caller: object): RequestObservation | undefined {
  const req = (caller as ActingFor)[ACTS_FOR];
  return req === undefined ? undefined : observationOf(req);
}

/** Runs `start` (which starts one BBB call synchronously) with `observation` as the call's context. */
export function startCallFor<T>(observation: RequestObservation, start: () => T): T {
  const outer = calling;
  calling = observation;
  try {
    return start();
  } finally {
    calling = outer;
  }
}

/** The BBB client's `callContext`: the observation of the call that is starting, if it was started for a request. */
export function observationOfCall(): RequestObservation | undefined {
  return calling;
}

/** The observation a finished BBB call's event carries back (see observationOfCall). */
export function observationOfEvent(context: unknown): RequestObservation | undefined {
  return context as RequestObservation | undefined;
}

/**
 * An error message fit for the log: graphql-js echoes a rejected variable or argument ("got invalid value \"...\""),
 * which may be a password, so everything from the value on is cut.
 */
export function loggableMessage(message: string): string {
  return message.replace(/\b(got|has) invalid value\b[\s\S]*/, '$1 invalid value [redacted]');
}
