import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server under test, running in its own Node process so the load generator does not share its event loop. */
export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  /** Milliseconds from spawn to the first answered request. */
  readonly startupMs: number;
  /** Resident set size from /proc/<pid>/status, in bytes. */
  rssBytes(): number;
  /** User + system CPU time the process has used so far, in milliseconds (from /proc/<pid>/stat). */
  cpuMs(): number;
  /** The same, with its system (kernel) part (socket reads and writes, wake-ups of the peer, the log's writes), in one read. */
  cpuTimes(): CpuTimes;
  stop(): Promise<void>;
}

interface CpuTimes {
  totalMs: number;
  systemMs: number;
}

export interface SpawnOptions {
  /** Script to run with `node`, relative to the working directory (e.g. `dist/src/main.js`). */
  script: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** A request that must be answered (any HTTP status below 500) before the server counts as started. */
  probe: (url: string) => Promise<boolean>;
  /** Give up after this long, in milliseconds. Default 15000. */
  startTimeoutMs?: number;
}

/** A port nobody listens on right now (the child binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node <script>` with PORT set and polls `probe` until it succeeds. stdout (the JSON logs) goes to /dev/null:
 * the gateway still formats and writes every line, but nobody has to read them.
 */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdio: ['ignore', devNull, 'pipe'],
  });
  closeSync(devNull);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });

  const deadline = started + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${options.script} exited with ${exitCode} before answering:\n${stderr}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} did not answer within ${options.startTimeoutMs ?? 15_000} ms:\n${stderr}`);
    }
    if (await options.probe(url).catch(() => false)) break;
    await sleep(5);
  }
  const startupMs = performance.now() - started;
  const pid = child.pid!;

  return {
    pid,
    url,
    startupMs,
    rssBytes: () => readRssBytes(pid),
    cpuMs: () => readCpuTimes(pid).totalMs,
    cpuTimes: () => readCpuTimes(pid),
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

const CLOCK_TICKS_PER_S = 100;

function readCpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses; the fields after the last `)` are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { totalMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_S, systemMs: (stime * 1000) / CLOCK_TICKS_PER_S };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
