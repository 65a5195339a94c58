/**
 * Jest setup (setupFilesAfterEnv): a test fails when it, or the code it runs in-process, prints something it did not
 * say it expects. Caught: every console method that prints (log, info, warn, error, debug, trace, dir, table, a failing
 * assert) and, during a test, direct writes to process.stdout / process.stderr (Node's own warnings among them). What
 * a beforeAll hook printed fails the file's first test; afterAll hooks run after the last check. Log lines the gateway writes to a stream the test owns (startStack's `logs`) are not output: they
 * are data the tests assert on. Child processes (npm start, redis-server) print into pipes their tests read.
 *
 * A test that expects output says so with `expectOutput(...)`: the output is then recorded for its assertions, not
 * printed, and not held against it.
 */
import { format } from 'node:util';
import { afterAll, afterEach, beforeEach } from '@jest/globals';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];
type Channel = ConsoleMethod | 'stdout' | 'stderr';

interface Printed {
  channel: Channel;
  text: string;
  /** Where it came from: the stack of the call, without the guard's own frame. */
  stack: string;
}

const unexpected: Printed[] = [];
/** Direct stream writes are checked only while a test (or its beforeEach/afterEach) runs: Jest writes between tests. */
let testRunning = false;
/** The channels the running test said it expects, and what they received. */
const expected = new Map<Channel, string[]>();

/** Node's notice about --experimental-vm-modules, which `npm test` passes on purpose (Jest's ESM support needs it). */
const VM_MODULES_NOTICE = /^\(node:\d+\) ExperimentalWarning: VM Modules is an experimental feature/;

function record(channel: Channel, text: string): void {
  if (channel === 'stderr' && VM_MODULES_NOTICE.test(text)) return;
  const allowed = expected.get(channel);
  if (allowed) {
    allowed.push(text);
    return;
  }
  const stack = (new Error().stack ?? '').split('\n').slice(3).join('\n');
  unexpected.push({ channel, text, stack });
}

for (const method of CONSOLE_METHODS) {
  console[method] = (...args: unknown[]) => {
    if (method === 'assert') {
      if (args[0]) return;
      args = args.slice(1);
    }
    record(method, format(...args));
  };
}

for (const channel of ['stdout', 'stderr'] as const) {
  const stream = process[channel];
  const write = stream.write;
  stream.write = function guardedWrite(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (!testRunning) return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    record(channel, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback) process.nextTick(callback);
    return true;
  } as typeof stream.write;
  // The stream outlives this test file (Jest runs the next file in the same process); give it back its own write, so
  // guards do not pile up and keep every finished file's context alive.
  afterAll(() => {
    stream.write = write;
  });
}

beforeEach(() => {
  testRunning = true;
});

afterEach(() => {
  testRunning = false;
  expected.clear();
  const found = unexpected.splice(0);
  if (found.length === 0) return;
  const shown = found.map((p) => `${p.channel}: ${p.text.trimEnd().slice(0, 500)}\n${p.stack}`).join('\n\n');
  throw new Error(
    `The test printed ${found.length} time(s) without saying it expects output; ` +
      `call expectOutput('${found[0]!.channel}') in the test if it is meant to print (test/support/output-guard.ts).\n\n${shown}`,
  );
});

/**
 * Declares that the running test expects output on `channel` (a console method, or 'stdout' / 'stderr' for direct
 * writes): until the test ends it is recorded, not printed and not failed. Returns what the channel receives, one
 * string per call, for the test to assert on.
 */
export function expectOutput(channel: Channel): readonly string[] {
  const texts = expected.get(channel) ?? [];
  expected.set(channel, texts);
  return texts;
}

/** What the guard has recorded as unexpected so far in this test, taken off its list (for the guard's own test). */
export function takeUnexpectedOutput(): Array<{ channel: Channel; text: string }> {
  return unexpected.splice(0).map(({ channel, text }) => ({ channel, text }));
}
