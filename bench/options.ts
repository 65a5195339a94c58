/** What `npm run bench` can be told through the environment; every duration has its unit in the name. */
export interface BenchOptions {
  /** Simulated BBB answer delay, in milliseconds (BENCH_BBB_LATENCY_MS, default 20). */
  bbbLatencyMs: number;
  /** Measured seconds per throughput scenario (BENCH_DURATION_S, default 10). */
  durationS: number;
  /** The warm-join measurements take turns in this many slices, so noise hits the gateway and its baseline alike (BENCH_ROUNDS, default 3). */
  rounds: number;
  /** Warm-up seconds before each throughput scenario, not measured; also caps each slice's own 1 s (BENCH_WARMUP_S, default 3). */
  warmupS: number;
  /** Concurrent keep-alive connections for throughput scenarios (BENCH_CONNECTIONS, default 32). */
  connections: number;
  /** Concurrent connections for createMeeting (BENCH_CREATE_CONNECTIONS, default 8). */
  createConnections: number;
  /** Concurrent joins in the burst (BENCH_BURST, default 1000). */
  burst: number;
  /** Requests per half of the memory scenario (BENCH_MEMORY_REQUESTS, default 100000). */
  memoryRequests: number;
  /** Meetings kept warm in the throughput and memory scenarios (BENCH_MEETINGS, default 200). */
  meetings: number;
  /** Meetings joined in the memory scenario (BENCH_MEMORY_MEETINGS, default 400). */
  memoryMeetings: number;
  /** Distinct participants (request bodies) in the memory scenario (BENCH_USERS, default 20000). */
  users: number;
  /** Cold starts measured; the median is reported (BENCH_COLD_STARTS, default 3). */
  coldStarts: number;
  /** Profile the gateway under the warm join loads and append the top costs (BENCH_PROFILE, default 1). */
  profile: boolean;
  /** Idle subscriptions (one graphql-ws socket each) in the subscription scenario (BENCH_SUBSCRIPTIONS, default 500). */
  subscriptions: number;
  /** Meetings ended one by one for the callback→subscriber latency (BENCH_SUBSCRIPTION_SAMPLES, default 50). */
  subscriptionSamples: number;
  /** The Redis the production-path subscription latency runs on, in a namespace of the run's own (BENCH_REDIS_URL, default redis://127.0.0.1:6379). */
  redisUrl: string;
  /** Where the results file goes (BENCH_RESULTS_DIR, default bench/results). */
  resultsDir: string;
  /** Scenario groups to run, comma-separated (BENCH_ONLY: baselines,warm,create,bbbcall,burst,naive,memory,coldstart,profile,subscriptions); all when unset. */
  only: ReadonlySet<string> | undefined;
}

const SCENARIO_GROUPS = [
  'baselines',
  'warm',
  'create',
  'bbbcall',
  'burst',
  'naive',
  'memory',
  'coldstart',
  'profile',
  'subscriptions',
] as const;

export function benchOptions(env: Record<string, string | undefined>): BenchOptions {
  const problems: string[] = [];
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const onlyRaw = env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const g of onlyRaw ?? []) {
    if (!(SCENARIO_GROUPS as readonly string[]).includes(g))
      problems.push(`BENCH_ONLY: "${g}" is not one of ${SCENARIO_GROUPS.join(', ')}`);
  }
  const options: BenchOptions = {
    bbbLatencyMs: num('BENCH_BBB_LATENCY_MS', 20, 0, 10_000),
    durationS: num('BENCH_DURATION_S', 10, 1, 600),
    rounds: num('BENCH_ROUNDS', 3, 1, 100),
    warmupS: num('BENCH_WARMUP_S', 3, 0, 600),
    connections: num('BENCH_CONNECTIONS', 32, 1, 10_000),
    createConnections: num('BENCH_CREATE_CONNECTIONS', 8, 1, 10_000),
    burst: num('BENCH_BURST', 1000, 1, 10_000),
    memoryRequests: num('BENCH_MEMORY_REQUESTS', 100_000, 1_000, 10_000_000),
    meetings: num('BENCH_MEETINGS', 200, 1, 100_000),
    memoryMeetings: num('BENCH_MEMORY_MEETINGS', 400, 1, 100_000),
    users: num('BENCH_USERS', 20_000, 1, 1_000_000),
    coldStarts: num('BENCH_COLD_STARTS', 3, 1, 50),
    subscriptions: num('BENCH_SUBSCRIPTIONS', 500, 1, 100_000),
    subscriptionSamples: num('BENCH_SUBSCRIPTION_SAMPLES', 50, 1, 10_000),
    profile: (env.BENCH_PROFILE ?? '1') !== '0',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    resultsDir: env.BENCH_RESULTS_DIR ?? 'bench/results',
    only: onlyRaw && onlyRaw.length > 0 ? new Set(onlyRaw) : undefined,
  };
  if (problems.length > 0)
    throw new Error(`npm run bench cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return Object.freeze(options);
}
