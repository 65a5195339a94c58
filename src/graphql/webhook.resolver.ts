import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { GatewayError } from '../errors.js';
import type { Events } from '../events/index.js';
import type { DeliveryRecord } from '../events/delivery.js';
import type { GatewayContext } from './context.js';
import { BBB_CALLS_EXTENSION } from './limits.js';
import { callerOf } from './access-scopes.js';
import {
  appVisibleAttempt,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookTestResult,
} from './webhook.type.js';

const DEFAULT_DELIVERIES_PAGE = 20;
const MAX_DELIVERIES_PAGE = 100;

/** Opaque to the app: base64url of `[queuedAtMs, deliveryId]`, the log's order. */
function deliveryCursor(r: Pick<DeliveryRecord, 'queuedAtMs' | 'id'>): string {
  return Buffer.from(JSON.stringify([r.queuedAtMs, r.id])).toString('base64url');
}

function parseDeliveryCursor(cursor: string): { queuedAtMs: number; id: string } {
  const invalid = new GatewayError(
    'BAD_USER_INPUT',
    'after is not a cursor this API returned; pass a cursor or endCursor from an earlier webhookDeliveries page, or leave it out to start with the newest.',
  );
  if (cursor.length > 1024) throw invalid;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string')
      return { queuedAtMs: v[0] as number, id: v[1] };
  } catch {
    // fall through
  }
  throw invalid;
}

/** The calling app's webhook endpoint and a test send. Needs the app's API token (access tokens reach neither field). */
@Resolver()
export class WebhookResolver {
  constructor(private readonly events: Events | undefined) {}

  // No BBB call: the endpoint is configuration, the secret is derived.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Query(() => WebhookEndpoint, {
    nullable: true,
    description:
      "Your application's webhook endpoint and the secret to verify its webhooks with; null when the operator configured none for it (WEBHOOK_ENDPOINTS).",
  })
  webhookEndpoint(@Ctx() ctx: GatewayContext): WebhookEndpoint | null {
    const endpoint = this.events?.endpoint(callerOf(ctx).app);
    return endpoint
      ? Object.assign(new WebhookEndpoint(), { url: endpoint.url, types: [...endpoint.types], secret: endpoint.secret })
      : null;
  }

  // No BBB call: one signed POST to the app's own endpoint.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Mutation(() => WebhookTestResult, {
    description:
      'Sends one `webhook.test` event to your endpoint now, signed like every webhook, whatever types it receives; not retried. Says what the endpoint answered. NOT_FOUND when you have no endpoint.',
  })
  async sendTestWebhook(@Ctx() ctx: GatewayContext): Promise<WebhookTestResult> {
    const app = callerOf(ctx).app;
    const result = await this.events?.sendTest(app);
    if (!result)
      throw new GatewayError(
        'NOT_FOUND',
        'No webhook endpoint is configured for your application; the operator sets it in WEBHOOK_ENDPOINTS.',
      );
    return Object.assign(new WebhookTestResult(), {
      eventId: result.eventId,
      delivered: result.outcome === 'delivered',
      outcome: result.outcome,
      status: result.status,
      ...appVisibleAttempt(result),
    });
  }

  // No BBB call: the delivery log is in Redis (BullMQ's jobs) or in this process.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Query(() => WebhookDeliveryConnection, {
    description:
      "Your application's webhook deliveries of the last 7 days, newest first: each with its attempts, status codes, latencies and last error. Continue with after: pageInfo.endCursor while pageInfo.hasNextPage is true. Empty when you have no endpoint.",
  })
  async webhookDeliveries(
    @Arg('first', () => Int, {
      defaultValue: DEFAULT_DELIVERIES_PAGE,
      description: `Page size, 1 to ${MAX_DELIVERIES_PAGE}.`,
    })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: "The endCursor (or an edge's cursor) of the previous page; leave it out for the newest.",
    })
    after: string | null | undefined,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' })
    status: WebhookDeliveryStatus | null | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<WebhookDeliveryConnection> {
    const app = callerOf(ctx).app;
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE)
      throw new GatewayError('BAD_USER_INPUT', `first must be 1 to ${MAX_DELIVERIES_PAGE}.`);
    const cursor = after == null ? undefined : parseDeliveryCursor(after);
    const page = this.events
      ? await this.events.queue.deliveries(app, { first, after: cursor, status: status ?? undefined })
      : { records: [], hasNextPage: false };
    return WebhookDeliveryConnection.from(page, deliveryCursor, cursor !== undefined);
  }

  // No BBB call: the event is queued again from the delivery log.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Mutation(() => WebhookDelivery, {
    description:
      'Queues one of your events again (same `webhook-id`, same body, a fresh retry schedule), e.g. after your receiver lost it. Returns the new delivery; while the latest delivery of the event is still pending, returns that one instead. NOT_FOUND for an event that is not yours or no longer in the delivery log (7 days).',
  })
  async redeliverWebhook(
    @Arg('eventId', () => ID, { description: "The `webhook-id` (a delivery's eventId)." }) eventId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<WebhookDelivery> {
    const app = callerOf(ctx).app;
    const record = eventId.length <= 200 ? await this.events?.queue.redeliver(app, eventId) : undefined;
    if (!record)
      throw new GatewayError(
        'NOT_FOUND',
        `eventId names no event of your application in the delivery log (deliveries are kept 7 days; see webhookDeliveries).`,
      );
    return WebhookDelivery.from(record);
  }
}
