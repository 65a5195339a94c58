import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where the gateway sends your application\'s meeting events (Standard Webhooks), as the operator configured it.' })
export class WebhookEndpoint {
  @Field({ description: 'The URL the webhooks are POSTed to.' })
  url!: string;

  @Field(() => [String], { description: 'The event types sent to it (`meeting.created`, `meeting.ended`, `recording.ready`, `meeting.summary`); empty means all.' })
  types!: string[];

  @Field({
    description:
      'The `whsec_…` secret to verify the webhooks with (e.g. with the `standardwebhooks` package). Derived from the operator\'s key; during a key rotation the webhooks carry a signature for this one and for the previous one.',
  })
  secret!: string;
}

@ObjectType({ description: 'What happened to the one test webhook sendTestWebhook sent.' })
export class WebhookTestResult {
  @Field({ description: 'The test event\'s `webhook-id`.' })
  eventId!: string;

  @Field({ description: 'True when the endpoint answered 2xx.' })
  delivered!: boolean;

  @Field({ description: '`delivered`, `failed` (anything but 2xx; redirects are not followed), `gone` (410: deliveries to the endpoint are now stopped) or `disabled` (stopped earlier by a 410; nothing was sent).' })
  outcome!: string;

  @Field(() => Int, { nullable: true, description: 'The HTTP status the endpoint answered; null when it did not answer (see error) or nothing was sent.' })
  status?: number | undefined;

  @Field(() => String, { nullable: true, description: 'Why there is no status: `ETIMEDOUT` (15 s), `ECONNREFUSED`, …' })
  error?: string | undefined;

  @Field(() => Int, { nullable: true, description: 'How long the endpoint took to answer, in milliseconds.' })
  latencyMs?: number | undefined;
}
