import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gql, openJoinLink, startStack, type Stack } from '../helpers/stack.js';
import { CREATE, JOIN } from '../helpers/operations.js';

interface Made {
  meetingId: string;
  createTime: string;
  moderatorPass: string;
  attendeePass: string;
}

describe('joinUrl options and the waiting room', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function make(extra: Record<string, unknown> = {}): Promise<Made> {
    const res = await gql<{ createMeeting: Made }>(stack, CREATE, { input: { name: 'Join options', ...extra } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createMeeting;
  }

  async function link(m: Made, input: Record<string, unknown>): Promise<string> {
    const res = await gql<{ joinUrl: string }>(stack, JOIN, {
      input: { meetingId: m.meetingId, createTime: m.createTime, ...input },
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.joinUrl;
  }

  /** Opens the link like a browser and returns what BBB received and where it sent the browser. */
  async function open(url: string) {
    const res = await fetch(url, { redirect: 'manual' });
    await res.text();
    const received = stack.sim.received.filter((r) => r.call === 'join').at(-1)!;
    return { status: res.status, location: res.headers.get('location') ?? '', params: received.params };
  }

  it('joins by role, the BBB 3.0 way, with no password sent', async () => {
    const m = await make();
    const url = await link(m, { name: 'Prof', role: 'MODERATOR' });
    const { params } = await open(url);
    expect(params.role).toBe('MODERATOR');
    expect(params.password).toBeUndefined();
    expect((await openJoinLink(url)).role).toBe('MODERATOR');
    expect((await openJoinLink(await link(m, { name: 'Student', role: 'VIEWER' }))).role).toBe('VIEWER');
  });

  it('still joins by password', async () => {
    const m = await make();
    expect((await openJoinLink(await link(m, { name: 'Student', password: m.attendeePass }))).role).toBe('VIEWER');
  });

  it("sends userdata, errorRedirectUrl, enforceLayout and excludeFromDashboard under BBB's names; the client page shows the userdata", async () => {
    const m = await make();
    const url = await link(m, {
      name: 'Ada',
      role: 'VIEWER',
      userdata: [
        { key: 'bbb_skip_check_audio', value: 'true' },
        { key: 'bbb_override_default_locale', value: 'de' },
      ],
      errorRedirectUrl: 'https://lms.example/error?course=1&x=2',
      enforceLayout: 'PRESENTATION_FOCUS',
      excludeFromDashboard: true,
    });
    const { params } = await open(url);
    expect(params).toMatchObject({
      'userdata-bbb_skip_check_audio': 'true',
      'userdata-bbb_override_default_locale': 'de',
      errorRedirectUrl: 'https://lms.example/error?course=1&x=2',
      enforceLayout: 'PRESENTATION_FOCUS',
      excludeFromDashboard: 'true',
    });
    const page = await openJoinLink(url);
    expect(page.html).toContain('bbb_skip_check_audio=true');
    expect(page.html).toContain('bbb_override_default_locale=de');
  });

  describe('refuses bad join input naming the field, before asking BBB anything', () => {
    it.each([
      ['both password and role', { password: 'x1', role: 'VIEWER' }, /role and password must not both be given/],
      ['neither password nor role', {}, /role or password is required/],
      [
        'a userdata key with a dash',
        { role: 'VIEWER', userdata: [{ key: 'bbb-skip', value: 'x' }] },
        /userdata\.0\.key must start with a letter/,
      ],
      [
        'a userdata value with a line break',
        { role: 'VIEWER', userdata: [{ key: 'bbb_x', value: 'a\nb' }] },
        /userdata\.0\.value must not contain control characters/,
      ],
      [
        'an over-long userdata value',
        { role: 'VIEWER', userdata: [{ key: 'bbb_x', value: 'x'.repeat(1001) }] },
        /userdata\.0\.value must be at most 1000 characters/,
      ],
    ])('%s', async (_label, extra, message) => {
      const m = await make();
      const before = stack.sim.received.length;
      const res = await gql(stack, JOIN, {
        input: { name: 'Bad', meetingId: m.meetingId, createTime: m.createTime, ...extra },
      });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(message);
      expect(stack.sim.received.length).toBe(before);
    });

    it('a javascript: errorRedirectUrl', async () => {
      const m = await make();
      const res = await gql(stack, JOIN, {
        input: {
          name: 'Bad',
          meetingId: m.meetingId,
          createTime: m.createTime,
          role: 'VIEWER',
          errorRedirectUrl: 'javascript:alert(1)',
        },
      });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('waiting room', () => {
    it('ALL_VIEWERS: every viewer waits until a moderator admits them; moderators never wait', async () => {
      const m = await make({ waitingRoom: 'ALL_VIEWERS' });
      expect(stack.sim.received.filter((r) => r.call === 'create').at(-1)!.params.guestPolicy).toBe('ASK_MODERATOR');

      const teacher = await link(m, { name: 'Teacher', role: 'MODERATOR' });
      const t = await open(teacher);
      expect(t.params.guest).toBeUndefined();
      expect(t.location).toContain('/html5client/join?sessionToken=');

      const student = await link(m, { name: 'Student', role: 'VIEWER' });
      const s = await open(student);
      expect(s.params.guest).toBe('true');
      expect(s.location).toContain('/html5client/guestWait?sessionToken=');
      const waiting = await (await fetch(s.location)).text();
      expect(waiting).toContain('Waiting for a moderator');
      expect(stack.sim.meetingDetails(m.meetingId)!.waitingGuests).toEqual(['Student']);

      // The moderator's page lists the guest with an Admit link; following it lets the guest in.
      const teacherPage = await (await fetch(t.location)).text();
      const admit = /href="([^"]*\/html5client\/admit[^"]*)"/.exec(teacherPage)![1]!.replace(/&amp;/g, '&');
      await (await fetch(new URL(admit, t.location), { redirect: 'manual' })).text();
      expect(stack.sim.meetingDetails(m.meetingId)!.waitingGuests).toEqual([]);
      const admitted = await (await fetch(s.location)).text();
      expect(admitted).toContain('You are in the meeting');
    });

    it('GUESTS: only isGuest joins wait, and admitGuests lets them in', async () => {
      const m = await make({ waitingRoom: 'GUESTS' });
      const member = await open(await link(m, { name: 'Member', role: 'VIEWER' }));
      expect(member.params.guest).toBeUndefined();
      expect(member.location).toContain('/html5client/join?');
      const guestModerator = await open(await link(m, { name: 'Guest teacher', role: 'MODERATOR', isGuest: true }));
      expect(guestModerator.params.guest).toBeUndefined();
      const guest = await open(await link(m, { name: 'Visitor', role: 'VIEWER', isGuest: true }));
      expect(guest.params.guest).toBe('true');
      expect(guest.location).toContain('/html5client/guestWait?');
      expect(stack.sim.admitGuests(m.meetingId)).toBe(1);
      expect(await (await fetch(guest.location)).text()).toContain('You are in the meeting');
    });

    it('the simulator answers a redirect=false join of a waiting guest with guestWait / WAIT, and sets JSESSIONID as BBB does', async () => {
      const m = await make({ waitingRoom: 'ALL_VIEWERS' });
      const query = new URLSearchParams({
        fullName: 'Student',
        meetingID: m.meetingId,
        role: 'viewer',
        guest: 'true',
        redirect: 'false',
      }).toString();
      const checksum = createHash('sha256').update(`join${query}${stack.sim.secret}`).digest('hex');
      const res = await fetch(`${stack.sim.url}api/join?${query}&checksum=${checksum}`);
      const body = await res.text();
      expect(body).toContain('<messageKey>guestWait</messageKey>');
      expect(body).toContain('<guestStatus>WAIT</guestStatus>');
      expect(body).toMatch(/<url>[^<]*\/html5client\/guestWait\?sessionToken=[a-z0-9]{16}<\/url>/);
      expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=[A-Z0-9]+; Path=\/bigbluebutton/);
    });

    it('NONE: nobody waits, isGuest is passed on as before', async () => {
      const m = await make();
      const v = await open(await link(m, { name: 'Viewer', role: 'VIEWER', isGuest: true }));
      expect(v.params.guest).toBe('true');
      expect(v.location).toContain('/html5client/join?');
    });
  });
});

describe('joinUrl by role with BBB_JOIN_SEND_PASSWORD (servers before 2.4)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { BBB_JOIN_SEND_PASSWORD: 'true' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('also sends the password that belongs to the role', async () => {
    const c = await gql<{ createMeeting: Made }>(stack, CREATE, { input: { name: 'Old server' } });
    const m = c.body.data!.createMeeting;
    for (const [role, password] of [
      ['MODERATOR', m.moderatorPass],
      ['VIEWER', m.attendeePass],
    ] as const) {
      const res = await gql<{ joinUrl: string }>(stack, JOIN, {
        input: { name: 'A', meetingId: m.meetingId, createTime: m.createTime, role },
      });
      const url = new URL(res.body.data!.joinUrl);
      expect(url.searchParams.get('role')).toBe(role);
      expect(url.searchParams.get('password')).toBe(password);
    }
  });
});
