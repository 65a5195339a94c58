import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openJoinLink } from '../helpers/stack.js';
import { waitFor } from './support/ops-helpers.js';

const MAIN = 'dist/src/main.js';

describe('`npm start` in development, on the embedded simulator', () => {
  let child: ChildProcess;
  const stderr: string[] = [];
  let banner = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    // No BBB_URL, no API_TOKENS, no ACCESS_TOKEN_SIGNING_KEY, no CORS_ORIGINS: what a newcomer runs.
    child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode}: ${stderr.join('')}`);
      banner = stderr.join('');
      return banner.includes('Try it:');
    }, 'the start-up banner');
  });
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('prints the CORS setting, the offline explorer and a ready link to the browser example', () => {
    expect(banner).toContain(
      'CORS: CORS_ORIGINS is not set: any http://localhost:<port>, 127.0.0.1 or [::1] origin may call (development)',
    );
    expect(banner).toMatch(/Offline explorer \(GraphiQL, no CDN\): http:\/\/127\.0\.0\.1:\d+\/graphiql/);
    expect(banner).toMatch(/Browser example, ready to join: http:\/\/127\.0\.0\.1:\d+\/examples\/browser\/demo/);
    expect(banner).toContain('ACCESS_TOKEN_SIGNING_KEY is not set');
    expect(banner).toContain('WEBHOOK_SIGNING_KEY is not set');
  });

  it('says how to pin the dev token and the simulator port across restarts', () => {
    const token = /generated a development token for app "dev": (\S+)/.exec(banner)![1]!;
    expect(banner).toContain(`start with API_TOKENS=dev:${token}`);
    expect(banner).toMatch(/SIMULATOR_PORT=\d+ keeps this port across restarts/);
    const simulatorPort = /Simulator: http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)![1]!;
    expect(banner).toContain(`SIMULATOR_PORT=${simulatorPort} keeps`);
  });

  it('prints a join curl that works as pasted: it names the meeting the banner created', async () => {
    const url = /curl -si -X POST (\S+)\/join -H 'Authorization: (\S+)'/.exec(banner)!;
    const body = /-d '(\{"name":"Dosen".*\})'/.exec(banner)![1]!;
    expect(body).not.toMatch(/<meeting_id>|<create_time>/);
    const res = await fetch(`${url[1]}/join`, {
      method: 'POST',
      headers: { authorization: url[2]!, 'content-type': 'application/json' },
      body,
      redirect: 'manual',
    });
    await res.text();
    expect(res.status).toBe(303);
    expect(await openJoinLink(res.headers.get('location')!)).toMatchObject({
      role: 'MODERATOR',
      fullName: 'Dosen',
      meetingName: 'meeting01',
    });
  });

  it('the ready link hands the example page a token that joins the simulator as "Demo student"', async () => {
    const link = /Browser example, ready to join: (\S+)/.exec(banner)![1]!;
    const demo = await fetch(link, { redirect: 'manual' });
    await demo.text();
    expect(demo.status).toBe(303);
    const location = new URL(demo.headers.get('location')!, link);
    const page = await fetch(location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="app.js"></script>');
    // What app.js does with the token in the fragment.
    const token = new URLSearchParams(location.hash.slice(1)).get('token')!;
    const meetingId = (
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { meeting: string }
    ).meeting;
    const res = await fetch(new URL('/graphql', link), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        origin: 'http://localhost:5173',
      },
      body: JSON.stringify({
        query: 'query($input: JoinMeetingInput!) { joinUrl(input: $input) }',
        variables: { input: { meetingId } },
      }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const body = (await res.json()) as { data: { joinUrl: string } };
    expect(await openJoinLink(body.data.joinUrl)).toMatchObject({ role: 'VIEWER', fullName: 'Demo student' });
  });
});
