/**
 * An independent, third-party client drives the simulator: bigbluebutton-js (sha1, Node querystring encoding,
 * fast-xml-parser). If the simulator only agreed with our own adapter, both could share a misunderstanding.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

interface BbbJsResponse {
  returncode: string;
  messageKey?: string;
  message?: string;
  [key: string]: unknown;
}
interface BbbJs {
  api(
    host: string,
    salt: string,
  ): {
    administration: {
      create(name: string, id: string, kwparams?: Record<string, string>): string;
      join(fullName: string, meetingID: string, password: string, kwparams?: Record<string, string>): string;
      end(meetingID: string, password?: string): string;
    };
    monitoring: {
      getMeetingInfo(meetingID: string): string;
      isMeetingRunning(meetingID: string): string;
      getMeetings(): string;
    };
  };
  http(url: string): Promise<BbbJsResponse>;
}

// The package is CommonJS without type declarations; a local interface keeps this test self-contained.
const bbb = createRequire(import.meta.url)('bigbluebutton-js') as BbbJs;

describe('interop with bigbluebutton-js', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('creates, inspects, joins through a signed URL, ends, and then sees notFound', async () => {
    // bigbluebutton-js wants the URL `bbb-conf --secret` prints; it strips the slash and appends /api/<call>.
    const api = bbb.api(sim.url, sim.secret);
    // Non-numeric passwords: fast-xml-parser would turn "123456" into a number.
    const created = await bbb.http(
      api.administration.create('Interop Room', 'interop-1', {
        attendeePW: 'ap-word',
        moderatorPW: 'mp-word',
        record: 'true',
      }),
    );
    expect(created).toMatchObject({
      returncode: 'SUCCESS',
      meetingID: 'interop-1',
      attendeePW: 'ap-word',
      moderatorPW: 'mp-word',
    });

    const info = await bbb.http(api.monitoring.getMeetingInfo('interop-1'));
    expect(info).toMatchObject({ returncode: 'SUCCESS', meetingName: 'Interop Room', running: false, recording: true });

    const roles: Record<string, string> = {};
    for (const [name, password] of [
      ['Mod Erator', 'mp-word'],
      ['Vie Wer', 'ap-word'],
    ] as const) {
      const res = await fetch(api.administration.join(name, 'interop-1', password), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location).toMatch(/\/html5client\/join\?sessionToken=[a-z0-9]{16}$/);
      const page = await (await fetch(location)).text();
      expect(page).toContain(`<dd id="fullName">${name}</dd>`);
      roles[name] = /<dd id="role">([^<]*)<\/dd>/.exec(page)![1]!;
    }
    expect(roles).toEqual({ 'Mod Erator': 'MODERATOR', 'Vie Wer': 'VIEWER' });

    const running = await bbb.http(api.monitoring.isMeetingRunning('interop-1'));
    expect(running).toMatchObject({ returncode: 'SUCCESS', running: true });

    const ended = await bbb.http(api.administration.end('interop-1', 'mp-word'));
    expect(ended).toMatchObject({ returncode: 'SUCCESS', messageKey: 'sentEndMeetingRequest' });

    const gone = await bbb.http(api.monitoring.getMeetingInfo('interop-1'));
    expect(gone).toMatchObject({ returncode: 'FAILED', messageKey: 'notFound' });

    expect(sim.callCount('join')).toBe(2);
    expect(sim.received.every((r) => /checksum=[0-9a-f]{40}/.test(r.rawQuery))).toBe(true);
  });

  it('is refused with checksumError when it uses the wrong secret', async () => {
    const api = bbb.api(sim.url, 'not-the-secret');
    const res = await bbb.http(api.monitoring.getMeetings());
    expect(res).toMatchObject({ returncode: 'FAILED', messageKey: 'checksumError' });
  });
});
