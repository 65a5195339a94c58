import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { sseSubscribe, WsClient } from '../events/support/subscriber.js';
import { assertNoSecretsIn, TOKENS } from '../helpers/stack.js';
import { startMain } from './support/main-process.js';
import { parseLogs, sampleValue, scrapeMetrics, waitFor } from './support/ops-helpers.js';

describe('node dist/src/main.js on SIGTERM with open subscriptions', () => {
  let sim: Simulator | undefined;
  let child: ChildProcess | undefined;
  let ws: WsClient | undefined;

  afterEach(async () => {
    await ws?.dispose();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child = undefined;
    await sim?.close();
    sim = undefined;
  });

  it('closes graphql-ws sockets with 1001 (clients reconnect elsewhere), breaks SSE streams off, and exits 0', async () => {
    sim = await startSimulator();
    const main = await startMain(sim, {
      WEBHOOK_SIGNING_KEY: 'subscriptions-shutdown-signing-key-0123456789',
      // Production wants it with events on; no meeting ends here, so BBB never calls it.
      PUBLIC_URL: 'http://127.0.0.1:9',
      SHUTDOWN_GRACE_MS: '20000',
    });
    child = main.child;
    const exited = once(main.child, 'exit');
    ws = new WsClient(main.url, TOKENS.lms);
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
  });
});
