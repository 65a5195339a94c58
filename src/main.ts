import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createGateway, type Gateway } from './app.js';
import { sha256 } from './secrets.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startSimulator, type Simulator } from './simulator/index.js';

/** The entry file: the only place that reads process.env, listens, and handles signals. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  let simulator: Simulator | undefined;
  const notes: string[] = [];
  if (!config.bbb) {
    simulator = await startSimulator({ host: '127.0.0.1', port: Number(process.env.SIMULATOR_PORT ?? 0) });
    config = { ...config, bbb: { ...config.bbbDefaults, url: simulator.url, secret: simulator.secret } };
    notes.push(
      '!! BBB_URL is not set: using the EMBEDDED BBB SIMULATOR, not a real BigBlueButton server.',
      `!! Simulator: ${simulator.url} (join links open its test page instead of a conference; SIMULATOR_PORT=${new URL(simulator.url).port} keeps this port across restarts).`,
      '!! Set BBB_URL and BBB_SECRET (as `bbb-conf --secret` prints them) to use a real server.',
    );
  }

  let devToken: string | undefined;
  if (config.tokens.length === 0) {
    devToken = randomBytes(18).toString('base64url');
    config = { ...config, tokens: [{ name: 'dev', sha256: sha256(devToken) }] };
    notes.push(
      `!! API_TOKENS is not set: generated a development token for app "dev": ${devToken}`,
      `!! To keep this token across restarts, start with API_TOKENS=dev:${devToken}`,
    );
  }

  if (config.accessTokens.signingKeys.length === 0 && config.nodeEnv !== 'production') {
    config = {
      ...config,
      accessTokens: { ...config.accessTokens, signingKeys: [randomBytes(32).toString('base64url')] },
    };
    notes.push(
      '!! ACCESS_TOKEN_SIGNING_KEY is not set: generated a signing key for access tokens; they stop working on restart.',
    );
  }

  // Meeting events (the event log, meetingEvents and its subscription in Sandbox) work out of the box in development.
  if (config.webhooks.signingKey === undefined && config.nodeEnv === 'development') {
    config = { ...config, webhooks: { ...config.webhooks, signingKey: randomBytes(48).toString('base64url') } };
    notes.push(
      '!! WEBHOOK_SIGNING_KEY is not set: generated one, so meeting events and subscriptions work; meetings created before a restart report no events.',
    );
  }

  // On the simulator the browser example gets a demo link that plays the app's backend (creates a meeting, mints a token).
  const gateway = await createGateway(config, { demoApp: simulator ? config.tokens[0]?.name : undefined });
  const address = await gateway.app.listen({ host: config.host, port: config.port });
  const base = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  banner(
    base,
    config,
    notes,
    devToken,
    simulator,
    simulator && devToken ? await exampleMeeting(gateway, devToken) : undefined,
  );
  handleSignals(gateway, simulator, config.shutdownGraceMs);
  await startupCheck(gateway);
}

/** One signed call to BBB right after start: a wrong BBB_SECRET is reported now, not by the first real request. */
async function startupCheck(gateway: Gateway): Promise<void> {
  const result = await gateway.readiness.check();
  if (result.ready) {
    gateway.app.log.info({ bbb: result.bbb }, 'start-up check passed: BigBlueButton answers a signed call');
    return;
  }
  gateway.app.log.error({ reason: result.reason }, 'START-UP CHECK FAILED: the gateway is not ready');
  process.stderr.write(`!! START-UP CHECK FAILED (GET /readyz answers 503 until it is fixed): ${result.reason}\n`);
}

function corsSetting(config: Config): string {
  const origins = config.http.corsOrigins.join(', ');
  if (config.http.corsLocalhost)
    return 'CORS_ORIGINS is not set: any http://localhost:<port>, 127.0.0.1 or [::1] origin may call (development)';
  return origins === '' ? 'CORS_ORIGINS is not set: no browser origin may call' : `CORS_ORIGINS=${origins}`;
}

/** The body of the banner's create example; on the simulator it is created once, so the join example is paste-ready. */
const EXAMPLE_CREATE = {
  name: 'meeting01',
  attendee_pass: 'password-for-attende',
  moderator_pass: 'password-for-moderator',
  max_participant: 100,
};

interface ExampleMeeting {
  meeting_id: string;
  create_time: string;
}

/** Creates the create example's meeting on the embedded simulator, through the gateway itself; undefined if that fails. */
async function exampleMeeting(gateway: Gateway, token: string): Promise<ExampleMeeting | undefined> {
  try {
    const res = await gateway.app.inject({
      method: 'POST',
      url: '/create',
      headers: { authorization: token },
      payload: EXAMPLE_CREATE,
    });
    const body = res.json<Partial<ExampleMeeting>>();
    return res.statusCode === 200 && body.meeting_id && body.create_time
      ? { meeting_id: body.meeting_id, create_time: body.create_time }
      : undefined;
  } catch {
    return undefined;
  }
}

function banner(
  base: string,
  config: Config,
  notes: string[],
  devToken: string | undefined,
  simulator: Simulator | undefined,
  example: ExampleMeeting | undefined,
): void {
  const token = devToken ?? '<your token>';
  const join = JSON.stringify({
    name: 'Dosen',
    meeting_id: example?.meeting_id ?? '<meeting_id>',
    password: EXAMPLE_CREATE.moderator_pass,
    create_time: example?.create_time ?? '<create_time>',
  });
  const lines = [
    '',
    ...notes,
    `bbb-interface listening on ${base}`,
    config.graphql.sandbox
      ? `  GraphQL + Apollo Sandbox: ${base}/graphql  (set the header Authorization: ${token})`
      : `  GraphQL: ${base}/graphql`,
    ...(config.graphql.sandbox ? [`  Offline explorer (GraphiQL, no CDN): ${base}/graphiql`] : []),
    ...(config.nodeEnv === 'development' && simulator
      ? [`  Browser example, ready to join: ${base}/examples/browser/demo`]
      : []),
    `  CORS: ${corsSetting(config)}`,
    '  Try it:',
    `  curl -s -X POST ${base}/create -H 'Authorization: ${token}' -H 'Content-Type: application/json' \\`,
    `       -d '${JSON.stringify(EXAMPLE_CREATE)}'`,
    example
      ? `  # meeting01 above is already created on the simulator (meeting_id ${example.meeting_id}); join it:`
      : '  # then fill in meeting_id and create_time from the /create answer:',
    `  curl -si -X POST ${base}/join -H 'Authorization: ${token}' -H 'Content-Type: application/json' \\`,
    `       -d '${join}'`,
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

function handleSignals(gateway: Gateway, simulator: Simulator | undefined, graceMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.app.log.info({ signal, graceMs }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      gateway.app.log.error({ graceMs }, 'grace period over with requests still in flight; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    void (async () => {
      await gateway.close();
      await simulator?.close();
      gateway.app.log.info('stopped');
      process.exit(0);
    })().catch((err: unknown) => {
      gateway.app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`bbb-interface failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
