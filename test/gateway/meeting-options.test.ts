import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import xml2js from 'xml2js';
import { print } from 'graphql';
import { CreateMeetingWithOptionsDocument, type CreateMeetingWithOptionsMutation } from '../generated/graphql.js';
import { callSimulator, gql, openJoinLink, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { CREATE, END, JOIN } from '../helpers/operations.js';

const CREATE_OPTS = print(CreateMeetingWithOptionsDocument);

function lastCreate(stack: Stack) {
  return stack.sim.received.filter((r) => r.call === 'create').at(-1)!;
}

describe('createMeeting options', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('sends every option to BBB under its own name and value, and reads back what BBB reflects', async () => {
    const input = {
      name: 'Options',
      record: true,
      autoStartRecording: false,
      allowStartStopRecording: true,
      notifyRecordingIsOn: true,
      welcome: 'Welcome to %%CONFNAME%% — 🎓',
      moderatorOnlyMessage: 'Invite: https://lms.example/x?a=1&b=2',
      bannerText: 'Exam mode',
      durationMinutes: 90,
      muteOnStart: true,
      webcamsOnlyForModerator: true,
      endWhenNoModerator: true,
      endWhenNoModeratorDelayMinutes: 3,
      meetingExpireIfNoUserJoinedMinutes: 10,
      meetingLayout: 'VIDEO_FOCUS',
      lockSettings: {
        disableCam: true,
        disableMic: false,
        disablePrivateChat: true,
        disablePublicChat: false,
        disableNotes: true,
        hideUserList: true,
        lockOnJoin: true,
        lockOnJoinConfigurable: false,
        hideViewersCursor: true,
      },
      disabledFeatures: ['CHAT', 'BREAKOUT_ROOMS', 'LEARNING_DASHBOARD', 'CAMERA_AS_CONTENT'],
      waitingRoom: 'ALL_VIEWERS',
      metadata: [
        { key: 'course-id', value: 'CS-101' },
        { key: 'Term', value: 'Winter' },
      ],
    };
    const res = await gql<CreateMeetingWithOptionsMutation>(stack, CREATE_OPTS, { input });
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data!.createMeeting;
    const sent = lastCreate(stack);
    expect(sent.method).toBe('GET');
    expect(sent.params).toMatchObject({
      record: 'true',
      autoStartRecording: 'false',
      allowStartStopRecording: 'true',
      notifyRecordingIsOn: 'true',
      welcome: input.welcome,
      moderatorOnlyMessage: input.moderatorOnlyMessage,
      bannerText: 'Exam mode',
      duration: '90',
      muteOnStart: 'true',
      webcamsOnlyForModerator: 'true',
      endWhenNoModerator: 'true',
      endWhenNoModeratorDelayInMinutes: '3',
      meetingExpireIfNoUserJoinedInMinutes: '10',
      meetingLayout: 'VIDEO_FOCUS',
      lockSettingsDisableCam: 'true',
      lockSettingsDisableMic: 'false',
      lockSettingsDisablePrivateChat: 'true',
      lockSettingsDisablePublicChat: 'false',
      lockSettingsDisableNotes: 'true',
      lockSettingsHideUserList: 'true',
      lockSettingsLockOnJoin: 'true',
      lockSettingsLockOnJoinConfigurable: 'false',
      lockSettingsHideViewersCursor: 'true',
      disabledFeatures: 'chat,breakoutRooms,learningDashboard,cameraAsContent',
      guestPolicy: 'ASK_MODERATOR',
      'meta_course-id': 'CS-101',
      meta_Term: 'Winter',
      'meta_bbb-interface-app': 'lms',
      'meta_bbb-interface-waiting-room': 'ALL_VIEWERS',
    });
    expect(m).toMatchObject({
      durationMinutes: 90,
      isBreakout: false,
      recording: true,
      recordingEnabled: true,
      waitingRoom: 'ALL_VIEWERS',
      startedAt: null,
    });
    expect(m.internalMeetingId).toMatch(new RegExp(`^[0-9a-f]{40}-${m.createTime}$`));
    // Only the app's own keys, lowercased as BBB stores them.
    expect(Object.fromEntries(m.metadata.map((e) => [e.key, e.value]))).toEqual({
      'course-id': 'CS-101',
      term: 'Winter',
    });
  });

  it("sends nothing BBB did not ask for when no option is set, and the meeting reads as BBB's defaults", async () => {
    const res = await gql<CreateMeetingWithOptionsMutation>(stack, CREATE_OPTS, { input: { name: 'Plain' } });
    expect(res.body.errors).toBeUndefined();
    const names = Object.keys(lastCreate(stack).params).sort();
    expect(names).toEqual([
      'attendeePW',
      'checksum',
      'meetingID',
      'meta_bbb-interface-app',
      'meta_bbb-interface-record',
      'moderatorPW',
      'name',
    ]);
    expect(res.body.data!.createMeeting).toMatchObject({
      recordingEnabled: false,
      waitingRoom: 'NONE',
      durationMinutes: 0,
      metadata: [],
    });
  });

  it("sends presentations as BBB's POST XML body with every attribute escaped", async () => {
    const url = 'https://files.example.org/get?id=1&name="Vorlesung" ü.pdf&x=<y>';
    const res = await gql(stack, CREATE, {
      input: {
        name: 'Slides',
        presentations: [
          { url, filename: 'Grüße & "Folien" <1>.pdf', downloadable: true, current: true },
          { url: 'http://files.example.org/b.pdf' },
        ],
      },
    });
    expect(res.body.errors).toBeUndefined();
    const sent = lastCreate(stack);
    expect(sent.method).toBe('POST');
    const doc = (await xml2js.parseStringPromise(sent.body!)) as {
      modules: { module: Array<{ $: { name: string }; document: Array<{ $: Record<string, string> }> }> };
    };
    const module = doc.modules.module[0]!;
    expect(module.$.name).toBe('presentation');
    // The URL scalar hands the resolver a WHATWG URL, which percent-encodes quotes, spaces and brackets; `&` survives.
    expect(module.document.map((d) => d.$)).toEqual([
      { url: new URL(url).toString(), filename: 'Grüße & "Folien" <1>.pdf', downloadable: 'true', current: 'true' },
      { url: 'http://files.example.org/b.pdf' },
    ]);
    expect(new URL(module.document[0]!.$.url!).searchParams.get('name')).toBe('"Vorlesung" ü.pdf');
  });

  it('a meeting created with record: true, joined and ended, is recorded on BBB', async () => {
    const c = await gql<{ createMeeting: { meetingId: string; createTime: string; moderatorPass: string } }>(
      stack,
      'mutation($i: CreateMeetingInput!) { createMeeting(input: $i) { meetingId createTime moderatorPass } }',
      {
        i: { name: 'Recorded lecture', record: true, metadata: [{ key: 'course-id', value: 'CS-101' }] },
      },
    );
    const m = c.body.data!.createMeeting;
    const link = await gql<{ joinUrl: string }>(stack, JOIN, {
      input: { name: 'Teacher', meetingId: m.meetingId, password: m.moderatorPass, createTime: m.createTime },
    });
    expect((await openJoinLink(link.body.data!.joinUrl)).status).toBe(200);
    expect((await gql(stack, END, { meetingId: m.meetingId })).body.errors).toBeUndefined();
    const recordings = await callSimulator(stack.sim, 'getRecordings', { meetingID: m.meetingId });
    expect(recordings).toContain('<state>published</state>');
    expect(recordings).toContain(`<meetingID>${m.meetingId}</meetingID>`);
    expect(recordings).toContain('<course-id><![CDATA[CS-101]]></course-id>');
  });

  it('a meeting created without record is not recorded', async () => {
    const c = await gql<{ createMeeting: { meetingId: string; createTime: string; moderatorPass: string } }>(
      stack,
      'mutation($i: CreateMeetingInput!) { createMeeting(input: $i) { meetingId createTime moderatorPass } }',
      { i: { name: 'Unrecorded' } },
    );
    const m = c.body.data!.createMeeting;
    const link = await gql<{ joinUrl: string }>(stack, JOIN, {
      input: { name: 'Teacher', meetingId: m.meetingId, password: m.moderatorPass, createTime: m.createTime },
    });
    await openJoinLink(link.body.data!.joinUrl);
    await gql(stack, END, { meetingId: m.meetingId });
    expect(await callSimulator(stack.sim, 'getRecordings', { meetingID: m.meetingId })).toContain('noRecordings');
  });

  describe('refuses bad options with BAD_USER_INPUT naming the field, and sends nothing to BBB', () => {
    const presentation = { url: 'https://files.example.org/a.pdf' };
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'the app tag as a metadata key',
        { metadata: [{ key: 'BBB-Interface-App', value: 'portal' }] },
        /metadata\.0\.key must not be bbb-interface-app/,
      ],
      [
        'a gateway key',
        { metadata: [{ key: 'bbb-interface-waiting-room', value: 'NONE' }] },
        /metadata\.0\.key must not start with bbb-interface-/,
      ],
      [
        'endCallbackUrl',
        { metadata: [{ key: 'endCallbackUrl', value: 'https://x.example' }] },
        /metadata\.0\.key must not be a callback key/,
      ],
      [
        'a recording-ready key',
        { metadata: [{ key: 'bn-recording-ready-url', value: 'https://x.example' }] },
        /metadata\.0\.key must not be a callback key/,
      ],
      [
        'a callback key',
        { metadata: [{ key: 'analytics-callback-url', value: 'https://x.example' }] },
        /metadata\.0\.key must not be a callback key/,
      ],
      [
        'a malformed metadata key',
        { metadata: [{ key: 'course_id', value: 'x' }] },
        /metadata\.0\.key must start with a letter/,
      ],
      [
        'the same key twice',
        {
          metadata: [
            { key: 'Topic', value: 'a' },
            { key: 'topic', value: 'b' },
          ],
        },
        /metadata must not name a key twice/,
      ],
      ['a negative duration', { durationMinutes: -1 }, /durationMinutes must be 0 or more/],
      ['a negative delay', { endWhenNoModeratorDelayMinutes: -5 }, /endWhenNoModeratorDelayMinutes must be 0 or more/],
      ['a control character in the welcome', { welcome: 'Hi\u0007' }, /welcome must not contain control characters/],
      [
        'a C1 control (NEL) in the welcome',
        { welcome: 'Hi\u0085there' },
        /welcome must not contain control characters/,
      ],
      [
        'a bidirectional override in the banner',
        { bannerText: 'Exam \u202eFDP.exe' },
        /bannerText must not contain control characters/,
      ],
      ['an over-long banner', { bannerText: 'x'.repeat(501) }, /bannerText must be at most 500 characters/],
      [
        'too many presentations',
        { presentations: Array.from({ length: 11 }, () => presentation) },
        /presentations must hold 1 to 10 documents/,
      ],
      [
        'a presentation with a control character in its name',
        { presentations: [{ ...presentation, filename: 'a\nb.pdf' }] },
        /presentations\.0\.filename must not contain control characters/,
      ],
      // Counted in UTF-16 units, as BBB's Java does: 129 emoji are 258 units, over BBB's 256.
      ["an emoji name over BBB's limit", { name: '😀'.repeat(129) }, /name must be 2 to 256 characters/],
      [
        "an emoji password over BBB's limit",
        { attendeePass: '😀'.repeat(33) },
        /attendeePass must be 2 to 64 characters/,
      ],
    ];
    it.each(cases)('%s', async (_label, extra, message) => {
      const before = stack.sim.callCount('create');
      const res = await gql(stack, CREATE, { input: { name: 'Refused', ...extra } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(message);
      expect(stack.sim.callCount('create')).toBe(before);
    });

    it.each([
      ['a javascript: presentation URL', { presentations: [{ url: 'javascript:alert(1)' }] }],
      ['an unknown feature', { disabledFeatures: ['TELEPORT'] }],
      ['an unknown layout', { meetingLayout: 'TILED' }],
      ['an unknown waiting room', { waitingRoom: 'SOME' }],
    ])('%s never reaches BBB', async (_label, extra) => {
      const before = stack.sim.callCount('create');
      const res = await gql(stack, CREATE, { input: { name: 'Refused', ...extra } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.sim.callCount('create')).toBe(before);
    });
  });

  it('REST refuses a URL with a line break instead of sending the raw string to BBB', async () => {
    const before = stack.sim.callCount('create');
    const res = await post(
      `${stack.url}/create`,
      { name: 'Break', redirect_at_logout: 'https://lms.example/\r\nx' },
      { authorization: TOKENS.lms },
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: expect.stringMatching(/^redirect_at_logout must not contain control characters/),
    });
    expect(stack.sim.callCount('create')).toBe(before);
  });
});
