import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { apiUrl, callApi, checksum, fetchRaw, tag } from './support/bbb-http.js';

describe('faults, latency and request recording', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('drops the connection without an answer', async () => {
    sim.injectFault({ fault: { kind: 'drop' } });
    await expect(callApi(sim, 'getMeetings')).rejects.toThrow();
  });

  it('answers a status with an nginx-like HTML page by default', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 502 } });
    const res = await callApi(sim, 'getMeetings');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.body).toContain('<title>502 Bad Gateway</title>');
    expect(res.body).toContain('nginx');
  });

  it('answers a status with the given body and content type', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 503, body: '{"down":true}', contentType: 'application/json' } });
    const res = await callApi(sim, 'getMeetings');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toBe('{"down":true}');
  });

  it('answers 200 with an HTML page', async () => {
    sim.injectFault({ fault: { kind: 'html' } });
    const res = await callApi(sim, 'getMeetings');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^<!DOCTYPE html>/);
  });

  it('answers 200 with bytes that are not XML', async () => {
    sim.injectFault({ fault: { kind: 'garbage' } });
    const res = await fetch(apiUrl(sim, 'getMeetings'));
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.toString('utf8')).not.toContain('<response>');
  });

  it('answers 200 with an empty body', async () => {
    sim.injectFault({ fault: { kind: 'empty' } });
    const res = await callApi(sim, 'getMeetings');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });

  it('applies a rule only to the listed calls, only `times` times', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 500 }, calls: ['create'], times: 2 });
    expect((await callApi(sim, 'getMeetings')).status).toBe(200);
    expect((await callApi(sim, 'create', { name: 'Room', meetingID: 'ff' })).status).toBe(500);
    expect((await callApi(sim, 'create', { name: 'Room', meetingID: 'ff' })).status).toBe(500);
    const third = await callApi(sim, 'create', { name: 'Room', meetingID: 'ff' });
    expect(third.status).toBe(200);
    // The faulted creates never reached the meeting store.
    expect(tag(third.body, 'messageKey')).toBe('');
  });

  it('clearFaults removes every rule', async () => {
    sim.injectFault({ fault: { kind: 'empty' } });
    sim.clearFaults();
    expect(tag((await callApi(sim, 'getMeetings')).body, 'returncode')).toBe('SUCCESS');
  });

  it('applies faults to the API root (call "") but not to the client page', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 503 }, calls: [''] });
    expect((await fetchRaw(`${sim.url}api`)).status).toBe(503);
    sim.injectFault({ fault: { kind: 'drop' } });
    expect((await fetchRaw(`${new URL(sim.url).origin}/html5client/join?sessionToken=x`)).status).toBe(404);
  });

  it('delays answers by the latency option, setLatency and latency faults, which add up', async () => {
    // On the simulator's clock: each answer waits on a timer of the configured length and comes once it has run.
    const clock = new FakeClock();
    const slow = await startSimulator({ clock, latencyMs: 40 });
    try {
      const answer = async (latencies: number) => {
        let answered = false;
        const res = callApi(slow, 'getMeetings').then((r) => ((answered = true), r));
        await clock.timersSet(latencies);
        expect(answered).toBe(false);
        await clock.advance(clock.delays.at(-1)!);
        return tag((await res).body, 'returncode');
      };
      expect(await answer(1)).toBe('SUCCESS');
      slow.setLatency(120);
      slow.injectFault({ fault: { kind: 'latency', ms: 30 }, times: 1 });
      expect(await answer(2)).toBe('SUCCESS');
      expect(await answer(3)).toBe('SUCCESS');
      expect(clock.delays).toEqual([40, 150, 120]);
    } finally {
      await slow.close();
    }
  });

  it('records every API request with its raw query and decoded parameters', async () => {
    const query = 'name=My+Room%21&meetingID=rec-1';
    await fetchRaw(`${sim.url}api/create?${query}&checksum=${checksum('create', query, sim.secret)}`);
    await callApi(sim, 'getMeetings');
    await callApi(sim, 'getMeetings');
    await fetchRaw(`${sim.url}api`);
    expect(sim.received.map((r) => r.call)).toEqual(['create', 'getMeetings', 'getMeetings', '']);
    expect(sim.callCount('getMeetings')).toBe(2);
    expect(sim.callCount('join')).toBe(0);
    const [create] = sim.received;
    expect(create).toMatchObject({ method: 'GET', call: 'create', path: '/bigbluebutton/api/create' });
    expect(create!.rawQuery.startsWith(query)).toBe(true);
    expect(create!.params).toMatchObject({ name: 'My Room!', meetingID: 'rec-1' });
    expect(typeof create!.at).toBe('number');
  });

  it('reset forgets meetings, recordings, faults, received requests and latency changes', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'gone' });
    sim.seedRecording({ meetingID: 'gone', name: 'Rec' });
    sim.injectFault({ fault: { kind: 'empty' }, calls: ['getRecordings'] });
    sim.setLatency(5000);
    sim.reset();
    expect(sim.received).toHaveLength(0);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'gone' })).body, 'messageKey')).toBe('notFound');
    expect(tag((await callApi(sim, 'getRecordings')).body, 'messageKey')).toBe('noRecordings');
  });

  it('validates fault rules and latency values', () => {
    expect(() => sim.injectFault({ fault: { kind: 'status', status: 42 } })).toThrow(/status/);
    expect(() => sim.injectFault({ fault: { kind: 'drop' }, times: 0 })).toThrow(/times/);
    expect(() => sim.setLatency(-1)).toThrow(/setLatency/);
  });
});

describe('close', () => {
  it('cancels answers still waiting on latency and resolves', async () => {
    const clock = new FakeClock();
    const sim = await startSimulator({ latencyMs: 60_000, clock });
    const pending = callApi(sim, 'getMeetings').then(
      () => 'answered',
      () => 'failed',
    );
    // The request has arrived and waits on its latency.
    await clock.timersSet(1);
    await sim.close();
    expect(await pending).toBe('failed');
    await sim.close();
  });

  it('refuses invalid options, naming every problem', async () => {
    await expect(startSimulator({ latencyMs: -1, port: 70000, timeZone: 'Mars/Base' })).rejects.toThrow(
      /latencyMs.*port|port.*latencyMs/,
    );
  });
});
