import { describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { deriveAppSecret, hmacSha256, secretKeyBytes, signWebhook, WebhookSecrets } from '../../src/events/signing.js';

const KEY = 'operator-signing-key-with-at-least-32-bytes';

describe('webhook signing', () => {
  it('computes HMAC-SHA256 as GitHub publishes it (github/docs validating-webhook-deliveries.md)', () => {
    expect(hmacSha256("It's a Secret to Everybody", 'Hello, World!').toString('hex')).toBe(
      '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it("reproduces the Standard Webhooks specification's test vector", () => {
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestampSeconds: 1614265330,
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('derives a whsec_ secret per app and version that the standardwebhooks library accepts', () => {
    const a1 = deriveAppSecret(KEY, 'lms', 1);
    expect(a1).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKeyBytes(a1)).toHaveLength(32);
    expect(deriveAppSecret(KEY, 'lms', 1)).toBe(a1);
    expect(
      new Set([
        a1,
        deriveAppSecret(KEY, 'lms', 2),
        deriveAppSecret(KEY, 'other', 1),
        deriveAppSecret(`${KEY}!`, 'lms', 1),
      ]).size,
    ).toBe(4);
    expect(() => new Webhook(a1)).not.toThrow();
  });

  it('signs so that the standardwebhooks library verifies, and refuses a changed body or another app', () => {
    const secrets = new WebhookSecrets(KEY, [1]);
    const body = JSON.stringify({
      type: 'meeting.ended',
      timestamp: '2026-12-02T12:00:00.000Z',
      data: { meetingId: 'room-42' },
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhook({ id: 'evt_1', timestampSeconds: now, body, secrets: secrets.signing('lms') });
    expect(new Webhook(secrets.current('lms')).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(secrets.current('lms')).verify(body.replace('42', '43'), { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secrets.current('other')).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('sends one signature per version during a rotation, so both the old and the new secret verify', () => {
    const rotating = new WebhookSecrets(KEY, [2, 1]);
    const body = '{"type":"meeting.ended"}';
    const headers = signWebhook({
      id: 'evt_2',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: rotating.signing('lms'),
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(rotating.current('lms')).toBe(deriveAppSecret(KEY, 'lms', 2));
    for (const v of [1, 2])
      expect(() => new Webhook(deriveAppSecret(KEY, 'lms', v)).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(deriveAppSecret(KEY, 'lms', 3)).verify(body, { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('refuses a short operator key', () => {
    expect(() => new WebhookSecrets('x'.repeat(31), [1])).toThrow(/32 bytes/);
    expect(() => new WebhookSecrets(KEY, [])).toThrow();
  });
});
