import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import type {
  CreateMeetingMutation,
  IssueAccessTokenMutation,
  SendTestWebhookMutation,
  WebhookDeliveriesQuery,
  WebhookEndpointQuery,
} from '../generated/graphql.js';
import { deriveAppSecret } from '../../src/events/signing.js';
import { CREATE, ISSUE_TOKEN, SEND_TEST_WEBHOOK, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINT } from '../helpers/operations.js';
import { waitFor } from '../ops/support/ops-helpers.js';
import { gql, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { Receiver } from './support/receiver.js';

const SIGNING_KEY = 'webhook-graphql-test-signing-key-0123456789';

describe('GraphQL webhookEndpoint and sendTestWebhook', () => {
  let stack: Stack;
  let plain: Stack;
  let lms: Receiver;
  let portal: Receiver;
  let lmsUrl: string;

  beforeAll(async () => {
    lms = new Receiver(deriveAppSecret(SIGNING_KEY, 'lms', 2));
    portal = new Receiver(deriveAppSecret(SIGNING_KEY, 'portal', 2));
    lmsUrl = `${await lms.start()}/lms`;
    const portalUrl = `${await portal.start()}/portal`;
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: `lms=${lmsUrl},portal=${portalUrl}|meeting.ended|recording.ready`,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_SIGNING_KEY_VERSIONS: '2,1',
        ACCESS_TOKEN_SIGNING_KEY: 'webhook-graphql-access-token-key-0123456789',
      },
    });
    plain = await startStack();
  });

  afterAll(async () => {
    await stack.close();
    await plain.close();
    await lms.close();
    await portal.close();
  });

  it("shows the calling app its own endpoint and current secret (the rotation's newest version), and null to an app without one", async () => {
    const res = await gql<WebhookEndpointQuery>(stack, WEBHOOK_ENDPOINT, {}, TOKENS.lms);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.webhookEndpoint).toEqual({
      url: lmsUrl,
      types: [],
      secret: deriveAppSecret(SIGNING_KEY, 'lms', 2),
    });
    const portalRes = await gql<WebhookEndpointQuery>(stack, WEBHOOK_ENDPOINT, {}, TOKENS.portal);
    expect(portalRes.body.data!.webhookEndpoint).toEqual({
      url: expect.stringMatching(/\/portal$/),
      types: ['meeting.ended', 'recording.ready'],
      secret: deriveAppSecret(SIGNING_KEY, 'portal', 2),
    });
    expect(
      (await gql<WebhookEndpointQuery>(stack, WEBHOOK_ENDPOINT, {}, TOKENS.admin)).body.data!.webhookEndpoint,
    ).toBeNull();
    expect(
      (await gql<WebhookEndpointQuery>(plain, WEBHOOK_ENDPOINT, {}, TOKENS.lms)).body.data!.webhookEndpoint,
    ).toBeNull();
  });

  it('sends one signed webhook.test that the secret from webhookEndpoint verifies, even to an endpoint filtering types', async () => {
    const secret = (await gql<WebhookEndpointQuery>(stack, WEBHOOK_ENDPOINT, {}, TOKENS.portal)).body.data!
      .webhookEndpoint!.secret;
    const res = await gql<SendTestWebhookMutation>(stack, SEND_TEST_WEBHOOK, {}, TOKENS.portal);
    expect(res.body.errors).toBeUndefined();
    const result = res.body.data!.sendTestWebhook;
    expect(result).toEqual({
      eventId: expect.stringMatching(/^evt_test_[0-9a-f]{24}$/),
      delivered: true,
      outcome: 'delivered',
      status: 200,
      error: null,
      latencyMs: expect.any(Number),
    });
    // The attempt was made before the mutation answered.
    const hits = portal.received.filter((r) => r.headers['webhook-id'] === result.eventId);
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    expect(hit.headers['webhook-id']).toBe(result.eventId);
    expect(new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>)).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { message: expect.any(String) },
    });
    // Both key versions sign during the rotation: a receiver still holding version 1 accepts it too.
    expect(() =>
      new Webhook(deriveAppSecret(SIGNING_KEY, 'portal', 1)).verify(hit.body, hit.headers as Record<string, string>),
    ).not.toThrow();
    expect(lms.received.map((r) => r.headers['webhook-id'])).not.toContain(result.eventId);
  });

  it('says what the endpoint answered when it fails, and does not retry', async () => {
    // Only the test webhooks count: another test's meeting.created may reach the same receiver meanwhile.
    const testHooks = () =>
      lms.received.map((r) => String(r.headers['webhook-id'])).filter((id) => id.startsWith('evt_test_'));
    const before = testHooks().length;
    lms.answer({ status: 500 });
    const res = await gql<SendTestWebhookMutation>(stack, SEND_TEST_WEBHOOK, {}, TOKENS.lms);
    expect(res.body.data!.sendTestWebhook).toMatchObject({
      delivered: false,
      outcome: 'failed',
      status: 500,
      error: null,
    });
    // A second test arriving as the second request shows the first was not retried in between.
    const second = (await gql<SendTestWebhookMutation>(stack, SEND_TEST_WEBHOOK, {}, TOKENS.lms)).body.data!
      .sendTestWebhook;
    expect(second.delivered).toBe(true);
    expect(testHooks().slice(before)).toEqual([res.body.data!.sendTestWebhook.eventId, second.eventId]);
  });

  it('answers NOT_FOUND to an app without an endpoint, and FORBIDDEN to an access token', async () => {
    const none = await gql<SendTestWebhookMutation>(stack, SEND_TEST_WEBHOOK, {}, TOKENS.admin);
    expect(none.body.errors?.[0]).toMatchObject({
      extensions: { code: 'NOT_FOUND' },
      message: expect.stringMatching(/WEBHOOK_ENDPOINTS/),
    });
    // A portal meeting: portal's endpoint takes no meeting.created, so no delivery of it races the other tests'.
    const m = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Token room' } }, TOKENS.portal)).body
      .data!.createMeeting;
    const token = (
      await gql<IssueAccessTokenMutation>(
        stack,
        ISSUE_TOKEN,
        { input: { meetingId: m.meetingId, scopes: ['READ_MEETING'] } },
        TOKENS.portal,
      )
    ).body.data!.issueAccessToken.token;
    for (const op of [WEBHOOK_ENDPOINT, SEND_TEST_WEBHOOK]) {
      const res = await gql(stack, op, {}, `Bearer ${token}`);
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      expect(JSON.stringify(res.body)).not.toContain('whsec_');
    }
  });
});

