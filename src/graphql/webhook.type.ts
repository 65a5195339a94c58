import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { AttemptRecord, DeliveryPage, DeliveryRecord } from '../events/delivery.js';
import { PageInfo, pageInfoOf } from './recording.type.js';

@ObjectType({
  description:
    "Where the gateway sends your application's meeting events (Standard Webhooks), as the operator configured it.",
})
export class WebhookEndpoint {
  @Field({ description: 'The URL the webhooks are POSTed to.' })
  url!: string;

  @Field(() => [String], {
    description:
      'The event types sent to it (`meeting.created`, `meeting.ended`, `recording.ready`, `meeting.summary`); empty means all.',
  })
  types!: string[];

  @Field({
    description:
      "The `whsec_…` secret to verify the webhooks with (e.g. with the `standardwebhooks` package). Derived from the operator's key; during a key rotation the webhooks carry a signature for this one and for the previous one.",
  })
  secret!: string;
}

@ObjectType({ description: 'What happened to the one test webhook sendTestWebhook sent.' })
export class WebhookTestResult {
  @Field({ description: "The test event's `webhook-id`." })
  eventId!: string;

  @Field({ description: 'True when the endpoint answered 2xx.' })
  delivered!: boolean;

  @Field({
    description:
      '`delivered`, `failed` (anything but 2xx; redirects are not followed), `gone` (410: deliveries to the endpoint are now stopped) or `disabled` (stopped earlier by a 410; nothing was sent).',
  })
  outcome!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status the endpoint answered; null when it did not answer (see error) or nothing was sent.',
  })
  status?: number | undefined;

  @Field(() => String, {
    nullable: true,
    description:
      'Why there is no status: `no HTTP answer` (refused, unreachable, or no answer within 15 s). The details are in the gateway log only: they would describe its network.',
  })
  error?: string | undefined;

  @Field(() => Int, {
    nullable: true,
    description: 'How long the endpoint took to answer, in milliseconds; null when it did not answer.',
  })
  latencyMs?: number | undefined;
}

/**
 * What an app may learn of an attempt that got no HTTP answer: one coarse reason, and no latency. The network error
 * (ECONNREFUSED, ETIMEDOUT, ENOTFOUND, EHOSTUNREACH) and its timing would let sendTestWebhook and the delivery log map the
 * gateway's network; the log keeps them for the operator.
 */
export function appVisibleAttempt(a: {
  status?: number | undefined;
  error?: string | undefined;
  latencyMs?: number | undefined;
}): {
  error: string | undefined;
  latencyMs: number | undefined;
} {
  if (a.status === undefined && a.error !== undefined) return { error: NO_ANSWER, latencyMs: undefined };
  return { error: a.error, latencyMs: a.latencyMs };
}
const NO_ANSWER = 'no HTTP answer';

/** The delivery log's states; the values are the queue's own words. */
export enum WebhookDeliveryStatus {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one webhook delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Waiting for its first attempt or for a retry, or being attempted now.' },
    DELIVERED: { description: 'Your endpoint answered 2xx.' },
    FAILED: {
      description:
        'No attempt follows: the retry schedule is used up, or your endpoint answered 410 (deliveries to it are stopped until the operator enables it again).',
    },
  },
});

@ObjectType({ description: 'One HTTP attempt of a webhook delivery.' })
export class WebhookAttempt {
  @Field(() => Int, { description: '1 for the first attempt.' })
  attempt!: number;

  @Field(() => DateTimeResolver, { description: 'When the attempt ended.' })
  at!: Date;

  @Field({
    description:
      '`delivered` (2xx), `failed` (retried while the schedule lasts), `gone` (410), `disabled` (stopped earlier by a 410; nothing sent) or `skipped` (no endpoint for this type any more; nothing sent).',
  })
  outcome!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status your endpoint answered; null when it did not answer.',
  })
  statusCode?: number | undefined;

  @Field(() => Int, {
    nullable: true,
    description: 'How long your endpoint took to answer, in milliseconds; null when it did not answer.',
  })
  latencyMs?: number | undefined;

  @Field(() => String, {
    nullable: true,
    description:
      'Why there is no status: `no HTTP answer` (refused, unreachable, or no answer within 15 s; the details are in the gateway log only).',
  })
  error?: string | undefined;
}

