import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks 1.0 signing (standard-webhooks/standard-webhooks:spec/standard-webhooks.md): a `whsec_` secret per app,
 * derived from the operator's WEBHOOK_SIGNING_KEY so nothing is stored, and `v1,<base64 HMAC-SHA256>` over `id.timestamp.body`.
 */

const SECRET_PREFIX = 'whsec_';
/** The operator key must carry at least this many bytes (UTF-8) so the derived secrets are as strong as random ones. */
export const MIN_SIGNING_KEY_BYTES = 32;

/** HMAC-SHA256 of `message` under `key`, the one primitive everything here is built from. */
export function hmacSha256(key: string | Uint8Array, message: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/**
 * The app's secret for one key version: `whsec_` + base64(HMAC-SHA256(signingKey, "whsec|<app>|<version>")).
 * 32 bytes of key material, inside the 24–64 bytes the spec asks for; the version lets the operator rotate every secret at once.
 */
export function deriveAppSecret(signingKey: string, app: string, version: number): string {
  return SECRET_PREFIX + hmacSha256(signingKey, `whsec|${app}|${version}`).toString('base64');
}

/** The raw key bytes of a `whsec_` secret, as the standardwebhooks library reads them. */
export function secretKeyBytes(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three headers of one attempt. `secrets` lists the app's current secret first and, during a rotation, the previous
 * ones: each gives one space-separated `v1,` entry, so receivers holding either secret accept the webhook.
 */
export function signWebhook(input: {
  id: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): WebhookHeaders {
  if (input.secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  if (!Number.isInteger(input.timestampSeconds)) throw new Error('webhook timestamps are whole unix seconds');
  const content = `${input.id}.${input.timestampSeconds}.${input.body}`;
  const signature = input.secrets
    .map((s) => `v1,${hmacSha256(secretKeyBytes(s), content).toString('base64')}`)
    .join(' ');
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signature,
  };
}

/** Derives the secrets of every app from one key; `versions[0]` is current (shown to the app), the rest still sign. */
export class WebhookSecrets {
  constructor(
    private readonly signingKey: string,
    private readonly versions: readonly number[],
  ) {
    if (Buffer.byteLength(signingKey, 'utf8') < MIN_SIGNING_KEY_BYTES)
      throw new Error(`the webhook signing key must have at least ${MIN_SIGNING_KEY_BYTES} bytes`);
    if (versions.length === 0) throw new Error('at least one key version is needed');
  }

  /** The secret the app should verify with now (its token may read it). */
  current(app: string): string {
    return deriveAppSecret(this.signingKey, app, this.versions[0]!);
  }

  /** Every secret that signs the app's webhooks: the current one first, then those still in their overlap period. */
  signing(app: string): string[] {
    return this.versions.map((v) => deriveAppSecret(this.signingKey, app, v));
  }
}
