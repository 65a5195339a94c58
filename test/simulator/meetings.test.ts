import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseStringPromise } from 'xml2js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { callApi, checksum, childNames, fetchRaw, outcome, tag, tags } from './support/bbb-http.js';

const MEETING_FIELDS = [
  'meetingName',
  'meetingID',
  'internalMeetingID',
  'createTime',
  'createDate',
  'voiceBridge',
  'dialNumber',
  'attendeePW',
  'moderatorPW',
  'running',
  'duration',
  'hasUserJoined',
  'recording',
  'hasBeenForciblyEnded',
  'startTime',
  'endTime',
  'participantCount',
  'listenerCount',
  'voiceParticipantCount',
  'videoCount',
  'maxUsers',
  'moderatorCount',
  'attendees',
  'metadata',
  'isBreakout',
];

describe('meeting lifecycle', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  describe('getMeetingInfo', () => {
    it('answers the full get-meeting-info.ftlx element set, with attendees from connectUser', async () => {
      await callApi(sim, 'create', {
        name: 'Room',
        meetingID: 'info',
        attendeePW: 'ap',
        moderatorPW: 'mp',
        meta_origin: 'test',
      });
      sim.connectUser('info', { fullName: 'Ann', role: 'MODERATOR', userID: 'ann' });
      sim.connectUser('info', { fullName: 'Bob', role: 'VIEWER' });
      const res = await callApi(sim, 'getMeetingInfo', { meetingID: 'info' });
      expect(childNames(res.body)).toEqual(['returncode', ...MEETING_FIELDS]);
      expect(tag(res.body, 'running')).toBe('true');
      expect(tag(res.body, 'hasUserJoined')).toBe('true');
      expect(tag(res.body, 'participantCount')).toBe('2');
      expect(tag(res.body, 'moderatorCount')).toBe('1');
      expect(tags(res.body, 'fullName')).toEqual(['Ann', 'Bob']);
      expect(tags(res.body, 'role')).toEqual(['MODERATOR', 'VIEWER']);
      expect(tags(res.body, 'isPresenter')).toEqual(['true', 'false']);
      expect(tag(res.body, 'userID')).toBe('ann');
      expect(tags(res.body, 'userID')[1]).toMatch(/^w_[a-z0-9]{12}$/);
      expect(childNames(res.body, 'attendee')).toEqual([
        'userID',
        'fullName',
        'role',
        'isPresenter',
        'isListeningOnly',
        'hasJoinedVoice',
        'hasVideo',
        'clientType',
        'customdata',
      ]);
      expect(tag(res.body, 'origin')).toBe('test');
      const parsed = await parseStringPromise(res.body);
      expect(parsed.response.meetingID[0]).toBe('info');
    });

    it('answers notFound for an unknown meeting and missingParamMeetingID without one', async () => {
      expect(outcome((await callApi(sim, 'getMeetingInfo', { meetingID: 'nope' })).body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'notFound',
        message: 'A meeting with that ID does not exist',
      });
      expect(outcome((await callApi(sim, 'getMeetingInfo')).body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'missingParamMeetingID',
        message: 'You must provide a meeting ID',
      });
    });

    it('also answers to POST with the meetingID in the body', async () => {
      await callApi(sim, 'create', { name: 'Room', meetingID: 'post-info' });
      const res = await fetchRaw(
        `${sim.url}api/getMeetingInfo?checksum=${checksum('getMeetingInfo', '', sim.secret)}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'meetingID=post-info',
        },
      );
      expect(tag(res.body, 'meetingID')).toBe('post-info');
    });
  });

  describe('isMeetingRunning', () => {
    it('is false until someone is connected, then true', async () => {
      await callApi(sim, 'create', { name: 'Room', meetingID: 'run' });
      const before = await callApi(sim, 'isMeetingRunning', { meetingID: 'run' });
      expect(childNames(before.body)).toEqual(['returncode', 'running']);
      expect(tag(before.body, 'running')).toBe('false');
      sim.connectUser('run', { fullName: 'Ann', role: 'VIEWER' });
      expect(tag((await callApi(sim, 'isMeetingRunning', { meetingID: 'run' })).body, 'running')).toBe('true');
    });

    it('answers SUCCESS false for an unknown meeting, and missingParamMeetingID without one', async () => {
      const res = await callApi(sim, 'isMeetingRunning', { meetingID: 'nope' });
      expect(tag(res.body, 'returncode')).toBe('SUCCESS');
      expect(tag(res.body, 'running')).toBe('false');
      expect(tag((await callApi(sim, 'isMeetingRunning')).body, 'messageKey')).toBe('missingParamMeetingID');
    });
  });

  describe('end', () => {
    it('ends the meeting with sentEndMeetingRequest; afterwards it is notFound', async () => {
      await callApi(sim, 'create', { name: 'Room', meetingID: 'bye' });
      sim.connectUser('bye', { fullName: 'Ann', role: 'MODERATOR' });
      const res = await callApi(sim, 'end', { meetingID: 'bye' });
      expect(outcome(res.body)).toEqual({
        returncode: 'SUCCESS',
        messageKey: 'sentEndMeetingRequest',
        message:
          'A request to end the meeting was sent.  Please wait a few seconds, and then use the getMeetingInfo or isMeetingRunning API calls to verify that it was ended.',
      });
      expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'bye' })).body, 'messageKey')).toBe('notFound');
      expect(tag((await callApi(sim, 'isMeetingRunning', { meetingID: 'bye' })).body, 'running')).toBe('false');
      expect(tag((await callApi(sim, 'end', { meetingID: 'bye' })).body, 'messageKey')).toBe('notFound');
    });

    it('answers notFound for an unknown meeting and missingParamMeetingID without one', async () => {
      expect(tag((await callApi(sim, 'end', { meetingID: 'nope' })).body, 'messageKey')).toBe('notFound');
      expect(tag((await callApi(sim, 'end')).body, 'messageKey')).toBe('missingParamMeetingID');
    });
  });

  describe('getMeetings', () => {
    it('answers <meetings/> and noMeetings when there are none', async () => {
      const res = await callApi(sim, 'getMeetings');
      expect(childNames(res.body)).toEqual(['returncode', 'meetings', 'messageKey', 'message']);
      expect(res.body).toContain('<meetings/>');
      expect(outcome(res.body)).toEqual({
        returncode: 'SUCCESS',
        messageKey: 'noMeetings',
        message: 'no meetings were found on this server',
      });
    });

    it('lists every meeting not ended, joined or not, with the getMeetingInfo fields', async () => {
      await callApi(sim, 'create', { name: 'One', meetingID: 'one', meta_a: 'x' });
      await callApi(sim, 'create', { name: 'Two', meetingID: 'two' });
      await callApi(sim, 'create', { name: 'Three', meetingID: 'three' });
      await callApi(sim, 'end', { meetingID: 'three' });
      sim.connectUser('two', { fullName: 'Ann', role: 'VIEWER' });
      const res = await callApi(sim, 'getMeetings');
      expect(childNames(res.body)).toEqual(['returncode', 'meetings']);
      expect(childNames(res.body, 'meetings')).toEqual(['meeting', 'meeting']);
      expect(childNames(res.body, 'meeting')).toEqual(MEETING_FIELDS);
      expect(tags(res.body, 'meetingName')).toEqual(['One', 'Two']);
      expect(tags(res.body, 'running')).toEqual(['false', 'true']);
      expect(tag(res.body, 'a')).toBe('x');
    });
  });

  describe('routing', () => {
    it('answers the API root without a checksum', async () => {
      for (const path of ['api', 'api/']) {
        const res = await fetchRaw(`${sim.url}${path}`);
        expect(res.status).toBe(200);
        expect(childNames(res.body)).toEqual([
          'returncode',
          'version',
          'apiVersion',
          'bbbVersion',
          'graphqlWebsocketUrl',
          'graphqlApiUrl',
          'html5PluginSdkVersion',
        ]);
        expect(tag(res.body, 'version')).toBe('2.0');
        expect(tag(res.body, 'bbbVersion')).toBe('3.0.0');
      }
    });

    it('answers 404 for an unknown call and an unknown path', async () => {
      const call = await fetchRaw(`${sim.url}api/noSuchCall?checksum=x`);
      expect(call.status).toBe(404);
      expect(call.body).toContain('<status>404</status>');
      expect((await fetchRaw(`${sim.url}nothing`)).status).toBe(404);
      const outside = await fetchRaw(sim.url.replace('/bigbluebutton/', '/nope'));
      expect(outside.status).toBe(404);
      expect(outside.body).toContain('nginx');
    });

    it('refuses POST on join (GET only since 3.0)', async () => {
      const res = await fetchRaw(`${sim.url}api/join?checksum=${checksum('join', '', sim.secret)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'fullName=A&meetingID=b&role=VIEWER',
      });
      expect(res.status).toBe(405);
    });
  });

  it('connectUser throws for an unknown meeting', () => {
    expect(() => sim.connectUser('nope', { fullName: 'Ann', role: 'VIEWER' })).toThrow(/no running meeting/);
  });
});

