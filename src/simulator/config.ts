/** Options are checked once, every problem reported together, and the result frozen. */
import { randomBytes } from 'node:crypto';
import type { ChecksumAlgorithm } from '../bbb/types.js';
import { BBB_CALLBACK_RETRY_MS } from './callbacks.js';
import { REAL_CLOCK } from './clock.js';
import type { SimulatorClock, SimulatorOptions } from './types.js';

export interface SimulatorConfig {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly algorithms: readonly ChecksumAlgorithm[];
  readonly latencyMs: number;
  readonly expireIfNoUserJoinedMs: number;
  readonly expireWhenLastUserLeftMs: number;
  readonly endedMeetingLingerMs: number;
  readonly mode: 'bbb' | 'scalelite';
  readonly getMeetingsDisabled: boolean;
  readonly timeZone: string;
  readonly serverVersion: string;
  readonly recordingProcessingMs: number;
  readonly callbackRetryScheduleMs: readonly number[];
  readonly clock: SimulatorClock;
}

const ALL_ALGORITHMS: readonly ChecksumAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];
// LOADBALANCER_CHECKSUM_ALGORITHM's default; Scalelite has no sha384 at all.
const SCALELITE_ALGORITHMS: readonly ChecksumAlgorithm[] = ['sha1', 'sha256', 'sha512'];

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

export function resolveConfig(options: SimulatorOptions = {}): SimulatorConfig {
  const problems: string[] = [];
  const mode = options.mode ?? 'bbb';
  if (mode !== 'bbb' && mode !== 'scalelite') problems.push(`mode must be 'bbb' or 'scalelite', got ${String(mode)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`port must be an integer 0-65535, got ${port}`);
  const requested = options.algorithms ?? (mode === 'scalelite' ? SCALELITE_ALGORITHMS : ALL_ALGORITHMS);
  for (const a of requested) if (!ALL_ALGORITHMS.includes(a)) problems.push(`unknown checksum algorithm ${String(a)}`);
  const algorithms = requested.filter((a) => mode !== 'scalelite' || a !== 'sha384');
  if (algorithms.length === 0) problems.push('algorithms must allow at least one algorithm this mode supports');
  const numbers: Array<[string, number]> = [
    ['latencyMs', options.latencyMs ?? 0],
    ['expireIfNoUserJoinedMs', options.expireIfNoUserJoinedMs ?? 300_000],
    ['expireWhenLastUserLeftMs', options.expireWhenLastUserLeftMs ?? 60_000],
    ['endedMeetingLingerMs', options.endedMeetingLingerMs ?? 0],
    ['recordingProcessingMs', options.recordingProcessingMs ?? 0],
  ];
  for (const [name, value] of numbers)
    if (!isNonNegative(value)) problems.push(`${name} must be a number >= 0, got ${value}`);
  const timeZone = options.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    problems.push(`timeZone must be an IANA time zone, got ${timeZone}`);
  }
  const callbackRetryScheduleMs = options.callbackRetryScheduleMs ?? [...BBB_CALLBACK_RETRY_MS];
  if (!Array.isArray(callbackRetryScheduleMs) || callbackRetryScheduleMs.some((d) => !isNonNegative(d))) {
    problems.push(`callbackRetryScheduleMs must be a list of numbers >= 0, got ${String(callbackRetryScheduleMs)}`);
  }
  const clock = options.clock ?? REAL_CLOCK;
  if (!['now', 'setTimeout', 'clearTimeout'].every((m) => typeof clock[m as keyof SimulatorClock] === 'function')) {
    problems.push('clock must have now, setTimeout and clearTimeout functions');
  }
  if (problems.length) throw new Error(`Invalid simulator options: ${problems.join('; ')}.`);
  const [latencyMs, expireIfNoUserJoinedMs, expireWhenLastUserLeftMs, endedMeetingLingerMs, recordingProcessingMs] =
    numbers.map(([, v]) => v) as [number, number, number, number, number];
  return Object.freeze({
    host: options.host ?? '127.0.0.1',
    port,
    secret: options.secret ?? randomBytes(16).toString('hex'),
    algorithms: Object.freeze([...algorithms]),
    latencyMs,
    expireIfNoUserJoinedMs,
    expireWhenLastUserLeftMs,
    endedMeetingLingerMs,
    mode,
    getMeetingsDisabled: options.getMeetingsDisabled ?? false,
    timeZone,
    serverVersion: options.serverVersion ?? '3.0.0',
    recordingProcessingMs,
    callbackRetryScheduleMs: Object.freeze([...callbackRetryScheduleMs]),
    clock,
  });
}
