import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chromium, type BrowserContext } from 'playwright-core';
import type { CreateMeetingMutation, IssueAccessTokenMutation } from '../generated/graphql.js';
import { assertNoSecretsIn, gql, startStack, type Stack } from '../helpers/stack.js';
import { CREATE, ISSUE_TOKEN } from '../helpers/operations.js';

/** Debian's Chromium; `.ci/run` installs it with apt when it is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots go to the system temp directory, never into the repository. */
export const SCREENSHOT_DIR = join(tmpdir(), 'bbb-interface-browser-test');
const EXAMPLE = join(process.cwd(), 'examples/browser');

jest.setTimeout(60_000);

/** A static server for examples/browser/ on its own port: another origin than the gateway's. */
async function serveExample(): Promise<{ origin: string; server: Server }> {
  const files: Record<string, [string, string]> = {
    '/index.html': ['text/html; charset=utf-8', 'index.html'],
    '/app.js': ['text/javascript; charset=utf-8', 'app.js'],
  };
  const server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split(/[?#]/)[0]!];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[0] }).end(readFileSync(join(EXAMPLE, file[1])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the browser example in a real Chromium', () => {
  let allowed: { origin: string; server: Server };
  let disallowed: { origin: string; server: Server };
  let stack: Stack;
  let context: BrowserContext;
  let profile: string;
  let meetingId: string;
  const minted: string[] = [];

  const tokenFor = async (input: Record<string, unknown>) => {
    const res = await gql<IssueAccessTokenMutation>(stack, ISSUE_TOKEN, { input: { meetingId, ...input } });
    const token = res.body.data!.issueAccessToken.token;
    minted.push(token);
    return token;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
      );
    allowed = await serveExample();
    disallowed = await serveExample();
    stack = await startStack({
      env: { CORS_ORIGINS: allowed.origin, ACCESS_TOKEN_SIGNING_KEY: 'browser-test-signing-key-0123456789abcdef' },
    });
    meetingId = (await gql<CreateMeetingMutation>(stack, CREATE, { input: { name: 'Browser lecture' } })).body.data!
      .createMeeting.meetingId;
    profile = mkdtempSync(join(tmpdir(), 'bbb-interface-chromium-'));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await stack?.close();
    await new Promise((resolve) => allowed?.server.close(resolve));
    await new Promise((resolve) => disallowed?.server.close(resolve));
    if (stack) assertNoSecretsIn(stack.logs, minted);
  });

  it('from an allowed origin: gets a join URL with its access token, follows it, and is in the meeting as the token says', async () => {
    const token = await tokenFor({ scopes: ['JOIN'], role: 'MODERATOR', name: 'Prof. Browser' });
    const page = await context.newPage();
    try {
      await page.goto(`${allowed.origin}/index.html#gateway=${encodeURIComponent(stack.url)}&token=${token}`);
      await page.waitForURL(
        (url) => url.origin === new URL(stack.sim.url).origin && url.pathname.endsWith('/html5client/join'),
      );
      expect(await page.textContent('#fullName')).toBe('Prof. Browser');
      expect(await page.textContent('#role')).toBe('MODERATOR');
      expect(await page.textContent('#meetingName')).toBe('Browser lecture');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'joined.png'), fullPage: true });
      expect(existsSync(join(SCREENSHOT_DIR, 'joined.png'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('the page removes the token from the address bar before it calls the gateway', async () => {
    const token = await tokenFor({ scopes: ['READ_MEETING'], role: 'VIEWER', name: 'No join scope' });
    const page = await context.newPage();
    try {
      await page.goto(`${allowed.origin}/index.html#gateway=${encodeURIComponent(stack.url)}&token=${token}`);
      await page.locator('#status', { hasText: 'Could not join' }).waitFor();
      expect(page.url()).toBe(`${allowed.origin}/index.html`);
      // The gateway answered (CORS let the page read it): the refusal names the missing scope.
      expect(await page.textContent('#status')).toContain('FORBIDDEN: joinUrl needs the JOIN scope');
    } finally {
      await page.close();
    }
  });

  it('the offline explorer (GraphiQL from npm) renders and loads the schema, with no request leaving for a CDN', async () => {
    const page = await context.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).origin !== new URL(stack.url).origin) foreign.push(req.url());
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    try {
      // GraphiQL loads the schema by introspection as soon as it starts (no token needed for that here).
      const introspection = page.waitForResponse(
        (res) => res.url() === `${stack.url}/graphql` && res.request().method() === 'POST',
      );
      await page.goto(`${stack.url}/graphiql`);
      await page.waitForSelector('.graphiql-container');
      const answer = await introspection;
      expect(answer.status()).toBe(200);
      expect(
        ((await answer.json()) as { data: { __schema: { queryType: { name: string } } } }).data.__schema.queryType.name,
      ).toBe('Query');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'graphiql.png') });
      expect(foreign).toEqual([]);
      expect(errors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('from an origin CORS does not allow: the browser refuses to let the page read the answer, and nobody joins', async () => {
    const token = await tokenFor({ scopes: ['JOIN'], role: 'VIEWER', name: 'Wrong origin' });
    const joinsBefore = stack.sim.callCount('join');
    const page = await context.newPage();
    const corsErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /CORS|Access-Control-Allow-Origin/.test(msg.text())) corsErrors.push(msg.text());
    });
    try {
      await page.goto(`${disallowed.origin}/index.html#gateway=${encodeURIComponent(stack.url)}&token=${token}`);
      await page.locator('#status', { hasText: 'Could not join' }).waitFor();
      expect(await page.textContent('#status')).toBe('Could not join: Failed to fetch');
      expect(new URL(page.url()).origin).toBe(disallowed.origin);
      expect(corsErrors.join('\n')).toContain(disallowed.origin);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'refused-origin.png'), fullPage: true });
      expect(stack.sim.callCount('join')).toBe(joinsBefore);
    } finally {
      await page.close();
    }
  });
});
