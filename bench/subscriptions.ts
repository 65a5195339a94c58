import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { signQuery } from '../src/bbb/signing.js';
import type { Simulator } from '../src/simulator/index.js';
import type { Row } from './report.js';
import type { ServerProcess } from './server-process.js';
import { benchToken, seedMeetings } from './workload.js';

const MB = 1024 * 1024;
const STREAM = 'subscription ($meetingId: ID) { meetingEvents(meetingId: $meetingId, types: [MEETING_ENDED]) { id } }';

export interface SubscriptionBench {
  /** Idle subscriptions held open, one per graphql-ws socket. */
  readonly idle: number;
  /** Meetings ended one at a time for the callback→subscriber latency. */
  readonly samples: number;
  readonly log: (line: string) => void;
}

/** The gateway's graphql-ws subscriptions streaming (their tail in place), from /metrics; 0 before the first. */
async function streamingCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^bbb_interface_subscriptions\{transport="ws"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Resolves when the gateway's count of streaming graphql-ws subscriptions fits `ok`. */
async function subscriptionsStreaming(url: string, ok: (n: number) => boolean): Promise<void> {
  while (!ok(await streamingCount(url))) await new Promise((resolve) => setTimeout(resolve, 20));
}

function client(url: string): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: benchToken() },
    lazy: false,
    retryAttempts: 0,
  });
}

/** Subscription sinks that collect errors, and the clients to dispose of at the end. */
class Clients {
  readonly failures: unknown[] = [];
  private readonly clients: Client[] = [];
  private readonly stops: Array<() => void> = [];

  open(url: string): Client {
    const c = client(url);
    this.clients.push(c);
    return c;
  }

  sink(next: () => void = () => {}) {
    return { next, error: (err: unknown) => void this.failures.push(err), complete: () => {} };
  }

  hold(stop: () => void): void {
    this.stops.push(stop);
  }

  check(): void {
    if (this.failures.length > 0) throw new Error(`subscriptions failed: ${JSON.stringify(this.failures[0])}`);
  }

  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await Promise.all(this.clients.splice(0).map((c) => c.dispose()));
  }
}

/**
 * (f) N idle subscriptions, one per socket: the gateway's resident memory per socket (RSS after − before, over N).
 * (g) callback → subscriber on that gateway (its event log in memory), with the N idle sockets still open.
 * The gateway runs with `subscriptionEnv`.
 */
export async function memoryLogScenarios(gateway: ServerProcess, sim: Simulator, o: SubscriptionBench): Promise<Row[]> {
  const clients = new Clients();
  try {
    const before = gateway.rssBytes();
    o.log(`(f) ${o.idle} idle subscriptions, one per graphql-ws socket`);
    for (let i = 0; i < o.idle; i++) {
      const stop = clients
        .open(gateway.url)
        .subscribe({ query: STREAM, variables: { meetingId: `idle-${i}` } }, clients.sink());
      clients.hold(stop);
    }
    await subscriptionsStreaming(gateway.url, (n) => n >= o.idle);
    const after = gateway.rssBytes();
    const perSocketKb = (after - before) / o.idle / 1024;
    const idleRow: Row = {
      scenario: `(f) ${o.idle} idle subscriptions (graphql-ws), RSS per socket`,
      measured: `${perSocketKb.toFixed(1)} KiB RSS per socket (${(before / MB).toFixed(0)} → ${(after / MB).toFixed(0)} MiB)`,
    };
    o.log(`(g) callback → subscriber latency, one gateway, memory event log, ${o.samples} meetings`);
    const latency = await callbackLatency(gateway, gateway, sim, o.samples, clients);
    clients.check();
    return [
      idleRow,
      latencyRow(`(g) BBB end callback → subscriber, one gateway, event log in memory, ${o.samples} meetings`, latency),
    ];
  } finally {
    await clients.close();
  }
}

/**
 * (h) callback → subscriber on the production path: replicas `a` and `b` share Redis (the event log a Redis Stream per
 * app, each replica tailing it with XREAD BLOCK). The meetings are created through A, so BBB calls A back; the
 * subscriber is on B. Both run with `redisSubscriptionEnv`.
 */
