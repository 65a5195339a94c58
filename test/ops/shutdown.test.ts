import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { assertNoSecretsIn, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { sseSubscribe, WsClient } from '../events/support/subscriber.js';
import { parseLogs, sampleValue, scrapeMetrics, tryConnect, waitFor } from './support/ops-helpers.js';
import { startMain } from './support/main-process.js';

const lms = { authorization: TOKENS.lms };

describe('Gateway.close()', () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  it('stops accepting connections at once and lets a request in flight finish with 200', async () => {
    stack = await startStack();
    const port = Number(new URL(stack.url).port);
    stack.sim.setLatency(1500);
    let settled = false;
    const inFlight = post<Record<string, string>>(`${stack.url}/create`, { name: 'in flight' }, lms).finally(() => {
      settled = true;
    });
    await waitFor(() => stack!.sim.callCount('create') === 1, 'the create to reach BBB');

    const closing = stack.gateway.close();
    await waitFor(() => !stack!.gateway.app.server.listening, 'the listener to close');
    expect(settled).toBe(false);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.meeting_id).toEqual(expect.any(String));
    await closing;
  });
});

describe('node dist/src/main.js on SIGTERM', () => {
  let sim: Simulator | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child = undefined;
    await sim?.close();
    sim = undefined;
  });

  it('finishes the request in flight, refuses new connections and exits 0 within SHUTDOWN_GRACE_MS', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, { SHUTDOWN_GRACE_MS: '20000' });
    child = main.child;
    const exited = once(main.child, 'exit');
    sim.setLatency(1500);
    let settled = false;
    const inFlight = post<Record<string, string>>(`${main.url}/create`, { name: 'in flight at SIGTERM' }, lms).finally(
      () => {
        settled = true;
      },
    );
    await waitFor(() => sim!.callCount('create') === 1, 'the create to reach BBB');

    main.child.kill('SIGTERM');
    const port = Number(new URL(main.url).port);
    await waitFor(async () => (await tryConnect(port)) === 'ECONNREFUSED', 'the listener to close');
    // Refused while the slow request is still being served.
    expect(settled).toBe(false);
    expect(main.child.exitCode).toBeNull();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.meeting_id).toEqual(expect.any(String));

    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const logs = parseLogs(main.stdout);
    expect(logs.some((l) => l.msg === 'request completed' && l.operation === 'create' && l.status === 200)).toBe(true);
    expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
    assertNoSecretsIn([...main.stdout, ...main.stderr], [sim.secret, TOKENS.lms]);
  });

  it('closes graphql-ws sockets with 1001 (clients reconnect elsewhere), breaks SSE streams off, and exits 0', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, {
      WEBHOOK_SIGNING_KEY: 'subscriptions-shutdown-signing-key-0123456789',
      // Production wants it with events on; no meeting ends here, so BBB never calls it.
      PUBLIC_URL: 'http://127.0.0.1:9',
      // An http PUBLIC_URL in production needs saying so (an internal network).
      WEBHOOK_ALLOW_HTTP: 'true',
      SHUTDOWN_GRACE_MS: '20000',
    });
    child = main.child;
    const exited = once(main.child, 'exit');
    const ws = new WsClient(main.url, TOKENS.lms);
    try {
      const wsSub = ws.subscribe();
      const sseSub = sseSubscribe(main.url, TOKENS.lms);
      const streaming = async (transport: string) =>
        sampleValue(await scrapeMetrics(main.url), 'bbb_interface_subscriptions', { transport }) === 1;
      await waitFor(async () => (await streaming('ws')) && (await streaming('sse')), 'both subscriptions to stream');

      main.child.kill('SIGTERM');
      expect(await ws.closed()).toMatchObject({ code: 1001 });
      await sseSub.failed();
      // Neither ended as a completed subscription: a client retries a broken one, it would not retry a completed one.
      expect(wsSub.completed).toBe(false);
      expect(sseSub.completed).toBe(false);
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(parseLogs(main.stdout).some((l) => l.msg === 'stopped')).toBe(true);
      assertNoSecretsIn([...main.stdout, ...main.stderr], [sim.secret, TOKENS.lms]);
    } finally {
      await ws.dispose();
    }
  });

  it('exits 1 when a request is still in flight at the end of SHUTDOWN_GRACE_MS', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, { SHUTDOWN_GRACE_MS: '200', SHUTDOWN_DRAIN_MS: '100', BBB_TIMEOUT_MS: '60000' });
    child = main.child;
    const exited = once(main.child, 'exit');
    sim.setLatency(30_000);
    const inFlight = post(`${main.url}/create`, { name: 'too slow' }, lms).then(
      (r) => r.status,
      () => 'connection closed',
    );
    await waitFor(() => sim!.callCount('create') === 1, 'the create to reach BBB');

    main.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(1);
    expect(await inFlight).toBe('connection closed');
    expect(
      parseLogs(main.stdout).some((l) => l.msg === 'grace period over with requests still in flight; exiting'),
    ).toBe(true);
  });
});

describe('npm start on SIGTERM (what systemd or a container runtime signals)', () => {
  let sim: Simulator | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    // npm runs in its own process group: if the test failed, nothing of it (npm, sh, node) may stay behind.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
    child = undefined;
    await sim?.close();
    sim = undefined;
  });

  it('start and start:dist run node with exec, so the signal npm hands on reaches the gateway', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    // The heap limit is part of the command (bench/README.md, Memory: RSS after 100,000 requests).
    expect(scripts['start:dist']).toBe('exec node --max-old-space-size=96 dist/src/main.js');
    expect(scripts.start).toBe(`npm run build --silent && ${scripts['start:dist']}`);
  });

  it('shuts the gateway down gracefully: it logs "stopped", stops listening, and npm exits 0', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, { SHUTDOWN_GRACE_MS: '20000' }, { viaNpm: true });
    child = main.child;
    const exited = once(main.child, 'exit');
    const port = Number(new URL(main.url).port);
    expect(await tryConnect(port)).toBe('connected');

    // Only npm gets the signal, as from `systemctl stop` or `docker stop` with npm as the main process.
    main.child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const logs = parseLogs(main.stdout);
    expect(
      logs.some(
        (l) => l.msg === 'shutting down: no new connections, finishing requests in flight' && l.signal === 'SIGTERM',
      ),
    ).toBe(true);
    expect(logs.some((l) => l.msg === 'stopped')).toBe(true);
    // No orphan: before `exec`, npm exited on the signal and node went on listening.
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});

describe('node dist/src/main.js start-up check', () => {
  let sim: Simulator | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await sim?.close();
  });

  it('reports a wrong BBB_SECRET loudly right after start, naming the setting, and /readyz answers 503', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, { BBB_SECRET: 'not-the-secret-of-this-server-0123' });
    child = main.child;
    await waitFor(() => main.stderr.some((l) => l.includes('START-UP CHECK FAILED')), 'the start-up check');
    expect(main.stderr.find((l) => l.includes('START-UP CHECK FAILED'))).toMatch(/BBB_SECRET/);
    await waitFor(
      () =>
        parseLogs(main.stdout).some(
          (l) => l.level === 50 && l.msg === 'START-UP CHECK FAILED: the gateway is not ready',
        ),
      'the error log line',
    );
    expect(String(parseLogs(main.stdout).find((l) => l.level === 50)?.reason)).toMatch(/BBB_SECRET/);
    const ready = await fetch(`${main.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toMatch(/BBB_SECRET/);
    assertNoSecretsIn([...main.stdout, ...main.stderr], [sim.secret, 'not-the-secret-of-this-server-0123', TOKENS.lms]);
  });
});