@ObjectType({ description: 'One delivery of one event to your endpoint, from the delivery log (kept 7 days).' })
export class WebhookDelivery {
  @Field({ description: "The event's `webhook-id` (the same for its redeliveries): pass it to redeliverWebhook." })
  eventId!: string;

  @Field({ description: 'This delivery: the event ID, with `.r<n>` for the n-th redelivery.' })
  deliveryId!: string;

  @Field({ description: 'The event type, e.g. `meeting.ended`.' })
  type!: string;

  @Field(() => DateTimeResolver, { description: 'When the delivery was queued.' })
  queuedAt!: Date;

  @Field(() => WebhookDeliveryStatus, { description: 'Pending, delivered, or failed for good.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attemptCount!: number;

  @Field(() => [WebhookAttempt], { description: 'Every attempt, the first first.' })
  attempts!: WebhookAttempt[];

  @Field(() => Int, {
    nullable: true,
    description:
      'The HTTP status of the last attempt; null before the first attempt or when the endpoint did not answer.',
  })
  lastStatusCode?: number | undefined;

  @Field(() => Int, { nullable: true, description: 'The latency of the last attempt, in milliseconds.' })
  lastLatencyMs?: number | undefined;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the last attempt failed (`HTTP 500`, `no HTTP answer`, `410 Gone: endpoint disabled`, …); null when it succeeded or none was made.',
  })
  lastError?: string | undefined;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When the next retry is due; null when none is scheduled.',
  })
  nextAttemptAt?: Date | undefined;

  static from(r: DeliveryRecord): WebhookDelivery {
    const attempts = r.attempts.map((a) =>
      Object.assign(new WebhookAttempt(), {
        attempt: a.attempt,
        at: new Date(a.at),
        outcome: a.outcome,
        statusCode: a.status,
        ...appVisibleAttempt(a),
      }),
    );
    const last = r.attempts.at(-1);
    return Object.assign(new WebhookDelivery(), {
      eventId: r.event.id,
      deliveryId: r.id,
      type: r.event.type,
      queuedAt: new Date(r.queuedAtMs),
      status: r.status as WebhookDeliveryStatus,
      attemptCount: attempts.length,
      attempts,
      lastStatusCode: last?.status,
      lastLatencyMs: last === undefined ? undefined : appVisibleAttempt(last).latencyMs,
      lastError: last === undefined ? undefined : lastError(last),
      nextAttemptAt:
        r.status === 'pending' && last?.nextDelayMs !== undefined
          ? new Date(Date.parse(last.at) + last.nextDelayMs)
          : undefined,
    });
  }
}

function lastError(a: AttemptRecord): string | undefined {
  switch (a.outcome) {
    case 'delivered':
      return undefined;
    case 'gone':
      return '410 Gone: endpoint disabled';
    case 'disabled':
      return 'endpoint disabled by an earlier 410; nothing sent';
    case 'skipped':
      return 'no endpoint for this event type; nothing sent';
    default:
      return appVisibleAttempt(a).error ?? (a.status !== undefined ? `HTTP ${a.status}` : 'failed');
  }
}

@ObjectType({ description: 'One delivery in a page, with the cursor to continue after it.' })
export class WebhookDeliveryEdge {
  @Field({ description: 'Opaque cursor of this delivery; pass it as `after` to get the older ones.' })
  cursor!: string;

  @Field(() => WebhookDelivery, { description: 'The delivery.' })
  node!: WebhookDelivery;
}

@ObjectType({ description: 'A page of your webhook deliveries, newest first (Relay cursor connection).' })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: 'The deliveries of this page, each with its cursor.' })
  edges!: WebhookDeliveryEdge[];

  @Field(() => [WebhookDelivery], { description: 'The deliveries of this page.' })
  nodes!: WebhookDelivery[];

  @Field(() => PageInfo, { description: 'Whether more deliveries follow, and the cursor to get them.' })
  pageInfo!: PageInfo;

  static from(page: DeliveryPage, cursorOf: (r: DeliveryRecord) => string, after: boolean): WebhookDeliveryConnection {
    const edges = page.records.map((r) =>
      Object.assign(new WebhookDeliveryEdge(), { cursor: cursorOf(r), node: WebhookDelivery.from(r) }),
    );
    const pageInfo = pageInfoOf(edges, page.hasNextPage, after);
    return Object.assign(new WebhookDeliveryConnection(), { edges, nodes: edges.map((e) => e.node), pageInfo });
  }
}
