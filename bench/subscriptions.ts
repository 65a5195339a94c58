import { createClient, type Client } from 'graphql-ws';
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

/** Resolves when the gateway reports `n` subscriptions streaming (its tail in place), read from /metrics. */
async function streaming(url: string, n: number): Promise<void> {
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^bbb_interface_subscriptions\{transport="ws"\} (\d+)/m.exec(text);
    if (m && Number(m[1]) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

/**
 * (f) N idle subscriptions, one per socket: the gateway's resident memory per socket (RSS after − before, over N).
 * (g) callback → subscriber: a subscriber on one meeting's meeting.ended; BBB (the simulator) ends the meeting and calls
 * the gateway back; the time from the `end` call to the event arriving, p50 and p99 over `samples` meetings.
 * The gateway runs with `subscriptionEnv`.
 */
export async function subscriptionScenarios(
  gateway: ServerProcess,
  sim: Simulator,
  o: SubscriptionBench,
): Promise<Row[]> {
  const rows: Row[] = [];
  const failures: unknown[] = [];
  const sink = () => ({ next: () => {}, error: (err: unknown) => void failures.push(err), complete: () => {} });
  const clients: Client[] = [];
  const stops: Array<() => void> = [];
  try {
    const before = gateway.rssBytes();
    o.log(`(f) ${o.idle} idle subscriptions, one per graphql-ws socket`);
    for (let i = 0; i < o.idle; i++) {
      const c = client(gateway.url);
      clients.push(c);
      stops.push(c.subscribe({ query: STREAM, variables: { meetingId: `idle-${i}` } }, sink()));
    }
    await streaming(gateway.url, o.idle);
    const after = gateway.rssBytes();
    const perSocketKb = (after - before) / o.idle / 1024;
    rows.push({
      scenario: `(f) ${o.idle} idle subscriptions (graphql-ws)`,
      measured: `${perSocketKb.toFixed(1)} KiB RSS per socket (${(before / MB).toFixed(0)} → ${(after / MB).toFixed(0)} MiB)`,
    });

    o.log(`(g) callback → subscriber latency over ${o.samples} meetings`);
    const meetings = await seedMeetings(gateway.url, o.samples);
    const latencies: number[] = [];
    const watcher = client(gateway.url);
    clients.push(watcher);
    for (const m of meetings) {
      let arrived: () => void = () => {};
      const got = new Promise<void>((resolve) => (arrived = resolve));
      const stop = watcher.subscribe(
        { query: STREAM, variables: { meetingId: m.meetingId } },
        { ...sink(), next: () => arrived() },
      );
      await streaming(gateway.url, o.idle + 1);
      const started = performance.now();
      const query = signQuery('end', [['meetingID', m.meetingId]], sim.secret, 'sha256');
      await (await fetch(`${sim.url}api/end?${query}`)).text();
      await got;
      latencies.push(performance.now() - started);
      stop();
      await streamingBelow(gateway.url, o.idle + 1);
    }
    if (failures.length > 0) throw new Error(`subscriptions failed: ${JSON.stringify(failures[0])}`);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    rows.push({
      scenario: `(g) BBB end callback → subscriber (meeting.ended), ${o.samples} meetings`,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      measured:
        'from the end call on BBB (its answer delay, BENCH_BBB_LATENCY_MS, included) to the event on the socket',
    });
  } finally {
    for (const stop of stops) stop();
    await Promise.all(clients.map((c) => c.dispose()));
  }
  return rows;
}

async function streamingBelow(url: string, n: number): Promise<void> {
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^bbb_interface_subscriptions\{transport="ws"\} (\d+)/m.exec(text);
    if (m && Number(m[1]) < n) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
