import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { jwtVerify, decodeProtectedHeader } from 'jose';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { callSimulator } from '../helpers/stack.js';

interface Hit {
  method: string;
  path: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

/** Records what the simulator calls and answers from a script (then 200). */
class Catcher {
  readonly hits: Hit[] = [];
  script: number[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.hits.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(this.script.shift() ?? 200).end();
      this.waiters = this.waiters.filter((w) => (this.hits.length >= w.n ? (w.resolve(), false) : true));
    });
  });
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number): Promise<void> {
    if (this.hits.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  url = '';
  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

const create = (sim: Simulator, params: Record<string, string>) =>
  callSimulator(sim, 'create', { name: 'Callbacks', attendeePW: 'ap', moderatorPW: 'mp', ...params });

describe('simulator: the callbacks BBB makes', () => {
  let sim: Simulator;
  let scalelite: Simulator;
  let catcher: Catcher;
  // BBB's own retry schedule and a minute of processing, on a clock the tests let run: no test waits for them.
  const clock = new FakeClock();
  const PROCESSING_MS = 60_000;
  /** Lets simulated time pass until every callback is made and no retry or recording is pending. */
  const callbacksDone = (s: Simulator = sim) => clock.runUntil(s.callbacksIdle());

  beforeAll(async () => {
    catcher = new Catcher();
    await catcher.start();
    sim = await startSimulator({
      clock,
      recordingProcessingMs: PROCESSING_MS,
      // No expiry timer: letting time pass must not end the other tests' meetings.
      expireIfNoUserJoinedMs: 0,
    });
    scalelite = await startSimulator({ mode: 'scalelite' });
  });
  afterAll(async () => {
    await sim.close();
    await scalelite.close();
    await catcher.close();
  });
  beforeEach(() => {
    catcher.hits.length = 0;
    catcher.script = [];
  });

  it('GETs meetingEndedURL exactly as given on end, retrying until a 2xx (BBB: at most 5 attempts)', async () => {
    await create(sim, { meetingID: 'cb-1', meetingEndedURL: `${catcher.url}/ended?t=abc` });
    catcher.script = [500, 503];
    await callSimulator(sim, 'end', { meetingID: 'cb-1' });
    await callbacksDone();
    expect(catcher.hits.map((h) => [h.method, h.path])).toEqual([
      ['GET', '/ended?t=abc'],
      ['GET', '/ended?t=abc'],
      ['GET', '/ended?t=abc'],
    ]);
    const mine = sim.callbacks.filter((c) => c.url.endsWith('/ended?t=abc'));
    expect(mine.map((c) => [c.attempt, c.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    // CallbackUrlService's schedule: the second attempt 30 s after the first, the third a minute after that.
    expect(mine.slice(1).map((c, i) => c.at - mine[i]!.at)).toEqual([30_000, 60_000]);
  });

  it('gives up after the fifth failed attempt', async () => {
    await create(sim, { meetingID: 'cb-2', meetingEndedURL: `${catcher.url}/never` });
    catcher.script = [500, 500, 500, 500, 500, 500];
    await callSimulator(sim, 'end', { meetingID: 'cb-2' });
    await callbacksDone();
    expect(catcher.hits.filter((h) => h.path === '/never')).toHaveLength(5);
    const mine = sim.callbacks.filter((c) => c.url.endsWith('/never'));
    expect(mine.slice(1).map((c, i) => c.at - mine[i]!.at)).toEqual([30_000, 60_000, 120_000, 300_000]);
  });

  it('appends meetingID and recordingmarks to meta_endCallbackUrl, and fires on expiry too', async () => {
    const expiringClock = new FakeClock();
    const expiring = await startSimulator({ clock: expiringClock });
    try {
      await create(expiring, { meetingID: 'cb-3', meta_endCallbackUrl: `${catcher.url}/meta?x=1` });
      // Nobody joins: 5 minutes later BBB ends it on its own timer and calls back without any API request to prompt it.
      await expiringClock.advance(300_000);
      expect(catcher.hits).toEqual([]);
      await expiringClock.advance(1);
      await catcher.waitFor(1);
      await expiringClock.runUntil(expiring.callbacksIdle());
      expect(catcher.hits.map((h) => h.path)).toEqual(['/meta?x=1&recordingmarks=false&meetingID=cb-3']);
    } finally {
      await expiring.close();
    }
  });

  it('publishes a recorded meeting that had a participant after the processing time, then POSTs signed_parameters (HS256, shared secret)', async () => {
    await create(sim, { meetingID: 'cb-4', record: 'true', 'meta_bbb-recording-ready-url': `${catcher.url}/ready` });
    sim.connectUser('cb-4', { fullName: 'Ada', role: 'MODERATOR' });
    await callSimulator(sim, 'end', { meetingID: 'cb-4' });
    const endedAt = clock.now();
    // Processing: BBB's getRecordings (published, unpublished by default) does not list it yet.
    expect(await callSimulator(sim, 'getRecordings', { meetingID: 'cb-4' })).toContain(
      '<messageKey>noRecordings</messageKey>',
    );
    expect(await callSimulator(sim, 'getRecordings', { meetingID: 'cb-4', state: 'processing' })).toContain(
      '<state>processing</state>',
    );
    await callbacksDone();
    expect(await callSimulator(sim, 'getRecordings', { meetingID: 'cb-4' })).toContain('<state>published</state>');
    expect(catcher.hits).toHaveLength(1);
    expect(sim.callbacks.find((c) => c.url.endsWith('/ready'))?.at).toBe(endedAt + PROCESSING_MS);
    const hit = catcher.hits[0]!;
    expect([hit.method, hit.path, hit.contentType]).toEqual(['POST', '/ready', 'application/x-www-form-urlencoded']);
    const jwt = new URLSearchParams(hit.body).get('signed_parameters')!;
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'JWT', alg: 'HS256' });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(sim.secret), { algorithms: ['HS256'] });
    expect(payload).toEqual({ meeting_id: 'cb-4', record_id: expect.stringMatching(/^[0-9a-f]{40}-\d+$/) });
  });

  it('sends no recording-ready for a recorded meeting nobody entered (BBB records nothing)', async () => {
    await create(sim, {
      meetingID: 'cb-5',
      record: 'true',
      'meta_bbb-recording-ready-url': `${catcher.url}/ready-empty`,
    });
    await callSimulator(sim, 'end', { meetingID: 'cb-5' });
    await callbacksDone();
    expect(catcher.hits).toEqual([]);
  });

  it('loses the callbacks a test asks it to lose', async () => {
    await create(sim, {
      meetingID: 'cb-6',
      record: 'true',
      meetingEndedURL: `${catcher.url}/lost-end`,
      'meta_bbb-recording-ready-url': `${catcher.url}/lost-ready`,
    });
    sim.connectUser('cb-6', { fullName: 'Ada', role: 'MODERATOR' });
    sim.loseCallbacks('ended');
    sim.loseCallbacks('recording-ready');
    await callSimulator(sim, 'end', { meetingID: 'cb-6' });
    await callbacksDone();
    expect(catcher.hits).toEqual([]);
    expect(sim.callbacks.filter((c) => c.url.includes('/lost-')).map((c) => [c.kind, c.lost])).toEqual([
      ['ended', true],
      ['recording-ready', true],
    ]);
    expect(await callSimulator(sim, 'getRecordings', { meetingID: 'cb-6' })).toContain('<state>published</state>');
  });

  it('signs recording-ready with HS512 in scalelite mode', async () => {
    await create(scalelite, { meetingID: 'cb-7', record: 'true', 'meta_bbb-recording-ready-url': `${catcher.url}/sl` });
    scalelite.connectUser('cb-7', { fullName: 'Ada', role: 'MODERATOR' });
    await callSimulator(scalelite, 'end', { meetingID: 'cb-7' });
    await scalelite.callbacksIdle();
    const jwt = new URLSearchParams(catcher.hits[0]!.body).get('signed_parameters')!;
    expect(decodeProtectedHeader(jwt).alg).toBe('HS512');
    await expect(
      jwtVerify(jwt, new TextEncoder().encode(scalelite.secret), { algorithms: ['HS512'] }),
    ).resolves.toBeDefined();
  });

  it('POSTs the analytics summary once after a meeting created with meetingKeepEvents ends (JSON, HS512 Bearer with exp)', async () => {
    catcher.script = [500];
    await create(sim, {
      meetingID: 'cb-analytics',
      meetingKeepEvents: 'true',
      'meta_analytics-callback-url': `${catcher.url}/analytics?t=x`,
      meta_gl_listed: 'true',
    });
    sim.connectUser('cb-analytics', { userID: 'u-1', fullName: 'Ada', role: 'MODERATOR' });
    await callSimulator(sim, 'end', { meetingID: 'cb-analytics', password: 'mp' });
    // post_events runs after the processing time: simulated, on the file's clock.
    await callbacksDone();
    const hits = catcher.hits.filter((h) => h.path === '/analytics?t=x');
    // One attempt, even though it got a 500 (post_events sends once).
    expect(hits).toHaveLength(1);
    expect(sim.callbacks.filter((c) => c.kind === 'analytics').map((c) => c.status)).toEqual([500]);
    const hit = hits[0]!;
    expect([hit.method, hit.contentType]).toEqual(['POST', 'application/json']);
    const bearer = /^Bearer (.+)$/.exec(hit.authorization ?? '')![1]!;
    expect(decodeProtectedHeader(bearer)).toEqual({ typ: 'JWT', alg: 'HS512' });
    const { payload } = await jwtVerify(bearer, new TextEncoder().encode(sim.secret), {
      algorithms: ['HS512'],
      currentDate: new Date(clock.now()),
    });
    expect(payload.exp! - clock.now() / 1000).toBeGreaterThan(24 * 3600 - 60);
    const body = JSON.parse(hit.body) as { data: { metadata: Record<string, string> } };
    expect(body).toEqual({
      version: '1.0',
      meeting_id: 'cb-analytics',
      internal_meeting_id: expect.stringMatching(/^[0-9a-f]{40}-\d+$/),
      data: {
        metadata: expect.any(Object),
        duration: expect.any(Number),
        start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+00:00$/),
        finish: expect.stringMatching(/\+00:00$/),
        attendees: [
          {
            ext_user_id: 'u-1',
            name: 'Ada',
            moderator: true,
            joins: [expect.stringMatching(/\+00:00$/)],
            leaves: [expect.stringMatching(/\+00:00$/)],
            duration: expect.any(Number),
            recent_talking_time: 0,
            engagement: { chats: 0, talks: 0, raisehand: 0, emojis: 0, poll_votes: 0, talk_time: 0 },
          },
        ],
        files: [],
        polls: [],
      },
    });
    // The script drops gl_* keys and underscores the rest (meetingName → meeting_name).
    expect(body.data.metadata).toMatchObject({ meeting_id: 'cb-analytics', meeting_name: 'Callbacks' });
    expect(Object.keys(body.data.metadata).some((k) => k.startsWith('gl_'))).toBe(false);
  });

  it('sends no analytics without meetingKeepEvents=true, and Scalelite adds its request fields', async () => {
    await create(sim, { meetingID: 'cb-no-keep', 'meta_analytics-callback-url': `${catcher.url}/none` });
    await callSimulator(sim, 'end', { meetingID: 'cb-no-keep', password: 'mp' });
    await create(scalelite, {
      meetingID: 'cb-sl-analytics',
      meetingKeepEvents: 'true',
      'meta_analytics-callback-url': `${catcher.url}/sl`,
    });
    await callSimulator(scalelite, 'end', { meetingID: 'cb-sl-analytics', password: 'mp' });
    await callbacksDone();
    await scalelite.callbacksIdle();
    expect(catcher.hits.filter((h) => h.path === '/none')).toEqual([]);
    const sl = catcher.hits.filter((h) => h.path === '/sl');
    expect(sl).toHaveLength(1);
    expect(JSON.parse(sl[0]!.body)).toMatchObject({
      meeting_id: 'cb-sl-analytics',
      controller: 'bigbluebutton_api',
      action: 'analytics_callback',
    });
  });
});
