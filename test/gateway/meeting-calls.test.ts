import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import { InsertDocumentDocument, SendChatMessageDocument } from '../generated/graphql.js';
import { gql, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE } from '../helpers/operations.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

const INSERT = print(InsertDocumentDocument);
const CHAT = print(SendChatMessageDocument);

async function make(stack: Stack, token: string = TOKENS.lms): Promise<string> {
  const res = await gql<{ createMeeting: { meetingId: string } }>(stack, CREATE, { input: { name: 'Calls' } }, token);
  return res.body.data!.createMeeting.meetingId;
}

describe('insertDocument and sendChatMessage', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("insertDocument posts BBB's XML body; the simulator keeps the documents", async () => {
    const id = await make(stack);
    const url = 'https://files.example.org/x.pdf?a=1&b=2';
    const res = await gql(stack, INSERT, {
      meetingId: id,
      presentations: [{ url, filename: 'Übung "1".pdf', current: true }],
    });
    expect(res.body).toEqual({ data: { insertDocument: true } });
    const sent = stack.sim.received.filter((r) => r.call === 'insertDocument').at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.params.meetingID).toBe(id);
    expect(stack.sim.meetingDetails(id)!.documents).toEqual([
      { url, filename: 'Übung "1".pdf', downloadable: false, current: true },
    ]);
  });

  it('sendChatMessage reaches a BBB 3.0 server', async () => {
    const id = await make(stack);
    const res = await gql(stack, CHAT, { meetingId: id, message: 'Recording starts in 5 minutes', userName: 'LMS' });
    expect(res.body).toEqual({ data: { sendChatMessage: true } });
    expect(stack.sim.meetingDetails(id)!.chat).toEqual([{ userName: 'LMS', message: 'Recording starts in 5 minutes' }]);
  });

  it('both are isolated per app and validated before BBB', async () => {
    const portal = await make(stack, TOKENS.portal);
    const before = stack.sim.callCount('insertDocument') + stack.sim.callCount('sendChatMessage');
    const a = await gql(stack, INSERT, {
      meetingId: portal,
      presentations: [{ url: 'https://files.example.org/a.pdf' }],
    });
    expect(a.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const b = await gql(stack, CHAT, { meetingId: portal, message: 'hi' });
    expect(b.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const mine = await make(stack);
    const c = await gql(stack, CHAT, { meetingId: mine, message: 'x'.repeat(501) });
    expect(c.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^message must be 1 to 500/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const d = await gql(stack, INSERT, {
      meetingId: mine,
      presentations: Array.from({ length: 11 }, () => ({ url: 'https://files.example.org/a.pdf' })),
    });
    expect(d.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.callCount('insertDocument') + stack.sim.callCount('sendChatMessage')).toBe(before);
  });
});

describe.each([
  ['a BBB 2.7 server', { serverVersion: '2.7.12' }],
  ['Scalelite', { mode: 'scalelite' as const }],
])('sendChatMessage against %s', (_label, sim) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sim });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is a coded error saying that BBB 3.0 is needed', async () => {
    const id = await make(stack);
    const res = await gql(stack, CHAT, { meetingId: id, message: 'hello' });
    expect(res.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BBB_ERROR' },
      message: expect.stringContaining('needs BigBlueButton 3.0'),
    });
  });
});

describe('simulator fidelity', () => {
  let sim: Simulator;
  let sim2: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
    sim2 = await startSimulator({ serverVersion: '2.7.12' });
  });
  afterAll(async () => {
    await sim.close();
    await sim2.close();
  });

  const signed = (s: Simulator, call: string, params: Record<string, string>) => {
    const q = new URLSearchParams(params).toString();
    return `${s.url}api/${call}?${q}${q ? '&' : ''}checksum=${createHash('sha256').update(`${call}${q}${s.secret}`).digest('hex')}`;
  };
  const text = async (url: string) => (await fetch(url)).text();

  it('(1) finds a meeting by its internal ID, or a prefix of it, in getMeetingInfo, isMeetingRunning, join and end', async () => {
    const created = await text(signed(sim, 'create', { name: 'Internal', meetingID: 'ext-1' }));
    const internal = /<internalMeetingID>([^<]+)</.exec(created)![1]!;
    expect(await text(signed(sim, 'getMeetingInfo', { meetingID: internal }))).toContain(
      '<meetingID>ext-1</meetingID>',
    );
    expect(await text(signed(sim, 'getMeetingInfo', { meetingID: internal.slice(0, 40) }))).toContain(
      '<meetingID>ext-1</meetingID>',
    );
    expect(await text(signed(sim, 'isMeetingRunning', { meetingID: internal }))).toContain('<running>false</running>');
    expect(
      await text(signed(sim, 'join', { meetingID: internal, fullName: 'A', role: 'viewer', redirect: 'false' })),
    ).toContain('successfullyJoined');
    expect(await text(signed(sim, 'end', { meetingID: internal }))).toContain('sentEndMeetingRequest');
    expect(await text(signed(sim, 'getMeetingInfo', { meetingID: 'ext-1' }))).toContain('notFound');
  });

  it('(2)(3) GET and HEAD /bigbluebutton/ answer the version document, with html5PluginSdkVersion in 3.0 mode only', async () => {
    const get = await fetch(sim.url);
    const body = await get.text();
    expect(get.status).toBe(200);
    expect(body).toContain('<version>2.0</version>');
    expect(body).toContain('<html5PluginSdkVersion>');
    const head = await fetch(sim.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await text(sim2.url)).not.toContain('html5PluginSdkVersion');
  });

  it('(4) a redirect=false join sets JSESSIONID', async () => {
    await text(signed(sim, 'create', { name: 'Cookie', meetingID: 'cookie-1' }));
    const res = await fetch(
      signed(sim, 'join', { meetingID: 'cookie-1', fullName: 'A', role: 'viewer', redirect: 'false' }),
    );
    await res.text();
    expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=/);
  });

  it("(5) the 3.0 calls answer BBB's XML in 3.0 mode and a 2.x server's 404 in 2.x mode", async () => {
    expect(await text(signed(sim, 'getSessions', {}))).toContain('<returncode>SUCCESS</returncode>');
    expect(await text(signed(sim, 'sendChatMessage', { meetingID: 'nope', message: 'hi' }))).toContain(
      '<messageKey>meetingNotFound</messageKey>',
    );
    const ins = await fetch(signed(sim, 'insertDocument', { meetingID: 'nope' }), {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<modules/>',
    });
    expect(await ins.text()).toContain('<returncode>FAILED</returncode>');
    const old = await fetch(signed(sim2, 'sendChatMessage', { meetingID: 'nope', message: 'hi' }));
    await old.text();
    expect(old.status).toBe(404);
    expect((await fetch(signed(sim2, 'getSessions', {}))).status).toBe(404);
  });
});
