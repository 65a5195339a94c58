import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

/** The pages a person lands on: the Leave link, a tampered link, a link to an ended meeting, and the join page itself. */
describe('simulator pages', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  const signed = (call: string, params: Record<string, string>) => {
    const q = new URLSearchParams(params).toString();
    return `${sim.url}api/${call}?${q}${q ? '&' : ''}checksum=${createHash('sha256').update(`${call}${q}${sim.secret}`).digest('hex')}`;
  };

  /** Follows redirects like a browser and returns the final page. */
  async function browse(url: string): Promise<{ status: number; html: string }> {
    const res = await fetch(url);
    return { status: res.status, html: await res.text() };
  }

  async function create(meetingID: string, extra: Record<string, string> = {}): Promise<void> {
    expect(await (await fetch(signed('create', { name: 'Pages', meetingID, ...extra }))).text()).toContain('SUCCESS');
  }

  it('the Leave link lands on a page saying the user left', async () => {
    await create('leave-1');
    const page = await browse(signed('join', { meetingID: 'leave-1', fullName: 'Ada', role: 'viewer' }));
    const leave = /id="logout" href="([^"]+)"/.exec(page.html)![1]!;
    const left = await browse(leave);
    expect(left.status).toBe(200);
    expect(left.html).toContain('You have left the meeting');
  });

  it('a tampered join link lands on a page saying its checksum is wrong', async () => {
    await create('tamper-1');
    const url = signed('join', { meetingID: 'tamper-1', fullName: 'Ada', role: 'viewer' }).replace(
      'role=viewer',
      'role=moderator',
    );
    const page = await browse(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Invalid join link');
    expect(page.html).toContain('data-key="checksumError"');
  });

  it('a link to an ended meeting lands on a page saying so', async () => {
    await create('ended-1');
    const url = signed('join', { meetingID: 'ended-1', fullName: 'Ada', role: 'viewer' });
    await (await fetch(signed('end', { meetingID: 'ended-1' }))).text();
    const page = await browse(url);
    expect(page.html).toContain('Meeting not found');
    expect(page.html).toContain('it has ended');
  });

  it('the join page shows role, welcome, recording, lock settings, slides and userdata', async () => {
    const body =
      '<modules><module name="presentation"><document url="https://f.example/a.pdf?x=1&amp;y=2" filename="Folien &amp; mehr.pdf"/></module></modules>';
    const q = new URLSearchParams({
      name: 'Shown',
      meetingID: 'shown-1',
      welcome: 'Hi %%CONFNAME%%',
      record: 'true',
      lockSettingsDisableCam: 'true',
    }).toString();
    const res = await fetch(
      `${sim.url}api/create?${q}&checksum=${createHash('sha256').update(`create${q}${sim.secret}`).digest('hex')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body,
      },
    );
    expect(await res.text()).toContain('SUCCESS');
    const page = await browse(
      signed('join', {
        meetingID: 'shown-1',
        fullName: 'Ada',
        role: 'moderator',
        'userdata-bbb_skip_check_audio': 'true',
      }),
    );
    expect(page.html).toContain('<dd id="role">MODERATOR</dd>');
    expect(page.html).toContain('Hi Shown');
    expect(page.html).toContain('<dd id="recorded">true</dd>');
    expect(page.html).toContain('<dd id="lockSettings">DisableCam</dd>');
    expect(page.html).toContain('Folien &amp; mehr.pdf');
    expect(page.html).toContain('bbb_skip_check_audio=true');
    expect(sim.meetingDetails('shown-1')!.documents[0]!.url).toBe('https://f.example/a.pdf?x=1&y=2');
  });
});
