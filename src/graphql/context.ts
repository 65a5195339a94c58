import type { FastifyBaseLogger } from 'fastify';
import type { AccessGrant } from '../auth/access-tokens.js';
import type { Caller, RequestAuth } from '../auth/caller.js';
import type { EventFilter } from '../events/event-stream.js';
import type { GatewayEvent } from '../events/types.js';
import type { RequestObservation } from '../observability/request-context.js';

/** Per-request GraphQL context. `caller` is undefined when the token is missing or unknown (refused in auth plugin). */
export interface GatewayContext extends RequestAuth {
  caller: Caller | undefined;
  /**
   * Set when the request carries a valid access token (then `caller` is its app, never with allMeetings): only the
   * operations its scopes grant run, on its one meeting.
   */
  access?: AccessGrant | undefined;
  /** Why a presented access token was refused (expired, altered, …); the UNAUTHENTICATED message says it. */
  accessRefusal?: string | undefined;
  requestId: string;
  log: FastifyBaseLogger;
  /** The request's log line and metrics (the operation's name, its first error). */
  observation: RequestObservation | undefined;
  /** Takes more points from the caller's rate-limit budget (RATE_LIMITED when it is used up); undefined when limiting is off. */
  chargeRateLimit?: (points: number) => Promise<void>;
  /**
   * Set by the subscription transports (graphql-ws on /graphql, SSE on /graphql/stream): opens the app's event stream
   * (replay after `after`, then live). UnknownEventError when the app's log has no event `after`.
   */
  openEvents?: (
    app: string,
    filter: EventFilter & { after?: string | undefined },
  ) => Promise<AsyncIterableIterator<GatewayEvent>>;
}
