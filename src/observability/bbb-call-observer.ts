import type { FastifyBaseLogger } from 'fastify';
import type { BbbCallEvent } from '../bbb/types.js';
import type { GatewayMetrics } from './metrics.js';
import { observationOfEvent } from './request-context.js';

/**
 * The BBB adapter's `onCall` observer: counts the call in the metrics and adds its latency to the request it was made
 * for, so that request's log line shows `bbbCalls` and `bbbMs`. Calls with no answer or an unusable one are logged at
 * warn (with the request id when there is a request), the rest at debug.
 */
export function bbbCallObserver(metrics: GatewayMetrics, log: FastifyBaseLogger): (event: BbbCallEvent) => void {
  return (event) => {
    metrics.observeBbbCall(event);
    const observation = observationOfEvent(event.context);
    if (observation !== undefined) {
      observation.bbbCalls += 1;
      observation.bbbMs += event.durationMs;
    }
    const target = observation?.log ?? log;
    const fields = {
      bbbCall: event.call,
      outcome: event.outcome,
      messageKey: event.messageKey,
      durationMs: Math.round(event.durationMs * 10) / 10,
    };
    if (event.outcome === 'unavailable' || event.outcome === 'protocol')
      target.warn(fields, 'BigBlueButton call failed');
    else target.debug(fields, 'BigBlueButton call');
  };
}
