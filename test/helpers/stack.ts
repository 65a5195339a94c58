import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { createGateway, type Gateway, type GatewayDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

/** Two apps, so isolation between them can be tested. Tokens are long enough for the production rule. */
export const TOKENS = {
  lms: 'lms-token-0123456789abcdef',
  portal: 'portal-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
} as const;

export interface Stack {
  /** Gateway base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  sim: Simulator;
  gateway: Gateway;
  /** Every JSON log line the gateway wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** Two gateway replicas with the same configuration in front of one simulator; close() stops both, then the simulator. */
export interface Replicas {
  sim: Simulator;
  a: Stack;
  b: Stack;
  close(): Promise<void>;
}

export async function startReplicas(options: Omit<StackOptions, 'simulator'> = {}): Promise<Replicas> {
  const sim = await startSimulator(options.sim);
  const a = await startStack({ ...options, simulator: sim });
  const b = await startStack({ ...options, simulator: sim });
  return {
    sim,
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await sim.close();
    },
  };
}

export interface StackOptions {
  env?: Record<string, string>;
  sim?: SimulatorOptions;
  /** Reuse a simulator (e.g. two gateways against one BBB); it is then not closed by this stack. */
  simulator?: Simulator;
  deps?: Omit<GatewayDeps, 'logStream'>;
}

/**
 * A real gateway listening on 127.0.0.1:0, wired to a real simulator over loopback, logs captured in memory.
 * close() stops both and fails if any log line holds a secret, a token or a checksum value.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = options.simulator ?? (await startSimulator(options.sim));
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    BBB_URL: sim.url,
    BBB_SECRET: sim.secret,
    API_TOKENS: `lms:${TOKENS.lms},portal:${TOKENS.portal},admin:${TOKENS.admin}`,
    API_ALL_MEETINGS_APPS: 'admin',
    LOG_LEVEL: 'info',
    // Tests close many stacks; the drain window for idle keep-alive connections is tested where it matters.
    SHUTDOWN_DRAIN_MS: '0',
    ...options.env,
  });
  const gateway = await createGateway(config, { ...options.deps, logStream });
  const url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    sim,
    gateway,
    logs,
    async close() {
      await gateway.close();
      if (!options.simulator) await sim.close();
      assertNoSecretsIn(logs, [sim.secret, ...Object.values(TOKENS)]);
    },
  };
}

export function assertNoSecretsIn(lines: string[], secrets: string[]): void {
  for (const line of lines) {
    for (const secret of secrets) {
      if (line.includes(secret)) throw new Error(`a log line contains a secret or token: ${line.slice(0, 200)}`);
    }
    if (/checksum=[0-9a-f]{20,}/i.test(line))
      throw new Error(`a log line contains a checksum value: ${line.slice(0, 200)}`);
  }
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** POST JSON (or a raw string) to the gateway; never follows redirects. */
export async function post<T = Record<string, unknown>>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export interface GraphQLBody<D = Record<string, unknown>> {
  data?: D | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** One GraphQL operation over HTTP POST; `token` null sends no Authorization header. */
export async function gql<D = Record<string, unknown>>(
  stack: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = TOKENS.lms,
): Promise<HttpResult<GraphQLBody<D>>> {
  return post<GraphQLBody<D>>(
    `${stack.url}/graphql`,
    { query, variables },
    token === null ? {} : { authorization: token },
  );
}

/**
 * Follows a signed join URL the way a browser does and returns the simulator's join page. Redirects from one join call
 * to another (Scalelite hands the join to a backend with a 302) are followed, up to `maxHops`; any other redirect that
 * is not to the client page (an error redirect) is returned as it is, with its status and location.
 */
export async function openJoinLink(
  joinUrl: string,
  maxHops = 3,
): Promise<{
  status: number;
  role?: string;
  fullName?: string;
  meetingName?: string;
  location?: string;
  html: string;
  hops: string[];
}> {
  const hops: string[] = [joinUrl];
  let current = joinUrl;
  let first = await fetch(current, { redirect: 'manual' });
  let location = first.headers.get('location') ?? undefined;
  await first.text();
  while (isRedirect(first.status) && location && isJoinCall(new URL(location, current)) && hops.length <= maxHops) {
    current = new URL(location, current).toString();
    hops.push(current);
    first = await fetch(current, { redirect: 'manual' });
    location = first.headers.get('location') ?? undefined;
    await first.text();
  }
  if (first.status !== 302 || !location || !location.includes('sessionToken=')) {
    return { status: first.status, location, html: '', hops };
  }
  const page = await fetch(new URL(location, current));
  const html = await page.text();
  const field = (id: string) => {
    const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
    return m ? decodeHtml(m[1]!) : undefined;
  };
  return {
    status: page.status,
    role: field('role'),
    fullName: field('fullName'),
    meetingName: field('meetingName'),
    location,
    html,
    hops,
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isJoinCall(url: URL): boolean {
  return url.pathname.endsWith('/api/join');
}

/**
 * Calls the simulator's BBB API directly, signed here with node:crypto (sha256 over call + query + secret), never with
 * the adapter's signing code: for meetings made outside the gateway and for checking what the server holds.
 */
export async function callSimulator(
  sim: Pick<Simulator, 'url' | 'secret'>,
  call: string,
  params: Record<string, string>,
): Promise<string> {
  const query = new URLSearchParams(params).toString();
  const checksum = createHash('sha256').update(`${call}${query}${sim.secret}`, 'utf8').digest('hex');
  const res = await fetch(`${sim.url}api/${call}?${query}${query ? '&' : ''}checksum=${checksum}`);
  return res.text();
}

function decodeHtml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
