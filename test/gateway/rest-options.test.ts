import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, startStack, TOKENS, type Stack } from '../helpers/stack.js';

describe('REST shim: the createMeeting and joinUrl options as optional snake_case keys', () => {
  let stack: Stack;
  const auth = { authorization: TOKENS.lms };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const lastCreate = () => stack.sim.received.filter((r) => r.call === 'create').at(-1)!;

  it("POST /create sends every option under BBB's name and still answers the five keys", async () => {
    const res = await post<Record<string, string>>(
      `${stack.url}/create`,
      {
        name: 'REST options',
        record: true,
        auto_start_recording: true,
        welcome: 'Hallo',
        duration_minutes: 45,
        mute_on_start: true,
        meeting_layout: 'smart_layout',
        waiting_room: 'GUESTS',
        lock_settings: { disable_cam: true, lock_on_join: true },
        disabled_features: ['chat', 'BREAKOUT_ROOMS', 'sharedNotes'],
        metadata: { 'course-id': 'CS-101' },
        presentations: [{ url: 'https://files.example.org/a.pdf?x=1&y=2', filename: 'a.pdf' }],
      },
      auth,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'attendee_pass',
      'create_time',
      'created_at',
      'meeting_id',
      'moderator_pass',
    ]);
    const sent = lastCreate();
    expect(sent.method).toBe('POST');
    expect(sent.params).toMatchObject({
      record: 'true',
      autoStartRecording: 'true',
      welcome: 'Hallo',
      duration: '45',
      muteOnStart: 'true',
      meetingLayout: 'SMART_LAYOUT',
      guestPolicy: 'ASK_MODERATOR',
      lockSettingsDisableCam: 'true',
      lockSettingsLockOnJoin: 'true',
      disabledFeatures: 'chat,breakoutRooms,sharedNotes',
      'meta_course-id': 'CS-101',
      'meta_bbb-interface-waiting-room': 'GUESTS',
    });
    expect(sent.body).toContain('url="https://files.example.org/a.pdf?x=1&amp;y=2"');
    expect(stack.sim.meetingDetails(res.body.meeting_id!)!.documents).toEqual([
      { url: 'https://files.example.org/a.pdf?x=1&y=2', filename: 'a.pdf', downloadable: false, current: false },
    ]);
  });

  it('POST /join accepts role in any case instead of the password, and userdata as an object', async () => {
    const c = await post<Record<string, string>>(`${stack.url}/create`, { name: 'REST join' }, auth);
    const res = await post(
      `${stack.url}/join`,
      {
        name: 'Ada',
        meeting_id: c.body.meeting_id,
        create_time: c.body.create_time,
        role: 'moderator',
        userdata: { bbb_skip_check_audio: 'true' },
        exclude_from_dashboard: true,
      },
      auth,
    );
    expect(res.status).toBe(303);
    const url = new URL(res.headers.get('location')!);
    expect(url.searchParams.get('role')).toBe('MODERATOR');
    expect(url.searchParams.get('password')).toBeNull();
    expect(url.searchParams.get('userdata-bbb_skip_check_audio')).toBe('true');
    expect(url.searchParams.get('excludeFromDashboard')).toBe('true');
  });

  it('POST /join takes create_time as a JSON integer too (what Go and PHP clients with int64 fields send)', async () => {
    const c = await post<Record<string, string>>(
      `${stack.url}/create`,
      { name: 'REST join, integer create_time' },
      auth,
    );
    const res = await post(
      `${stack.url}/join`,
      {
        name: 'Go client',
        meeting_id: c.body.meeting_id,
        create_time: Number(c.body.create_time),
        password: c.body.attendee_pass,
      },
      auth,
    );
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('createTime')).toBe(c.body.create_time);
  });

  it('POST /join with a role and an empty password (what clients that join by role often send) joins by the role', async () => {
    const c = await post<Record<string, string>>(`${stack.url}/create`, { name: 'REST join, empty password' }, auth);
    const res = await post(
      `${stack.url}/join`,
      { name: 'Bo', meeting_id: c.body.meeting_id, create_time: c.body.create_time, role: 'VIEWER', password: '' },
      auth,
    );
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('role')).toBe('VIEWER');
  });

  it('ignores keys it does not know, and logs them at warn level with the app name', async () => {
    const res = await post(`${stack.url}/create`, { name: 'Typo', recrod: true }, auth);
    expect(res.status).toBe(200);
    expect(lastCreate().params.record).toBeUndefined();
    const line = stack.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => Array.isArray(l.ignoredKeys) && (l.ignoredKeys as string[]).includes('recrod'));
    expect(line).toMatchObject({ level: 40, app: 'lms', ignoredKeys: ['recrod'] });
  });

  describe('refuses bad options with 400 naming the key as the caller wrote it, and sends nothing to BBB', () => {
    it.each([
      [
        '/create',
        { name: 'x1', metadata: { course_id: 'CS' } },
        /^metadata\["course_id"\] key must start with a letter/,
      ],
      [
        '/create',
        { name: 'x1', metadata: { endCallbackUrl: 'https://x.example' } },
        /^metadata\["endCallbackUrl"\] key must not be a callback key/,
      ],
      ['/create', { name: 'x1', metadata: ['a'] }, /^metadata must be a JSON object/],
      ['/create', { name: 'x1', duration_minutes: -3 }, /^duration_minutes must be 0 or more/],
      [
        '/create',
        { name: 'x1', lock_settings: { disable_cam: 'yes' } },
        /^lock_settings\.disable_cam must be true or false/,
      ],
      [
        '/create',
        { name: 'x1', lock_settings: { disable_camera: true } },
        /^lock_settings\.disable_camera is not a lock setting/,
      ],
      ['/create', { name: 'x1', disabled_features: ['teleport'] }, /^disabled_features\.0 is not a feature/],
      [
        '/create',
        { name: 'x1', presentations: [{ url: 'ftp://files.example.org/a.pdf' }] },
        /^presentations\.0\.url must be an absolute http/,
      ],
      ['/create', { name: 'x1', waiting_room: 'everyone' }, /^waiting_room /],
    ])('%s %j', async (route, body, message) => {
      const before = stack.sim.received.length;
      const res = await post<{ message: string }>(`${stack.url}${route}`, body, auth);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      expect(stack.sim.received.length).toBe(before);
    });

    it('POST /join with both password and role, or neither', async () => {
      const c = await post<Record<string, string>>(`${stack.url}/create`, { name: 'REST join bad' }, auth);
      const before = stack.sim.received.length;
      const both = await post<{ message: string }>(
        `${stack.url}/join`,
        {
          name: 'A',
          meeting_id: c.body.meeting_id,
          create_time: c.body.create_time,
          role: 'viewer',
          password: c.body.attendee_pass,
        },
        auth,
      );
      expect(both.status).toBe(400);
      expect(both.body.message).toMatch(/^role and password must not both be given/);
      const neither = await post<{ message: string }>(
        `${stack.url}/join`,
        { name: 'A', meeting_id: c.body.meeting_id, create_time: c.body.create_time },
        auth,
      );
      expect(neither.body.message).toMatch(/^role or password is required/);
      const userdata = await post<{ message: string }>(
        `${stack.url}/join`,
        {
          name: 'A',
          meeting_id: c.body.meeting_id,
          create_time: c.body.create_time,
          role: 'viewer',
          userdata: { 'bbb-x': '1' },
        },
        auth,
      );
      expect(userdata.body.message).toMatch(/^userdata\["bbb-x"\] key must start with a letter/);
      expect(stack.sim.received.length).toBe(before);
    });
  });
});