export async function redisLogScenario(
  a: ServerProcess,
  b: ServerProcess,
  sim: Simulator,
  o: SubscriptionBench,
): Promise<Row> {
  const clients = new Clients();
  try {
    o.log(`(h) callback into replica A → subscriber on replica B, event log in Redis, ${o.samples} meetings`);
    const firstCallback = sim.callbacks.length;
    const latency = await callbackLatency(a, b, sim, o.samples, clients);
    clients.check();
    // The path measured is the one named: every end callback went to A (and A took it), none to B.
    const ended = sim.callbacks.slice(firstCallback).filter((c) => c.kind === 'ended');
    const intoA = ended.filter((c) => c.url.startsWith(`${a.url}/`) && c.status !== undefined && c.status < 300);
    if (intoA.length !== o.samples || ended.some((c) => c.url.startsWith(`${b.url}/`)))
      throw new Error(
        `(h): expected ${o.samples} end callbacks taken by replica A and none to B, got ${JSON.stringify(ended)}`,
      );
    return latencyRow(
      `(h) BBB end callback into replica A → subscriber on replica B, event log in Redis (XREAD BLOCK), ${o.samples} meetings`,
      latency,
    );
  } finally {
    await clients.close();
  }
}

/**
 * Meetings created through `callbackInto` (BBB calls it back), each ended on BBB (the simulator) while one subscriber on
 * `subscriberOn` waits for its meeting.ended: the milliseconds from the `end` call to the event on the socket, one
 * meeting at a time, sorted.
 */
async function callbackLatency(
  callbackInto: ServerProcess,
  subscriberOn: ServerProcess,
  sim: Simulator,
  samples: number,
  clients: Clients,
): Promise<number[]> {
  const meetings = await seedMeetings(callbackInto.url, samples);
  const latencies: number[] = [];
  const watcher = clients.open(subscriberOn.url);
  const base = await streamingCount(subscriberOn.url);
  for (const m of meetings) {
    let arrived: () => void = () => {};
    const got = new Promise<void>((resolve) => (arrived = resolve));
    const stop = watcher.subscribe(
      { query: STREAM, variables: { meetingId: m.meetingId } },
      clients.sink(() => arrived()),
    );
    await subscriptionsStreaming(subscriberOn.url, (n) => n > base);
    const started = performance.now();
    const query = signQuery('end', [['meetingID', m.meetingId]], sim.secret, 'sha256');
    await (await fetch(`${sim.url}api/end?${query}`)).text();
    await got;
    latencies.push(performance.now() - started);
    stop();
    await subscriptionsStreaming(subscriberOn.url, (n) => n <= base);
  }
  return latencies.sort((x, y) => x - y);
}

function latencyRow(scenario: string, sorted: number[]): Row {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return {
    scenario,
    p50Ms: at(0.5),
    measured: `p50 ${ms(at(0.5))}, p95 ${ms(at(0.95))}, max ${ms(sorted[sorted.length - 1]!)} over ${sorted.length} meetings, from the end call on BBB (its answer delay, BENCH_BBB_LATENCY_MS, included) to the event on the socket`,
  };
}

/**
 * What the gateway needs for the subscription scenarios: events on, limits above the bench's N, and BBB's callbacks to
 * itself. Development mode, because only there PUBLIC_URL defaults to the listen address (a port the harness picks).
 */
export function subscriptionEnv(idle: number): Record<string, string> {
  return {
    NODE_ENV: 'development',
    WEBHOOK_SIGNING_KEY: 'bench-subscriptions-signing-key-0123456789abcdef',
    SUBSCRIPTION_CONNECTIONS_PER_APP: String(idle + 10),
  };
}

/** A namespace of this run's own on the shared Redis: the event log and the rate limiter's counters go under it. */
export function redisNamespace(redisUrl: string): { env: Record<string, string>; clean(): Promise<void> } {
  const prefix = `bench-subscriptions-${randomBytes(6).toString('hex')}`;
  return {
    env: { REDIS_URL: redisUrl, EVENTS_KEY_PREFIX: `${prefix}:events`, REDIS_KEY_PREFIX: `${prefix}:rate-limit` },
    async clean() {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 100 }) as AsyncIterable<string[]>)
          if (keys.length > 0) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
}
