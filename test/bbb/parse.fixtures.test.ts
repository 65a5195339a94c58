import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { BbbFailedError, BbbMisconfiguredError, BbbNotFoundError, BbbProtocolError } from '../../src/bbb/errors.js';
import { attribute, childNodes, childText, listOf, parseResponse } from '../../src/bbb/parse.js';
import type { CreateMeetingResult, MeetingInfo, Recording } from '../../src/bbb/types.js';
import {
  parseApiVersion,
  parseCreateMeeting,
  parseIsMeetingRunning,
  parseMeetingInfo,
  parseMeetings,
  parseRecordings,
  parseRecordingsFlag,
} from './parse-helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/bbb/', import.meta.url));
const FOLDERS = ['official-php', 'littleredbutton-php'];

function read(file: string): string {
  return readFileSync(join(FIXTURES, file), 'utf8');
}

/** Runs `parse` and returns what it threw; fails the test when it did not throw. */
function thrown(parse: () => unknown): unknown {
  try {
    parse();
  } catch (err) {
    return err;
  }
  throw new Error('expected the parser to throw');
}

function expectFailure(parse: () => unknown, type: typeof BbbFailedError, call: string, messageKey: string): void {
  const err = thrown(parse);
  expect(err).toBeInstanceOf(type);
  expect(err).toMatchObject({ call, messageKey });
  // The narrower classes extend BbbFailedError; a plain failure must not be mistaken for one of them.
  if (type === BbbFailedError) {
    expect(err).not.toBeInstanceOf(BbbNotFoundError);
    expect(err).not.toBeInstanceOf(BbbMisconfiguredError);
  }
}

const STRING_FIELDS_OF_MEETING = [
  'meetingName',
  'meetingID',
  'internalMeetingID',
  'createTime',
  'createDate',
  'voiceBridge',
  'dialNumber',
  'attendeePW',
  'moderatorPW',
  'startTime',
  'endTime',
] as const;

function expectMeetingShape(meeting: MeetingInfo): void {
  for (const field of STRING_FIELDS_OF_MEETING) expect(typeof meeting[field]).toBe('string');
  expect(meeting.createTime).toMatch(/^\d{13}$/);
  expect(meeting.internalMeetingID).toMatch(/^[0-9a-f]{40}-\d{13}$/);
  for (const attendee of meeting.attendees) {
    expect(typeof attendee.userID).toBe('string');
    expect(['MODERATOR', 'VIEWER']).toContain(attendee.role);
  }
  for (const value of Object.values(meeting.metadata)) expect(typeof value).toBe('string');
}

function expectMockMeetingInfo(info: MeetingInfo): void {
  expectMeetingShape(info);
  expect(info).toMatchObject({
    meetingName: 'Mock meeting for testing getMeetingInfo API method',
    meetingID: '117b12ae2656972d330b6bad58878541-28-15',
    internalMeetingID: '178757fcedd9449054536162cdfe861ddebc70ba-1453206317376',
    createTime: '1453206317376',
    voiceBridge: '70100',
    attendeePW: 'dbfc7207321527bbb870c82028',
    moderatorPW: '4bfbbeeb4a65cacaefe3676633',
    running: true,
    duration: 20,
    hasUserJoined: true,
    recording: true,
    hasBeenForciblyEnded: false,
    startTime: '1453206317380',
    endTime: '1453206325002',
    participantCount: 2,
    listenerCount: 1,
    voiceParticipantCount: 2,
    videoCount: 1,
    maxUsers: 20,
    moderatorCount: 2,
  });
  expect(info.attendees.map((a) => [a.userID, a.role])).toEqual([
    ['amslzbgzzddp', 'MODERATOR'],
    ['xi7y7gpmyq1g', 'MODERATOR'],
    ['srfd2uad4x9s', 'VIEWER'],
    ['6ntb564ibhnq', 'VIEWER'],
  ]);
  expect(info.attendees[0]).toEqual({
    userID: 'amslzbgzzddp',
    fullName: 'Ernie Abernathy',
    role: 'MODERATOR',
    isPresenter: true,
    isListeningOnly: false,
    hasJoinedVoice: true,
    hasVideo: true,
    clientType: 'HTML5',
    customdata: {},
  });
  expect(info.attendees[1]?.customdata).toEqual({
    skipCheck: 'true',
    backgroundColor: '#FF0033',
    customStyle: 'a:focus{color:#0181eb}',
  });
  expect(info.attendees[3]).toMatchObject({ isListeningOnly: true, hasJoinedVoice: false });
}

