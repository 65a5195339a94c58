import { connect, type Socket } from 'node:net';
import type { BenchRequest, LoadResult } from './load-generator.js';
import { resultOf } from './load-generator.js';

export interface BurstOptions {
  url: string;
  /** One request per connection, all sent at once. */
  requests: readonly BenchRequest[];
  okStatuses: readonly number[];
  /** A response whose body contains this text is an error whatever its status. */
  rejectBody?: string;
  /** Give up on answers after this long, in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/** Connections opened at a time before the burst: more at once would overflow the server's listen backlog (511). */
const CONNECT_BATCH = 100;

/**
 * The 9:00 burst: one keep-alive connection per request is opened first (as an LMS backend's or a proxy's pool would
 * hold them), then every request is written in one synchronous loop, so they reach the server within a few
 * milliseconds of each other. Latency runs from each request's write to the last byte of its answer.
 *
 * Not autocannon: it builds each of its 1,000 clients (and their TCP connections) one after the other, which spreads the
 * "simultaneous" requests over ~200 ms on this machine and starts their clocks before their connections exist: a bare
 * Fastify answering a constant then shows a p50 near 200 ms. That measures the load generator, not the server.
 */
export async function runBurst(options: BurstOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(options.url);
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < options.requests.length; i += CONNECT_BATCH) {
      const batch = options.requests.slice(i, i + CONNECT_BATCH).map(
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect({ host: hostname, port: Number(port), noDelay: true });
            socket.once('connect', () => resolve(socket));
            socket.once('error', reject);
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }

    const wire = options.requests.map((r) => rawRequest(r, `${hostname}:${port}`));
    const ok = new Set(options.okStatuses);
    const statusCounts: Record<string, number> = {};
    const latencies: number[] = [];
    let okCount = 0;
    let errors = 0;
    const started = performance.now();
    const answers = sockets.map((socket, i) => {
      const sentAt = performance.now();
      const answer = readOneResponse(socket, options.timeoutMs ?? 10_000).then(
        ({ status, body }) => {
          latencies.push(performance.now() - sentAt);
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          if (ok.has(status) && (options.rejectBody === undefined || !body.includes(options.rejectBody))) okCount++;
          else errors++;
        },
        () => {
          errors++;
        },
      );
      socket.write(wire[i]!);
      return answer;
    });
    await Promise.all(answers);
    const durationS = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return resultOf(latencies, okCount, errors, statusCounts, durationS);
  } finally {
    for (const s of sockets) s.destroy();
  }
}

function rawRequest(r: BenchRequest, host: string): Buffer {
  const body = Buffer.from(r.body ?? '', 'utf8');
  const headers = { host, connection: 'keep-alive', ...r.headers, 'content-length': String(body.length) };
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Reads one HTTP/1.1 response with a Content-Length (what Fastify sends) from a socket that has one request in flight. */
function readOneResponse(socket: Socket, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err?: Error, value?: { status: number; body: string }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(value!);
    };
    const onError = (err: Error) => finish(err);
    const onClose = () => finish(new Error('connection closed before the answer was complete'));
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      finish(undefined, { status, body: buffered.subarray(end + 4, end + 4 + length).toString('utf8') });
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
