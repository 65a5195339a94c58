import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { apiUrl, callApi, childNames, encodeQuery, fetchRaw, outcome, tag, tags } from './support/bbb-http.js';

const TYPO = 'You must either send the valid role of the user, or the password, sould the meeting has one.';

describe('join', () => {
  let sim: Simulator;
  let origin: string;
  let createTime: string;
  let internalMeetingID: string;
  beforeAll(async () => {
    sim = await startSimulator();
    origin = new URL(sim.url).origin;
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    sim.reset();
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'room', attendeePW: 'ap', moderatorPW: 'mp' });
    createTime = tag(res.body, 'createTime')!;
    internalMeetingID = tag(res.body, 'internalMeetingID')!;
  });

  const join = (params: Record<string, string>) => callApi(sim, 'join', { meetingID: 'room', ...params });
  /** Follows a join redirect to the simulated client and returns the role the page shows. */
  const enter = async (location: string) => {
    const page = await fetchRaw(location);
    return { page, role: /<dd id="role">([^<]*)<\/dd>/.exec(page.body)?.[1] };
  };

  describe('with redirect (the default)', () => {
    it('answers 302 to the HTML5 client with a 16-char session token', async () => {
      const res = await join({ fullName: 'Ann', role: 'MODERATOR', createTime });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^${origin}/html5client/join\\?sessionToken=[a-z0-9]{16}$`));
      expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=/);
      expect((await enter(location)).role).toBe('MODERATOR');
    });

    it.each([
      ['redirect=1', '1'],
      ['redirect=yes', 'yes'],
    ])('treats %s as false, like Boolean.parseBoolean', async (_label, redirect) => {
      const res = await join({ fullName: 'Ann', role: 'VIEWER', redirect });
      expect(res.status).toBe(200);
      expect(tag(res.body, 'messageKey')).toBe('successfullyJoined');
    });

    it('treats redirect=TRUE as true', async () => {
      expect((await join({ fullName: 'Ann', role: 'VIEWER', redirect: 'TRUE' })).status).toBe(302);
    });

    it('redirects errors to the server URL with ?errors= and a JSON array', async () => {
      const res = await join({ fullName: 'Ann', role: 'VIEWER', createTime: '123' });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location.startsWith(`${origin}/?errors=`)).toBe(true);
      expect(location).toContain('[%7B%22message%22:%22');
      const errors = JSON.parse(decodeURIComponent(new URL(location).searchParams.get('errors')!));
      expect(errors).toEqual([
        {
          message: 'The createTime parameter submitted mismatches with the current meeting.',
          key: 'mismatchCreateTimeParam',
        },
      ]);
    });

    it('prefers errorRedirectUrl, then the join logoutURL', async () => {
      const both = await join({
        fullName: 'Ann',
        role: 'VIEWER',
        meetingID: 'unknown',
        errorRedirectUrl: 'https://app.example/err',
        logoutURL: 'https://app.example/bye?x=1',
      });
      expect(both.headers.get('location')).toMatch(/^https:\/\/app\.example\/err\?errors=/);
      const logout = await join({
        fullName: 'Ann',
        role: 'VIEWER',
        meetingID: 'unknown',
        logoutURL: 'https://app.example/bye?x=1',
      });
      const location = logout.headers.get('location')!;
      expect(location).toMatch(/^https:\/\/app\.example\/bye\?x=1&errors=/);
      expect(JSON.parse(new URL(location).searchParams.get('errors')!)[0].key).toBe('invalidMeetingIdentifier');
    });

    it('redirects a checksum error too', async () => {
      const res = await fetchRaw(`${sim.url}api/join?fullName=A&meetingID=room&role=VIEWER&checksum=${'0'.repeat(40)}`);
      expect(res.status).toBe(302);
      expect(JSON.parse(new URL(res.headers.get('location')!).searchParams.get('errors')!)[0].key).toBe(
        'checksumError',
      );
    });

    it('answers XML for a wrong password even in redirect mode', async () => {
      const res = await join({ fullName: 'Ann', password: 'wrong' });
      expect(res.status).toBe(200);
      expect(outcome(res.body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'Params required',
        message: 'You must enter a valid password',
      });
    });

    it('answers XML with the verbatim typo when neither role nor password is given', async () => {
      const res = await join({ fullName: 'Ann' });
      expect(res.status).toBe(200);
      expect(outcome(res.body)).toEqual({ returncode: 'FAILED', messageKey: 'Params required', message: TYPO });
    });
  });

  describe('with redirect=false', () => {
    it('answers join-meeting.ftlx XML', async () => {
      const res = await join({ fullName: 'Ann', role: 'VIEWER', redirect: 'false', createTime });
      expect(res.status).toBe(200);
      expect(childNames(res.body)).toEqual([
        'returncode',
        'messageKey',
        'message',
        'meeting_id',
        'user_id',
        'auth_token',
        'session_token',
        'guestStatus',
        'url',
      ]);
      expect(outcome(res.body)).toEqual({
        returncode: 'SUCCESS',
        messageKey: 'successfullyJoined',
        message: 'You have joined successfully.',
      });
      expect(tag(res.body, 'meeting_id')).toBe(internalMeetingID);
      expect(tag(res.body, 'user_id')).toMatch(/^w_[a-z0-9]{12}$/);
      expect(tag(res.body, 'auth_token')).toMatch(/^[a-z0-9]{12}$/);
      const token = tag(res.body, 'session_token')!;
      expect(token).toMatch(/^[a-z0-9]{16}$/);
      expect(tag(res.body, 'guestStatus')).toBe('ALLOW');
      expect(tag(res.body, 'url')).toBe(`${origin}/html5client/join?sessionToken=${token}`);
    });

    it.each([
      ['no fullName', { role: 'VIEWER' }, 'missingParamFullName', 'You must provide your name'],
      [
        'an unknown meeting',
        { fullName: 'A', role: 'VIEWER', meetingID: 'nope' },
        'invalidMeetingIdentifier',
        'A meeting with that ID does not exist',
      ],
      [
        'a wrong createTime',
        { fullName: 'A', role: 'VIEWER', createTime: '1' },
        'mismatchCreateTimeParam',
        'The createTime parameter submitted mismatches with the current meeting.',
      ],
      ['an unknown role and no password', { fullName: 'A', role: 'ADMIN' }, 'Params required', TYPO],
    ])('fails for %s', async (_label, params, messageKey, message) => {
      const res = await join({ redirect: 'false', ...(params as Record<string, string>) });
      expect(res.status).toBe(200);
      expect(outcome(res.body)).toEqual({ returncode: 'FAILED', messageKey, message });
    });

    it('fails with checksumError as XML', async () => {
      const res = await fetchRaw(
        `${sim.url}api/join?fullName=A&meetingID=room&role=VIEWER&redirect=false&checksum=${'0'.repeat(40)}`,
      );
      expect(outcome(res.body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'checksumError',
        message: 'Checksums do not match',
      });
    });
  });

  describe('role resolution (§3.2)', () => {
    it.each([
      ['role wins over a moderator password', { role: 'VIEWER', password: 'mp' }, 'VIEWER'],
      ['role wins over a wrong password', { role: 'moderator', password: 'wrong' }, 'MODERATOR'],
      ['role is case-insensitive', { role: 'Moderator' }, 'MODERATOR'],
      ['an empty password= is fine with a role', { role: 'VIEWER', password: '' }, 'VIEWER'],
      ['the moderator password alone', { password: 'mp' }, 'MODERATOR'],
      ['the attendee password alone', { password: 'ap' }, 'VIEWER'],
      ['an unknown role falls through to the password', { role: 'ADMIN', password: 'mp' }, 'MODERATOR'],
    ])('%s', async (_label, params, expected) => {
      const res = await join({ fullName: 'Ann', ...(params as Record<string, string>) });
      expect(res.status).toBe(302);
      expect((await enter(res.headers.get('location')!)).role).toBe(expected);
    });
  });

  describe('maxParticipants', () => {
    beforeEach(async () => {
      await callApi(sim, 'create', { name: 'Small', meetingID: 'small', maxParticipants: '2' });
    });

    it('counts unique user IDs that joined; a repeated userID is allowed', async () => {
      const j = (userID: string) =>
        callApi(sim, 'join', { meetingID: 'small', fullName: userID, role: 'VIEWER', userID, redirect: 'false' });
      expect(tag((await j('u1')).body, 'returncode')).toBe('SUCCESS');
      expect(tag((await j('u2')).body, 'returncode')).toBe('SUCCESS');
      expect(tag((await j('u1')).body, 'returncode')).toBe('SUCCESS');
      expect(outcome((await j('u3')).body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'maxParticipantsReached',
        message: 'The number of participants allowed for this meeting has been reached.',
      });
    });

    it('counts joins without userID as distinct users', async () => {
      const j = () => callApi(sim, 'join', { meetingID: 'small', fullName: 'X', role: 'VIEWER', redirect: 'false' });
      await j();
      await j();
      expect(tag((await j()).body, 'messageKey')).toBe('maxParticipantsReached');
    });
  });

  describe('the simulated HTML5 client page', () => {
    it('shows meeting name, full name and role, HTML-escaped, and makes the user an attendee', async () => {
      await callApi(sim, 'create', { name: 'Q&A <b>live</b>', meetingID: 'xss' });
      const fullName = `<script>alert("x")</script> O'Brien`;
      const res = await callApi(sim, 'join', [
        ['meetingID', 'xss'],
        ['fullName', fullName],
        ['role', 'VIEWER'],
        ['userID', 'ob-1'],
        ['userdata-bbb_skip_check_audio', 'true'],
        ['userdata-a-b', 'dropped'],
      ]);
      const { page, role } = await enter(res.headers.get('location')!);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html;charset=utf-8');
      expect(page.body).toContain('bbb-interface BBB simulator');
      expect(role).toBe('VIEWER');
      expect(page.body).not.toContain('<script>');
      expect(page.body).toContain(
        '<dd id="fullName">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien</dd>',
      );
      expect(page.body).toContain('<dd id="meetingName">Q&amp;A &lt;b&gt;live&lt;/b&gt;</dd>');
      expect(page.body).not.toMatch(/<(link|img|script)[\s>]/);

      const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'xss' });
      expect(tag(info.body, 'running')).toBe('true');
      expect(tag(info.body, 'fullName')).toBe(fullName);
      expect(tag(info.body, 'userID')).toBe('ob-1');
      expect(childNames(info.body, 'customdata')).toEqual(['bbb_skip_check_audio']);
    });

    it('counts a second visit with the same token once', async () => {
      const res = await join({ fullName: 'Ann', role: 'VIEWER' });
      await enter(res.headers.get('location')!);
      await enter(res.headers.get('location')!);
      const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'room' });
      expect(tag(info.body, 'participantCount')).toBe('1');
    });

    it('answers 404 HTML for an unknown token, and for a token whose meeting ended', async () => {
      const unknown = await fetchRaw(`${origin}/html5client/join?sessionToken=doesnotexist0000`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('Unknown session');
      const res = await join({ fullName: 'Ann', role: 'VIEWER' });
      await callApi(sim, 'end', { meetingID: 'room' });
      expect((await fetchRaw(res.headers.get('location')!)).status).toBe(404);
    });

    it('is not counted as an API call', async () => {
      const res = await join({ fullName: 'Ann', role: 'VIEWER' });
      const count = sim.received.length;
      await enter(res.headers.get('location')!);
      expect(sim.received.length).toBe(count);
    });
  });

  it('lists the joined attendees of the meeting for getMeetings too', async () => {
    const res = await join({ fullName: 'Ann', role: 'MODERATOR' });
    await enter(res.headers.get('location')!);
    const all = await callApi(sim, 'getMeetings');
    expect(tags(all.body, 'fullName')).toEqual(['Ann']);
  });

  it('uses the exact URL it was given (join URLs are signed like any call)', async () => {
    const query = encodeQuery({ fullName: 'Zoë Ünïcode', meetingID: 'room', role: 'VIEWER', redirect: 'false' });
    const res = await fetchRaw(apiUrl(sim, 'join', query, 'sha256'));
    expect(tag(res.body, 'returncode')).toBe('SUCCESS');
    const { role, page } = await enter(tag(res.body, 'url')!);
    expect(role).toBe('VIEWER');
    expect(page.body).toContain('Zoë Ünïcode');
  });
});
