import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

/** Where the suite looks for a Redis first: a developer's (or CI's) own server on the default port. */
export const DEFAULT_PROBE_URL = 'redis://127.0.0.1:6379';

const INSTALL_HINT =
  'The test suite needs Redis: no Redis answers at %s and `redis-server` is not installed to start one. ' +
  'Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or start a Redis on 127.0.0.1:6379.';

export interface TestRedis {
  /** What the Redis-using tests connect to (they read it as TEST_REDIS_URL). */
  url: string;
  /** True when this process started the server (and `stop` ends it). */
  started: boolean;
  stop(): Promise<void>;
}

/** True when a Redis at `url` answers PING within `timeoutMs`; false on refusal, silence or anything else. */
export async function answersPing(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The Redis the suite uses: the one answering at `probeUrl` if any, else a `redis-server` of its own on a free port
 * (no persistence), which `stop` ends. Throws at once, saying what to install, when neither is possible.
 */
export async function ensureTestRedis(options: { probeUrl?: string; redisServer?: string } = {}): Promise<TestRedis> {
  const probeUrl = options.probeUrl ?? DEFAULT_PROBE_URL;
  if (await answersPing(probeUrl)) return { url: probeUrl, started: false, stop: async () => {} };

  const port = await freePort();
  const child = spawn(
    options.redisServer ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await whenReady(child, probeUrl);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { url: `redis://127.0.0.1:${port}`, started: true, stop };
}

function whenReady(child: ChildProcess, probeUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT'
            ? INSTALL_HINT.replace('%s', probeUrl)
            : `redis-server could not be started: ${err.message}`,
        ),
      ),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited (${signal ?? code}) before it was ready:\n${output}`)),
    );
  });
}

// Jest loads this file itself, outside the test module mapper, so it imports nothing of ours (no `.js` specifiers).

declare global {
  // Shared with global-teardown.ts, which Jest runs in this same process.
  var __testRedis: TestRedis | undefined;
}

/**
 * Jest global setup: finds the suite a Redis (the one on 127.0.0.1:6379, or TEST_REDIS_PROBE_URL, else a `redis-server`
 * started here on a free port) and hands its URL to every test worker as TEST_REDIS_URL. Fails the run at once, saying
 * what to install, when there is no Redis and no `redis-server`.
 */
export default async function globalSetup(): Promise<void> {
  const redis = await ensureTestRedis({ probeUrl: process.env.TEST_REDIS_PROBE_URL || undefined });
  globalThis.__testRedis = redis;
  // Workers are started after this and inherit the environment.
  process.env.TEST_REDIS_URL = redis.url;
  if (redis.started)
    process.stderr.write(
      `\nNo Redis at ${process.env.TEST_REDIS_PROBE_URL || '127.0.0.1:6379'}: started redis-server for the tests at ${redis.url}\n`,
    );
}
