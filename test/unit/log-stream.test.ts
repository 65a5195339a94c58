import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { oncePerTurn, scrubbingLogStream } from '../../src/observability/log-stream.js';

const LOG_STREAM = resolve('dist/src/observability/log-stream.js');

function capture(): { writes: string[]; target: { write(s: string): void } } {
  const writes: string[] = [];
  return { writes, target: { write: (s: string) => void writes.push(s) } };
}

const endOfTurn = () => new Promise<void>((done) => setImmediate(done));

/** Runs `body` in a fresh Node process that logs through the default destination; resolves with its stdout and exit code. */
function runChild(body: string): Promise<{ stdout: string; code: number | null }> {
  if (!existsSync(LOG_STREAM)) throw new Error(`${LOG_STREAM} is missing: run \`npm run build\` first (npm test does)`);
  const script = `import { scrubbingLogStream } from ${JSON.stringify(LOG_STREAM)};\nconst log = scrubbingLogStream([]);\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  return new Promise((done) => child.once('close', (code) => done({ stdout, code })));
}

describe('log lines written once per event-loop turn', () => {
  it('joins the lines of one turn into one write when the turn ends, in order, and nothing before', async () => {
    const { writes, target } = capture();
    const log = oncePerTurn(target);
    log.write('{"n":1}\n');
    log.write('{"n":2}\n');
    log.write('{"n":3}\n');
    expect(writes).toEqual([]);
    await endOfTurn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
    log.write('{"n":4}\n');
    await endOfTurn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
  });

  it('writes at once when a turn gathers 64 Ki characters, and the rest when the turn ends', async () => {
    const { writes, target } = capture();
    const log = oncePerTurn(target);
    const line = `${JSON.stringify({ msg: 'x'.repeat(1000) })}\n`;
    const count = Math.ceil((64 * 1024) / line.length);
    for (let i = 0; i < count; i++) log.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(line.repeat(count));
    log.write('{"last":true}\n');
    expect(writes).toHaveLength(1);
    await endOfTurn();
    expect(writes).toEqual([line.repeat(count), '{"last":true}\n']);
  });

  it('flush writes what the turn holds, once', async () => {
    const { writes, target } = capture();
    const log = oncePerTurn(target);
    log.write('a\n');
    log.flush();
    expect(writes).toEqual(['a\n']);
    log.flush();
    await endOfTurn();
    expect(writes).toEqual(['a\n']);
  });

  it('writes to an injected destination line by line, each line scrubbed', () => {
    const { writes, target } = capture();
    const log = scrubbingLogStream(['the-secret-0123'], target);
    log.write('{"msg":"the-secret-0123 and checksum=abc123"}\n');
    expect(writes).toEqual(['{"msg":"[redacted] and checksum=[redacted]"}\n']);
  });

  it('loses no line of the last turn when the process calls process.exit() right after logging', async () => {
    const { stdout, code } = await runChild(
      `log.write('{"n":1}\\n'); setTimeout(() => { log.write('{"n":2}\\n'); log.write('{"msg":"stopped"}\\n'); process.exit(3); }, 5);`,
    );
    expect(code).toBe(3);
    expect(stdout).toBe('{"n":1}\n{"n":2}\n{"msg":"stopped"}\n');
  });

  it('loses no line of the last turn when an uncaught exception ends the process', async () => {
    const { stdout, code } = await runChild(
      `setTimeout(() => { log.write('{"msg":"before the crash"}\\n'); throw new Error('boom'); }, 5);`,
    );
    expect(code).toBe(1);
    expect(stdout).toBe('{"msg":"before the crash"}\n');
  });
});