function expectFullMockMetadata(metadata: Record<string, string>): void {
  expect(Object.keys(metadata)).toHaveLength(10);
  expect(metadata).toMatchObject({
    'bbb-context': 'Best BBB Developers Club',
    'bn-origin': 'Moodle',
    'bbb-origin-server-common-name': '',
    'bbb-recording-name': 'Bigbluebutton "Mock meeting for testing getMeetingInfo"',
  });
  // Kept as the server sent it, whitespace of the pretty-printed fixture included.
  expect(metadata['bn-recording-ready-url']?.trim()).toBe(
    'http://bigbluebutton.org/moodle/mod/bigbluebuttonbn/bbb_broker.php?action=recording_ready',
  );
}

function expectCreateFixture(result: CreateMeetingResult): void {
  expect(result).toEqual({
    meetingID: 'random-1665177',
    internalMeetingID: '1a6938c707cdf5d052958672d66c219c30690c47-1524212045514',
    parentMeetingID: 'bbb-none',
    attendeePW: 'tK6J5cJv3hMLNx5IBePa',
    moderatorPW: '34Heu0uiZYqCZXX9C4m2',
    createTime: '1453283819419',
    createDate: 'Wed Jan 20 04:56:59 EST 2016',
    voiceBridge: '76286',
    dialNumber: '613-555-1234',
    hasUserJoined: false,
    duration: 20,
    hasBeenForciblyEnded: false,
    messageKey: 'duplicateWarning',
    message: 'This conference was already in existence and may currently be in progress.',
  });
}

function expectMeetingsFixture(meetings: MeetingInfo[]): void {
  expect(meetings).toHaveLength(3);
  meetings.forEach(expectMeetingShape);
  expect(meetings.map((m) => m.meetingID)).toEqual([
    '5cf490a7-2c9a-3571-a48c-134ef58d47c2',
    'b2e7555d-b7c6-3b9f-b3ae-4c5754f64427',
    '56e1ae16-3dfc-390d-b0d8-5aa844a25874',
  ]);
  // Passwords full of XML- and URL-significant characters come back byte for byte.
  expect(meetings.map((m) => [m.attendeePW, m.moderatorPW])).toEqual([
    ['=g.TrpDM=xB.oOW5h|m', '$is=CM}xF;108o!Jqd'],
    ['SlD;CE', '03_bF+p+Fjm|M3'],
    ['f~kxYJeAV~G?Jb+E:ggn', 'n:"zWc##Bi.y,d^s,mMF'],
  ]);
  // `<attendees>` holding only whitespace is an empty list, not a list with one empty attendee.
  for (const m of meetings) expect(m.attendees).toEqual([]);
  expect(meetings.map((m) => m.participantCount)).toEqual([0, 0, 5]);
  expect(meetings.map((m) => m.running)).toEqual([false, false, true]);
  expect(meetings[0]?.metadata).toEqual({
    presenter: 'Alessandra Funk',
    endcallbackurl: 'http://www.schiller.info/ut-perspiciatis-et-vero-dolorum-repellendus-nesciunt-commodi-voluptate',
  });
}

