/**
 * `npm run simulator`: the simulator as a standalone BBB server. The only file of the simulator that reads `process.env`.
 * SIMULATOR_PORT (8090), SIMULATOR_HOST (127.0.0.1), SIMULATOR_SECRET (random), SIMULATOR_MODE (bbb|scalelite),
 * SIMULATOR_LATENCY_MS (0).
 */
import { startSimulator } from './server.js';
import type { SimulatorOptions } from './types.js';

function optionsFromEnv(env: NodeJS.ProcessEnv): SimulatorOptions {
  const options: SimulatorOptions = {
    host: env['SIMULATOR_HOST'] || '127.0.0.1',
    port: env['SIMULATOR_PORT'] ? Number(env['SIMULATOR_PORT']) : 8090,
  };
  if (env['SIMULATOR_SECRET'] !== undefined) options.secret = env['SIMULATOR_SECRET'];
  if (env['SIMULATOR_MODE']) options.mode = env['SIMULATOR_MODE'] as SimulatorOptions['mode'];
  if (env['SIMULATOR_LATENCY_MS']) options.latencyMs = Number(env['SIMULATOR_LATENCY_MS']);
  return options;
}

async function main(): Promise<void> {
  const sim = await startSimulator(optionsFromEnv(process.env));
  // The same two lines `bbb-conf --secret` prints, so instructions written for a real server work unchanged.
  process.stdout.write(
    `BBB simulator (bbb-interface) is listening.\n\n` +
      `    URL: ${sim.url}\n` +
      `    Secret: ${sim.secret}\n\n` +
      `Try:\n` +
      `    curl "${sim.url}api/getMeetings?checksum=$(printf 'getMeetings%s' '${sim.secret}' | sha1sum | cut -d' ' -f1)"\n`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nReceived ${signal}, stopping the BBB simulator.\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`BBB simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
