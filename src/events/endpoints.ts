import { EVENT_TYPES, type EventType, type WebhookEndpoint } from './types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Parses `WEBHOOK_ENDPOINTS`: entries separated by commas or newlines, each `app=https://…` optionally followed by
 * `|type|type` to receive only those types. `|` cannot appear unescaped in a URL, so it never splits one. Problems name the
 * entry and never echo the URL (it may carry a secret path).
 */
export function parseEndpointList(
  text: string,
  opts: { requireHttps: boolean },
): { endpoints: WebhookEndpoint[]; problems: string[] } {
  const endpoints: WebhookEndpoint[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push('no app=https://… entry given');
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const before = problems.length;
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      problems.push(`${where} is not of the form app=https://…`);
      return;
    }
    const app = entry.slice(0, eq).trim();
    const [rawUrl = '', ...typeList] = entry
      .slice(eq + 1)
      .split('|')
      .map((s) => s.trim());
    if (!NAME.test(app)) problems.push(`${where}: the app name must be 1-64 letters, digits, or . _ - (a token name)`);
    let url: URL | undefined;
    try {
      url = new URL(rawUrl);
    } catch {
      problems.push(`${where} (${app}): not a URL`);
    }
    if (url) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        problems.push(`${where} (${app}): must be an https URL`);
      else if (url.protocol === 'http:' && opts.requireHttps)
        problems.push(
          `${where} (${app}): must be https in production (set WEBHOOK_ALLOW_HTTP=true for an internal network)`,
        );
      if (url.username !== '' || url.password !== '')
        problems.push(`${where} (${app}): must not carry a user name or password`);
    }
    const types: EventType[] = [];
    for (const t of typeList.filter(Boolean)) {
      if ((EVENT_TYPES as readonly string[]).includes(t)) types.push(t as EventType);
      else problems.push(`${where} (${app}): unknown event type "${t}" (known: ${EVENT_TYPES.join(', ')})`);
    }
    if (seen.has(app)) problems.push(`${where}: app "${app}" has a second endpoint; give each app one`);
    else if (url && problems.length === before) endpoints.push({ app, url: url.href, types });
    seen.add(app);
  });
  return { endpoints, problems };
}

/** `5000,300000,…` → delays in ms; `what` names the variable in problems. */
export function parseSchedule(text: string, what: string, problems: string[]): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const delays = parts.map(Number);
  if (
    parts.length === 0 ||
    parts.length > 50 ||
    delays.some((d) => !Number.isInteger(d) || d < 0 || d > 7 * 86_400_000)
  ) {
    problems.push(
      `${what}: must be 1-50 comma-separated whole numbers of milliseconds, each at most 7 days (604800000)`,
    );
    return [];
  }
  return delays;
}
