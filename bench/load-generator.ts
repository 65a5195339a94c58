import autocannon from 'autocannon';

/** One HTTP request the load generator sends as is (headers and body are built once, not per request). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  /** Requests cycled through; each connection starts at a different offset so they do not send the same one at once. */
  requests: readonly BenchRequest[];
  connections: number;
  /** Default 1. */
  pipelining?: number;
  /** Run for this many seconds (excludes `amount`). */
  durationS?: number;
  /** Send exactly this many requests in total, then stop. */
  amount?: number;
  /** HTTP statuses that count as success; anything else is an error. */
  okStatuses: readonly number[];
  /** A response whose body contains this text is an error whatever its status (GraphQL errors can come with 200). */
  rejectBody?: string;
  /** Per-request timeout in seconds. Default 10. */
  timeoutS?: number;
}

export interface LoadResult {
  /** Answered requests. */
  requests: number;
  /** Answered requests with an OK status per second of the run. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests answered with a status outside `okStatuses`, plus connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  durationS: number;
  /** Every response time, in milliseconds, sorted ascending. */
  latenciesMs: number[];
  /** Requests answered with an OK status. */
  okCount: number;
}

/** Runs autocannon in this process and computes exact percentiles from every response time it reports. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ok = new Set(options.okStatuses);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let okCount = 0;
  const { rejectBody } = options;
  let nextClient = 0;
  const pool = options.requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.body }));
  // Connection k sends requests k, k + n, k + 2n, … of the pool, so no two connections send the same request and a burst
  // of n connections sends n different ones; with fewer requests than connections, each starts at its own offset.
  const requestsFor = (k: number): autocannon.Request[] => {
    const n = options.connections;
    if (pool.length >= n) return pool.filter((_, i) => i % n === k % n);
    const offset = k % pool.length;
    return [...pool.slice(offset), ...pool.slice(0, offset)];
  };

  const started = performance.now();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: options.pipelining ?? 1,
        timeout: options.timeoutS ?? 10,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
        requests: pool.slice(0, 1),
        setupClient: (client) => client.setRequests(requestsFor(nextClient++)),
        ...(rejectBody === undefined ? {} : { verifyBody: (body: unknown) => !String(body).includes(rejectBody) }),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    if (ok.has(statusCode)) okCount++;
  });
  const result = await done;
  const durationS = (performance.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const errors = latencies.length - okCount + result.mismatches + result.errors + result.timeouts;
  return resultOf(latencies, okCount, errors, statusCounts, durationS);
}

/** Several runs against one server as if they were one: requests and time add up, percentiles come from all latencies. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const statusCounts: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
  const sum = (f: (r: LoadResult) => number) => results.reduce((acc, r) => acc + f(r), 0);
  return resultOf(
    latencies,
    sum((r) => r.okCount),
    sum((r) => r.errors),
    statusCounts,
    sum((r) => r.durationS),
  );
}

/** A LoadResult from sorted latencies and counts. */
export function resultOf(
  sorted: number[],
  okCount: number,
  errors: number,
  statusCounts: Record<string, number>,
  durationS: number,
): LoadResult {
  return {
    requests: sorted.length,
    reqPerSec: okCount / durationS,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    errors,
    statusCounts,
    durationS,
    latenciesMs: sorted,
    okCount,
  };
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
