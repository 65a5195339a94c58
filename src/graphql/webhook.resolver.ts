import { Ctx, Extensions, Mutation, Query, Resolver } from 'type-graphql';
import { GatewayError } from '../errors.js';
import type { Events } from '../events/index.js';
import type { GatewayContext } from './context.js';
import { BBB_CALLS_EXTENSION } from './limits.js';
import { callerOf } from './meeting.resolver.js';
import { WebhookEndpoint, WebhookTestResult } from './webhook.type.js';

/** The calling app's webhook endpoint and a test send. Needs the app's API token (access tokens reach neither field). */
@Resolver()
export class WebhookResolver {
  constructor(private readonly events: Events | undefined) {}

  // No BBB call: the endpoint is configuration, the secret is derived.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Query(() => WebhookEndpoint, {
    nullable: true,
    description: 'Your application\'s webhook endpoint and the secret to verify its webhooks with; null when the operator configured none for it (WEBHOOK_ENDPOINTS).',
  })
  webhookEndpoint(@Ctx() ctx: GatewayContext): WebhookEndpoint | null {
    const endpoint = this.events?.endpoint(callerOf(ctx).app);
    return endpoint ? Object.assign(new WebhookEndpoint(), { url: endpoint.url, types: [...endpoint.types], secret: endpoint.secret }) : null;
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
    if (!result) throw new GatewayError('NOT_FOUND', 'No webhook endpoint is configured for your application; the operator sets it in WEBHOOK_ENDPOINTS.');
    return Object.assign(new WebhookTestResult(), {
      eventId: result.eventId,
      delivered: result.outcome === 'delivered',
      outcome: result.outcome,
      status: result.status,
      error: result.error,
      latencyMs: result.latencyMs,
    });
  }
}
