import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Simulator } from '../../../src/simulator/index.js';
import { TOKENS } from '../../helpers/stack.js';
import { waitFor } from './ops-helpers.js';

const MAIN = 'dist/src/main.js';

/**
 * Starts `node dist/src/main.js` against a simulator and resolves once it prints the address it listens on. `viaNpm`
 * starts it the way a process manager does with `npm run start:dist` (the child is then npm, in its own process group).
 */
export async function startMain(
  sim: Simulator,
  env: Record<string, string>,
  options: { viaNpm?: boolean } = {},
): Promise<{ child: ChildProcess; url: string; stdout: string[]; stderr: string[] }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const [command, args] = options.viaNpm ? ['npm', ['run', '--silent', 'start:dist']] : [process.execPath, [MAIN]];
  const child = spawn(command, args, {
    detached: options.viaNpm === true,
    env: {
      PATH: process.env.PATH ?? '',
      ...(options.viaNpm ? { HOME: process.env.HOME ?? '' } : {}),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      BBB_URL: sim.url,
      BBB_SECRET: sim.secret,
      API_TOKENS: `lms:${TOKENS.lms}`,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  // By line, not by chunk: the gateway writes a turn's log lines at once, and a pipe may split a write anywhere.
  createInterface({ input: child.stdout! }).on('line', (line) => line !== '' && stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => line !== '' && stderr.push(line));
  let url: string | undefined;
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode}: ${stderr.join('\n')}`);
    url = stderr.map((l) => /listening on (http:\/\/\S+)/.exec(l)?.[1]).find(Boolean);
    return url !== undefined;
  }, 'main.js to listen');
  return { child, url: url!, stdout, stderr };
}