describe('meeting expiry', () => {
  let sim: Simulator;
  let clock: FakeClock;
  // BBB's default: a meeting nobody entered ends 5 minutes after create. The fake clock lets them pass at once.
  beforeEach(async () => {
    clock = new FakeClock();
    sim = await startSimulator({ clock });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('ends a meeting nobody entered after expireIfNoUserJoinedMs', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'lonely' });
    await clock.advance(300_000 - 1);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'lonely' })).body, 'returncode')).toBe('SUCCESS');
    await clock.advance(1);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'lonely' })).body, 'messageKey')).toBe('notFound');
    expect(tag((await callApi(sim, 'getMeetings')).body, 'messageKey')).toBe('noMeetings');
  });

  it('keeps a meeting someone entered', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'busy' });
    sim.connectUser('busy', { fullName: 'Ann', role: 'VIEWER' });
    await clock.advance(3_600_000);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'busy' })).body, 'running')).toBe('true');
  });
});

describe('ended meetings that linger (endedMeetingLingerMs)', () => {
  let sim: Simulator;
  const clock = new FakeClock();
  beforeAll(async () => {
    sim = await startSimulator({ endedMeetingLingerMs: 200, clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('shows hasBeenForciblyEnded, refuses joins with meetingForciblyEnded, then forgets the meeting', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'linger' });
    await callApi(sim, 'end', { meetingID: 'linger' });
    const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'linger' });
    expect(tag(info.body, 'hasBeenForciblyEnded')).toBe('true');
    expect(Number(tag(info.body, 'endTime'))).toBeGreaterThan(0);
    const join = await callApi(sim, 'join', {
      meetingID: 'linger',
      fullName: 'Ann',
      role: 'VIEWER',
      redirect: 'false',
    });
    expect(outcome(join.body)).toEqual({
      returncode: 'FAILED',
      messageKey: 'meetingForciblyEnded',
      message: 'You can not join a meeting that has already been forcibly ended',
    });
    expect(tag((await callApi(sim, 'getMeetings')).body, 'messageKey')).toBe('noMeetings');
    await clock.advance(199);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'linger' })).body, 'hasBeenForciblyEnded')).toBe(
      'true',
    );
    await clock.advance(1);
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'linger' })).body, 'messageKey')).toBe('notFound');
  });
});
