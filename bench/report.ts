import { cpus, totalmem } from 'node:os';
import type { BenchOptions } from './options.js';

/** One line of the results table; a scenario without a target leaves `met` undefined. */
export interface Row {
  scenario: string;
  reqPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  /** e.g. `1 getMeetingInfo`. */
  bbbCalls?: string;
  /** e.g. `0.74 × (b)`. */
  ratio?: string;
  target?: string;
  met?: boolean;
  /** What was measured against the target when it is not in another column (RSS, start-up time). */
  measured?: string;
  /** By how much a missed target was missed. */
  shortfall?: string;
  /** CPU the server process used during the measurement, in % of one core. */
  serverCpuPct?: number;
}

const HEADERS = [
  'scenario',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'BBB calls',
  'ratio to its baseline',
  'target',
  'result',
  'server CPU',
];

function cells(r: Row): string[] {
  const n = (v: number | undefined, digits = 0) =>
    v === undefined || Number.isNaN(v)
      ? ''
      : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const result =
    r.met === undefined ? (r.measured ?? '') : `${r.met ? 'met' : 'MISSED'}${r.measured ? `: ${r.measured}` : ''}`;
  return [
    r.scenario,
    n(r.reqPerSec),
    n(r.p50Ms, 1),
    n(r.p99Ms, 1),
    r.errors === undefined ? '' : String(r.errors),
    r.bbbCalls ?? '',
    r.ratio ?? '',
    r.target ?? '',
    result,
    r.serverCpuPct === undefined ? '' : `${n(r.serverCpuPct)} %`,
  ];
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows)
    lines.push(
      `| ${cells(r)
        .map((c) => c.replace(/\|/g, '\\|'))
        .join(' | ')} |`,
    );
  return lines.join('\n');
}

/** The same table, aligned for a terminal. */
export function textTable(rows: readonly Row[]): string {
  const all = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(fmt)].join('\n');
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node.js ${process.version}, ${process.platform} ${process.arch}`;
}

export function settingsDescription(o: BenchOptions): string {
  return [
    `BBB latency ${o.bbbLatencyMs} ms (simulator)`,
    `${o.durationS} s measured per throughput scenario after ${o.warmupS} s warm-up (warm joins: in ${o.rounds} interleaved slices)`,
    `${o.connections} keep-alive connections, no pipelining (createMeeting: ${o.createConnections})`,
    `burst of ${o.burst} joins written at once on ${o.burst} open connections`,
    `${o.meetings} warm meetings`,
    `memory: 2 × ${o.memoryRequests.toLocaleString('en-US')} requests over ${o.memoryMeetings} meetings and ${o.users.toLocaleString('en-US')} participants`,
  ].join('; ');
}