function expectRecordingShape(recording: Recording): void {
  expect(recording.recordID).toMatch(/^[0-9a-f]{40}-\d{13}$/);
  expect(typeof recording.meetingID).toBe('string');
  expect(recording.startTime).toMatch(/^\d{13}$/);
  expect(recording.endTime).toMatch(/^\d{13}$/);
  expect(recording.playback.length).toBeGreaterThan(0);
  for (const format of recording.playback) {
    expect(typeof format.length).toBe('number');
    expect(format.url).toMatch(/^https?:\/\//);
  }
}

const EXPECTATIONS: Record<string, (body: string) => void> = {
  'official-php/api_version.xml': (body) => {
    expect(parseApiVersion(body)).toEqual({ version: '2.0', apiVersion: '2.0', bbbVersion: '3.0.19' });
  },
  'official-php/create_meeting.xml': (body) => expectCreateFixture(parseCreateMeeting(body)),
  'littleredbutton-php/create_meeting.xml': (body) => expectCreateFixture(parseCreateMeeting(body)),
  'littleredbutton-php/create_meeting_not_unique_error.xml': (body) => {
    expectFailure(() => parseCreateMeeting(body), BbbFailedError, 'create', 'idNotUnique');
    expect(thrown(() => parseCreateMeeting(body))).toMatchObject({
      bbbMessage: 'A meeting already exists with that meeting ID.  Please use a different meeting ID.',
    });
  },
  'official-php/delete_recordings.xml': (body) => {
    expect(parseRecordingsFlag(body, 'deleted', { call: 'deleteRecordings' })).toBe(true);
  },
  'official-php/delete_recordings_not_found.xml': (body) => {
    expectFailure(
      () => parseRecordingsFlag(body, 'deleted', { call: 'deleteRecordings' }),
      BbbNotFoundError,
      'deleteRecordings',
      'notFound',
    );
  },
  'official-php/end_meeting.xml': (body) => {
    const root = parseResponse(body, { call: 'end' });
    expect(childText(root, 'messageKey')).toBe('sentEndMeetingRequest');
  },
  'official-php/get_meeting_info.xml': (body) => {
    const info = parseMeetingInfo(body);
    expectMockMeetingInfo(info);
    expect(info.isBreakout).toBe(false);
    expectFullMockMetadata(info.metadata);
  },
  'littleredbutton-php/get_meeting_info.xml': (body) => {
    const info = parseMeetingInfo(body);
    expectMockMeetingInfo(info);
    expect(info.isBreakout).toBe(true);
    expectFullMockMetadata(info.metadata);
  },
  'official-php/get_meeting_info_breakout_room.xml': (body) => {
    const info = parseMeetingInfo(body);
    expectMockMeetingInfo(info);
    expect(info.isBreakout).toBe(true);
    expect(info.metadata).toEqual({ 'bbb-context': 'Best BBB Developers Club' });
  },
  'official-php/get_meeting_info_with_breakout_rooms.xml': (body) => {
    const info = parseMeetingInfo(body);
    expectMockMeetingInfo(info);
    expect(info.isBreakout).toBe(false);
    expect(info.metadata).toEqual({
      presenter: 'Prof. Maud Corkery II',
      endcallbackurl: 'http://www.hegmann.biz/explicabo-praesentium-labore-dolor',
    });
  },
  'official-php/get_meetings.xml': (body) => {
    const meetings = parseMeetings(body);
    expectMeetingsFixture(meetings);
    expect(meetings.map((m) => m.isBreakout)).toEqual([false, true, false]);
  },
  'littleredbutton-php/get_meetings.xml': (body) => {
    const meetings = parseMeetings(body);
    expectMeetingsFixture(meetings);
    expect(meetings.map((m) => m.isBreakout)).toEqual([false, false, false]);
  },
  'official-php/get_recordings.xml': (body) => {
    const recordings = parseRecordings(body);
    expect(recordings).toHaveLength(6);
    recordings.forEach(expectRecordingShape);
    const [first] = recordings as [Recording];
    expect(first).toMatchObject({
      recordID: 'f71d810b6e90a4a34ae02b8c7143e8733178578e-1462807897120',
      // No <internalMeetingID> in this fixture: the recordID is the internal meeting ID.
      internalMeetingID: 'f71d810b6e90a4a34ae02b8c7143e8733178578e-1462807897120',
      meetingID: '9d287cf50490ca856ca5273bd303a7e321df6051-4-119[0]',
      name: 'SAT- Writing-Humanities (All participants)',
      published: true,
      state: 'published',
      participants: 0,
    });
    expect(Object.keys(first.metadata)).toHaveLength(9);
    expect(first.metadata['bbb-recording-tags']).toBe('');
    expect(first.metadata['bn-origin']).toBe('Moodle');
    expect(first.playback.map((f) => [f.type, f.processingTime, f.length])).toEqual([
      ['podcast', 111, 632],
      ['presentation', 2973, 532],
    ]);
    expect(first.playback[0]?.preview).toEqual([]);
    expect(first.playback[1]?.preview).toHaveLength(2);
    expect(first.playback[1]?.preview[0]).toEqual({
      url: 'https://test-install.blindsidenetworks.com/presentation/f71d810b6e90a4a34ae02b8c7143e8733178578e-1462807897120/presentation/d2d9a672040fbde2a47a10bf6c37b6a4b5ae187f-1632646357291/thumbnails/thumb-1.png',
      width: 176,
      height: 136,
      alt: 'Welcome',
    });
    // A format without <processingTime> has no processingTime at all.
    expect(recordings[1]?.playback[0]).not.toHaveProperty('processingTime');
  },
  'littleredbutton-php/get_recordings.xml': (body) => {
    const recordings = parseRecordings(body);
    expect(recordings).toHaveLength(7);
    recordings.forEach(expectRecordingShape);
    const fred = recordings[6] as Recording;
    expect(fred).toMatchObject({
      recordID: 'ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124',
      meetingID: 'c637ba21adcd0191f48f5c4bf23fab0f96ed5c18',
      name: "Fred's Room",
      isBreakout: false,
      participants: 3,
    });
    expect(fred.metadata).toEqual({
      isBreakout: 'false',
      meetingName: "Fred's Room",
      'gl-listed': 'false',
      meetingId: 'c637ba21adcd0191f48f5c4bf23fab0f96ed5c18',
    });
    expect(fred.playback.map((f) => f.preview.length)).toEqual([0, 3]);
    expect(fred.playback[1]?.preview[1]?.alt).toBe('(this slide left blank for use as a whiteboard)');
    // CDATA preceded by pretty-printing whitespace: the value is kept, whitespace included.
    expect(recordings[2]?.metadata['bbb-recording-name']?.trim()).toBe(
      'SAT- Polynomials and Inequalities (All participants)',
    );
  },
  'official-php/get_recordings_no_recordings.xml': (body) => {
    expect(parseRecordings(body)).toEqual([]);
    expect(childText(parseResponse(body, { call: 'getRecordings' }), 'messageKey')).toBe('noRecordings');
  },
  'official-php/get_sessions.xml': (body) => {
    const sessions = listOf(parseResponse(body, { call: 'getSessions' }), 'sessions', 'meeting');
    expect(sessions.map((s) => childText(s, 'userName'))).toEqual(['Alice Moderator', 'Bob Attendee']);
    expect(childText(sessions[0], 'meetingID')).toBe('b6cdef623f494878af42c27a6e44d1acfed65451-1786915293531');
  },
  'official-php/get_sessions_empty.xml': (body) => {
    const root = parseResponse(body, { call: 'getSessions' });
    expect(listOf(root, 'sessions', 'meeting')).toEqual([]);
    expect(childText(root, 'messageKey')).toBe('noSessions');
  },
  'official-php/hooks_create.xml': (body) => {
    const root = parseResponse(body, { call: 'hooks/create' });
    expect(childText(root, 'hookID')).toBe('1');
    expect(childText(root, 'permanentHook')).toBe('false');
  },
  'official-php/hooks_create_existing.xml': (body) => {
    const root = parseResponse(body, { call: 'hooks/create' });
    expect([childText(root, 'hookID'), childText(root, 'messageKey')]).toEqual(['1', 'duplicateWarning']);
  },
  'official-php/hooks_create_failed_error.xml': (body) => {
    expectFailure(
      () => parseResponse(body, { call: 'hooks/create' }),
      BbbFailedError,
      'hooks/create',
      'createHookError',
    );
  },
  'official-php/hooks_destroy.xml': (body) => {
    expect(childText(parseResponse(body, { call: 'hooks/destroy' }), 'removed')).toBe('true');
  },
  'official-php/hooks_destroy_failed_error.xml': (body) => {
    expectFailure(
      () => parseResponse(body, { call: 'hooks/destroy' }),
      BbbFailedError,
      'hooks/destroy',
      'destroyHookError',
    );
  },
  'official-php/hooks_destroy_failed_no_id.xml': (body) => {
    expectFailure(
      () => parseResponse(body, { call: 'hooks/destroy' }),
      BbbFailedError,
      'hooks/destroy',
      'missingParamHookID',
    );
  },
  'official-php/hooks_destroy_failed_not_found.xml': (body) => {
    // destroyMissingHook is not one of the meeting/recording not-found keys the adapter maps.
    expectFailure(
      () => parseResponse(body, { call: 'hooks/destroy' }),
      BbbFailedError,
      'hooks/destroy',
      'destroyMissingHook',
    );
  },
  'official-php/hooks_list.xml': (body) => {
    const hooks = listOf(parseResponse(body, { call: 'hooks/list' }), 'hooks', 'hook');
    expect(hooks.map((h) => childText(h, 'hookID'))).toEqual(['1', '2']);
    expect(hooks.map((h) => childText(h, 'meetingID'))).toEqual(['my-meeting', undefined]);
    expect(childText(hooks[1], 'callbackURL')).toBe('http://postcatcher.in/catchers/1234567890');
    expect(childText(hooks[0], 'eventID')).toBe('');
  },
  'official-php/insert_document.xml': (body) => {
    expect(childText(parseResponse(body, { call: 'insertDocument' }), 'message')).toBe(
      'Presentation is being uploaded',
    );
  },
  'official-php/is_meeting_running.xml': (body) => {
    expect(parseIsMeetingRunning(body)).toBe(true);
  },
  'official-php/join_meeting.xml': (body) => expectJoinFixture(body),
  'littleredbutton-php/join_meeting.xml': (body) => expectJoinFixture(body),
  'littleredbutton-php/not_found_error.xml': (body) => {
    expectFailure(
      () => parseRecordingsFlag(body, 'published', { call: 'publishRecordings' }),
      BbbNotFoundError,
      'publishRecordings',
      'notFound',
    );
  },
  'official-php/publish_recordings.xml': (body) => {
    expect(parseRecordingsFlag(body, 'published', { call: 'publishRecordings' })).toBe(true);
  },
  'official-php/publish_recordings_not_found.xml': (body) => {
    expectFailure(
      () => parseRecordingsFlag(body, 'published', { call: 'publishRecordings' }),
      BbbNotFoundError,
      'publishRecordings',
      'notFound',
    );
  },
  'official-php/send_chat_message.xml': (body) => {
    expect(childText(parseResponse(body, { call: 'sendChatMessage' }), 'messageKey')).toBe('');
  },
  'official-php/send_chat_message_failed.xml': (body) => {
    // meetingNotFound comes only from this PHP fixture (bbb-api.md §4.8), "Meeting not found or not active": the gateway
    // answers it as the unknown meeting it is (NOT_FOUND), not as BBB_ERROR, by its key alone.
    expectFailure(
      () => parseResponse(body, { call: 'sendChatMessage' }),
      BbbNotFoundError,
      'sendChatMessage',
      'meetingNotFound',
    );
  },
  'official-php/update_recordings.xml': (body) => {
    expect(parseRecordingsFlag(body, 'updated', { call: 'updateRecordings' })).toBe(true);
  },
  'official-php/update_recordings_not_found.xml': (body) => {
    expectFailure(
      () => parseRecordingsFlag(body, 'updated', { call: 'updateRecordings' }),
      BbbNotFoundError,
      'updateRecordings',
      'notFound',
    );
  },
};

function expectJoinFixture(body: string): void {
  // The adapter never calls join server-side (browsers are redirected to the signed URL); the envelope still parses.
  const root = parseResponse(body, { call: 'join' });
  expect(childText(root, 'messageKey')).toBe('successfullyJoined');
  expect(childText(root, 'meeting_id')).toBe('fa51ae0c65adef7fe3cf115421da8a6a25855a20-1464618262714');
  expect(childText(root, 'session_token')).toBe('rbe7bbkjzx5mnoda');
  expect(childText(root, 'guestStatus')).toBe('ALLOW');
  expect(attribute(root, 'anything')).toBeUndefined();
  expect(childNodes(root, 'url')).toHaveLength(1);
}

const files = FOLDERS.flatMap((folder) =>
  readdirSync(join(FIXTURES, folder)).map((name) => `${folder}/${name}`),
).sort();
const xmlFiles = files.filter((f) => f.endsWith('.xml'));
const jsonFiles = files.filter((f) => f.endsWith('.json'));

describe('BBB response fixtures', () => {
  it('has an expectation for every XML fixture and a fixture for every expectation', () => {
    // 37 XML and 7 JSON files were copied from /work/shared/bbb-fixtures; a lost or added file must show up here.
    expect([xmlFiles.length, jsonFiles.length]).toEqual([37, 7]);
    expect(xmlFiles).toEqual(Object.keys(EXPECTATIONS).sort());
    expect(files).toHaveLength(xmlFiles.length + jsonFiles.length);
  });

  it.each(xmlFiles)('parses %s', (file) => {
    const expectation = EXPECTATIONS[file];
    if (expectation === undefined) throw new Error(`no expectation for ${file}`);
    expectation(read(file));
  });

  // getJoinUrl, text tracks, learning dashboard and feedback answer JSON, and the adapter calls none of them. They are
  // kept to prove that a JSON body where XML is expected is refused as a protocol error rather than half-parsed.
  it.each(jsonFiles)('refuses the JSON fixture %s as a BbbProtocolError', (file) => {
    const err = thrown(() => parseResponse(read(file), { call: 'getJoinUrl' }));
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect((err as BbbProtocolError).message).toBe(
      'BigBlueButton answered getJoinUrl with JSON instead of an XML API response.',
    );
  });
});
