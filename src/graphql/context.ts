import type { FastifyBaseLogger } from 'fastify';
import type { Caller } from '../meetings/meeting-service.js';

/** Per-request GraphQL context. `caller` is undefined when the token is missing or unknown (refused in auth plugin). */
export interface GatewayContext {
  caller: Caller | undefined;
  requestId: string;
  log: FastifyBaseLogger;
  /** Takes more points from the caller's rate-limit budget (RATE_LIMITED when it is used up); undefined when limiting is off. */
  chargeRateLimit?: (points: number) => Promise<void>;
}