describe('an endpoint that does not answer', () => {
  let stack: Stack;

  beforeAll(async () => {
    // A port nobody listens on any more: connections are refused.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    server.close();
    await once(server, 'close');
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: `lms=http://127.0.0.1:${port}/hooks`,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_RETRY_SCHEDULE_MS: '10',
      },
    });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('is reported to the app coarsely (no network details, no timing), the details only in the log', async () => {
    const res = await gql<SendTestWebhookMutation>(stack, SEND_TEST_WEBHOOK, {}, TOKENS.lms);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.sendTestWebhook).toEqual({
      eventId: expect.any(String),
      delivered: false,
      outcome: 'failed',
      status: null,
      error: 'no HTTP answer',
      latencyMs: null,
    });
    // The delivery log says no more.
    expect((await gql(stack, CREATE, { input: { name: 'Nobody listens' } }, TOKENS.lms)).body.errors).toBeUndefined();
    const failed = async () =>
      (await gql<WebhookDeliveriesQuery>(stack, WEBHOOK_DELIVERIES, { status: 'FAILED' }, TOKENS.lms)).body.data!
        .webhookDeliveries.nodes;
    await waitFor(async () => (await failed()).length > 0, 'the failed delivery');
    const [delivery] = await failed();
    expect(delivery!.lastError).toBe('no HTTP answer');
    expect(delivery!.lastLatencyMs).toBeNull();
    expect(delivery!.attempts.map((a) => [a.error, a.latencyMs])).toEqual([
      ['no HTTP answer', null],
      ['no HTTP answer', null],
    ]);
    expect(JSON.stringify(delivery)).not.toContain('ECONNREFUSED');
    expect(stack.logs.filter((l) => l.includes('ECONNREFUSED')).length).toBeGreaterThanOrEqual(3);
  });
});
