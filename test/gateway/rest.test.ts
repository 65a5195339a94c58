import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';

/** The two example requests of the original contract, cut out of the seed document verbatim. */
function seedExamples(): { create: string; join: string } {
  const seed = readFileSync(new URL('../fixtures/legacy-contract.md', import.meta.url), 'utf8');
  const blocks = [...seed.matchAll(/Example Request\n```\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return { create: blocks[0]!, join: blocks[1]! };
}

describe('legacy REST contract', () => {
  let stack: Stack;
  const auth = { authorization: TOKENS.lms };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function create(body: Record<string, unknown> = { name: 'meeting01' }) {
    const res = await post<Record<string, string>>(`${stack.url}/create`, body, auth);
    expect(res.status).toBe(200);
    return res.body;
  }

  describe('POST /create', () => {
    it('answers the seed example request with exactly the five documented fields', async () => {
      const res = await post<Record<string, unknown>>(`${stack.url}/create`, seedExamples().create, auth);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual([
        'attendee_pass',
        'create_time',
        'created_at',
        'meeting_id',
        'moderator_pass',
      ]);
      expect(res.body.attendee_pass).toBe('password-for-attende');
      expect(res.body.moderator_pass).toBe('password-for-moderator');
      expect(res.body.create_time).toMatch(/^\d{13}$/);
      expect(res.body.created_at).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [A-Z]{2,5} \d{4}$/);
      expect(res.body.meeting_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // What BBB was asked: the name, both passwords, the limit and the logout URL, tagged with the calling app.
      const sent = stack.sim.received.filter((r) => r.call === 'create').at(-1)!;
      expect(sent.params).toMatchObject({
        name: 'meeting01',
        meetingID: res.body.meeting_id,
        attendeePW: 'password-for-attende',
        moderatorPW: 'password-for-moderator',
        maxParticipants: '100',
        logoutURL: 'https://maybe-back-to-lms.com/dashboard',
        'meta_bbb-interface-app': 'lms',
      });
    });

    it('returns create_time and created_at as BBB reported them', async () => {
      const body = await create();
      const info = stack.sim.received.filter((r) => r.call === 'create').at(-1)!;
      expect(info.params.meetingID).toBe(body.meeting_id);
      // created_at is BBB's createDate for that createTime, in Java Date.toString() form (the simulator runs in UTC).
      const d = new Date(Number(body.create_time));
      expect(body.created_at).toContain(String(d.getUTCFullYear()));
      expect(body.created_at).toContain(' UTC ');
    });

    it('generates two different passwords when none are given', async () => {
      const body = await create({ name: 'no passwords' });
      expect(body.attendee_pass).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(body.moderator_pass).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(body.attendee_pass).not.toBe(body.moderator_pass);
    });

    it.each([
      [{}, /name is required/],
      [{ name: '' }, /name must be 2 to 256/],
      [{ name: '   x  ' }, /name must be 2 to 256/],
      [{ name: 42 }, /name must be a string/],
      [{ name: 'm', attendee_pass: 'same', moderator_pass: 'same' }, /moderator_pass must differ/],
      [{ name: 'ok', attendee_pass: 'x' }, /attendee_pass must be 2 to 64/],
      [{ name: 'ok', moderator_pass: 'y'.repeat(65) }, /moderator_pass must be 2 to 64/],
      [{ name: 'ok', max_participant: 0 }, /max_participant must be a positive whole number/],
      [{ name: 'ok', max_participant: 2.5 }, /max_participant must be a whole number/],
      [{ name: 'ok', max_participant: '100' }, /max_participant must be a number/],
      [{ name: 'ok', redirect_at_logout: 'javascript:alert(1)' }, /redirect_at_logout must be an absolute http/],
      [{ name: 'ok', redirect_at_logout: 'not a url' }, /redirect_at_logout must be an absolute http/],
    ])('answers 400 with a sentence naming the field for %j', async (body, message) => {
      const before = stack.sim.callCount('create');
      const res = await post<{ message: string }>(`${stack.url}/create`, body, auth);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toEqual(['message']);
      expect(res.body.message).toMatch(message);
      expect(stack.sim.callCount('create')).toBe(before);
    });
  });

  describe('POST /join', () => {
    it('answers the seed example (with its missing comma) with 400 invalid JSON, and the corrected example with 303', async () => {
      const verbatim = seedExamples().join;
      const bad = await post<{ message: string }>(`${stack.url}/join`, verbatim, auth);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ message: 'The request body is not valid JSON.' });

      const meeting = await create({
        name: 'meeting01',
        attendee_pass: 'password-for-attende',
        moderator_pass: 'passwordThatWillDecideThisUserIsAttendeeOrModerator',
      });
      const fixed = verbatim
        .replace(
          '"https://maybe-back-to-lms.com/assets/avatar/mhs01.png"',
          '"https://maybe-back-to-lms.com/assets/avatar/mhs01.png",',
        )
        .replace('someRandomStringFromCreateCall', meeting.meeting_id!)
        .replace('1531155809613', meeting.create_time!);
      const res = await post(`${stack.url}/join`, fixed, auth);
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      const url = new URL(location);
      expect(url.pathname).toBe('/bigbluebutton/api/join');
      expect(url.searchParams.get('fullName')).toBe('namaMahasiswaAtauDosen');
      expect(url.searchParams.get('role')).toBe('MODERATOR');
      expect(url.searchParams.get('userID')).toBe('mhs01');
      expect(url.searchParams.get('avatarURL')).toBe('https://maybe-back-to-lms.com/assets/avatar/mhs01.png');
      expect(url.searchParams.get('createTime')).toBe(meeting.create_time);
      expect(url.searchParams.has('password')).toBe(false);
      expect(url.searchParams.has('guest')).toBe(false);
      const page = await openJoinLink(location);
      expect(page.role).toBe('MODERATOR');
      expect(page.fullName).toBe('namaMahasiswaAtauDosen');
    });

    it('joins with the attendee password as VIEWER, and sends guest=true for is_guest', async () => {
      const m = await create({ name: 'Kelas A', attendee_pass: 'ap-secret', moderator_pass: 'mp-secret' });
      const res = await post(
        `${stack.url}/join`,
        {
          name: 'Mahasiswa',
          meeting_id: m.meeting_id,
          password: 'ap-secret',
          create_time: m.create_time,
          is_guest: true,
        },
        auth,
      );
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(new URL(location).searchParams.get('guest')).toBe('true');
      const page = await openJoinLink(location);
      expect(page.role).toBe('VIEWER');
      expect(page.meetingName).toBe('Kelas A');
    });

    it.each([
      ['wrong password', () => ({ password: 'nope' }), 403, /neither the moderator nor the attendee password/],
      [
        'old createTime',
        (m: Record<string, string>) => ({ create_time: String(Number(m.create_time) - 1000) }),
        409,
        /createTime does not match/,
      ],
      ['unknown meeting', () => ({ meeting_id: 'no-such-meeting' }), 404, /No running meeting/],
      ['missing name', () => ({ name: undefined }), 400, /^name is required\.$/],
      ['create_time not digits', () => ({ create_time: 'yesterday' }), 400, /create_time must be the createTime/],
      ['avatar not http', () => ({ avatar: 'file:///etc/passwd' }), 400, /avatar must be an absolute http/],
      ['is_guest not boolean', () => ({ is_guest: 'yes' }), 400, /is_guest must be true or false/],
    ])('answers %s with %i', async (_label, change, status, message) => {
      const m = await create({ name: 'errors', attendee_pass: 'ap-pass', moderator_pass: 'mp-pass' });
      const body = {
        name: 'Someone',
        meeting_id: m.meeting_id,
        password: 'mp-pass',
        create_time: m.create_time,
        ...change(m),
      };
      const res = await post<{ message: string }>(`${stack.url}/join`, body, auth);
      expect(res.status).toBe(status);
      expect(Object.keys(res.body)).toEqual(['message']);
      expect(res.body.message).toMatch(message);
      expect(res.headers.get('location')).toBeNull();
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', {}],
      ['an unknown token', { authorization: 'not-a-token-of-anybody' }],
      ['an unknown Bearer token', { authorization: 'Bearer not-a-token-of-anybody' }],
      ['an empty header', { authorization: '' }],
    ])('answers 401 for %s on both routes', async (_label, headers) => {
      for (const route of ['/create', '/join']) {
        const res = await post<{ message: string }>(
          `${stack.url}${route}`,
          { name: 'x' },
          headers as Record<string, string>,
        );
        expect(res.status).toBe(401);
        expect(res.body.message).toMatch(/Authorization: <token>/);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('accepts the token as the legacy doc shows it and as a Bearer token', async () => {
      for (const authorization of [TOKENS.lms, `Bearer ${TOKENS.lms}`, `bearer ${TOKENS.lms}`]) {
        const res = await post(`${stack.url}/create`, { name: 'auth styles' }, { authorization });
        expect(res.status).toBe(200);
      }
    });
  });

  describe('malformed requests', () => {
    it('answers malformed JSON with 400 JSON', async () => {
      const res = await post<{ message: string }>(`${stack.url}/create`, '{"name": ', auth);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'The request body is not valid JSON.' });
    });

    it('answers JSON that is not an object with 400', async () => {
      const res = await post<{ message: string }>(`${stack.url}/create`, '["meeting01"]', auth);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/JSON object/);
    });

    it('answers an empty body with 400', async () => {
      const res = await post<{ message: string }>(`${stack.url}/create`, '', auth);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/empty/);
    });

    it('accepts JSON sent without a JSON content type (older clients)', async () => {
      const res = await fetch(`${stack.url}/create`, {
        method: 'POST',
        headers: { authorization: TOKENS.lms, 'content-type': 'text/plain' },
        body: '{"name":"plain"}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('meeting_id');
    });

    it('accepts JSON sent with no content type at all', async () => {
      const res = await fetch(`${stack.url}/create`, {
        method: 'POST',
        headers: { authorization: TOKENS.lms },
        body: new TextEncoder().encode('{"name":"unlabelled"}'),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('meeting_id');
    });

    it.each([
      ['an urlencoded form', () => new URLSearchParams({ name: 'meeting01', attendee_pass: 'a' })],
      [
        'a multipart form',
        () => {
          const form = new FormData();
          form.set('name', 'meeting01');
          return form;
        },
      ],
    ])('answers %s with 400 saying the body must be JSON, and calls no BBB', async (_kind, body) => {
      const before = stack.sim.received.length;
      const res = await fetch(`${stack.url}/create`, {
        method: 'POST',
        headers: { authorization: TOKENS.lms },
        body: body(),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        message: 'The request body must be JSON (Content-Type: application/json), not a form.',
      });
      expect(stack.sim.received.length).toBe(before);
    });

    it('answers a body over the limit with 413 JSON', async () => {
      const res = await post<{ message: string }>(`${stack.url}/create`, { name: 'x'.repeat(200 * 1024) }, auth);
      expect(res.status).toBe(413);
      expect(res.body.message).toMatch(/larger than the limit/);
    });

    it.each([
      ['GET', '/create'],
      ['POST', '/nope'],
      ['GET', '/'],
    ])('answers %s %s with 404 JSON', async (method, path) => {
      const res = await fetch(`${stack.url}${path}`, { method, headers: { authorization: TOKENS.lms } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ message: expect.stringMatching(/^No route/) });
    });
  });
});
