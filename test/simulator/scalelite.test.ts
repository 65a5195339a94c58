import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { callApi, checksum, childNames, fetchRaw, outcome, tag, tags } from './support/bbb-http.js';

describe('scalelite mode', () => {
  let sim: Simulator;
  let origin: string;
  beforeAll(async () => {
    sim = await startSimulator({ mode: 'scalelite' });
    origin = new URL(sim.url).origin;
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('emits an XML declaration and indentation, as Nokogiri does', async () => {
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'sl' });
    expect(res.body.startsWith('<?xml version="1.0"?>\n<response>\n  <returncode>SUCCESS</returncode>')).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
  });

  it('answers the root with only a version', async () => {
    const res = await fetchRaw(`${sim.url}api`);
    expect(childNames(res.body)).toEqual(['returncode', 'version']);
  });

  describe('checksums', () => {
    it('rejects sha384 and accepts sha1, sha256 and sha512', async () => {
      for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
        expect(tag((await callApi(sim, 'getMeetings', {}, algorithm)).body, 'returncode')).toBe('SUCCESS');
      }
      expect(outcome((await callApi(sim, 'getMeetings', {}, 'sha384')).body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'checksumError',
        message: 'You did not pass the checksum security check',
      });
    });

    it('compares case-sensitively', async () => {
      const upper = checksum('getMeetings', '', sim.secret).toUpperCase();
      expect(tag((await fetchRaw(`${sim.url}api/getMeetings?checksum=${upper}`)).body, 'messageKey')).toBe(
        'checksumError',
      );
    });
  });

  it('answers unsupportedRequest for calls it does not route and for POST on GET-only calls', async () => {
    const expected = {
      returncode: 'FAILED',
      messageKey: 'unsupportedRequest',
      message: 'This request is not supported.',
    };
    const chat = await fetchRaw(`${sim.url}api/sendChatMessage?checksum=x`);
    expect(chat.status).toBe(200);
    expect(outcome(chat.body)).toEqual(expected);
    const postJoin = await fetchRaw(`${sim.url}api/join?checksum=${checksum('join', '', sim.secret)}`, {
      method: 'POST',
    });
    expect(outcome(postJoin.body)).toEqual(expected);
    const postPublish = await fetchRaw(`${sim.url}api/publishRecordings?checksum=x`, { method: 'POST' });
    expect(outcome(postPublish.body)).toEqual(expected);
  });

  it('uses its own wording for notFound and missingParamMeetingID', async () => {
    const notFound = {
      returncode: 'FAILED',
      messageKey: 'notFound',
      message: 'We could not find a meeting with that meeting ID - perhaps the meeting is not yet running?',
    };
    expect(outcome((await callApi(sim, 'getMeetingInfo', { meetingID: 'nope' })).body)).toEqual(notFound);
    expect(outcome((await callApi(sim, 'end', { meetingID: 'nope' })).body)).toEqual(notFound);
    expect(outcome((await callApi(sim, 'getMeetingInfo')).body)).toEqual({
      returncode: 'FAILED',
      messageKey: 'missingParamMeetingID',
      message: 'You must specify a meeting ID for the meeting.',
    });
    expect(tag((await callApi(sim, 'isMeetingRunning', { meetingID: 'nope' })).body, 'running')).toBe('false');
  });

  it('places noMeetings before <meetings/>', async () => {
    const res = await callApi(sim, 'getMeetings');
    expect(childNames(res.body)).toEqual(['returncode', 'messageKey', 'message', 'meetings']);
    expect(tag(res.body, 'messageKey')).toBe('noMeetings');
  });

  describe('join', () => {
    beforeEach(async () => {
      await callApi(sim, 'create', { name: 'Room', meetingID: 'sl-room' });
    });

    it('redirects to its backend even for redirect=false; the backend then answers XML', async () => {
      const res = await callApi(sim, 'join', {
        meetingID: 'sl-room',
        fullName: 'Ann',
        role: 'VIEWER',
        redirect: 'false',
      });
      expect(res.status).toBe(302);
      const backend = res.headers.get('location')!;
      expect(backend.startsWith(`${origin}/bbb-backend/bigbluebutton/api/join?`)).toBe(true);
      expect(backend).toMatch(/[?&]checksum=[0-9a-f]{64}$/);
      const xml = await fetchRaw(backend);
      expect(xml.status).toBe(200);
      expect(xml.body.startsWith('<response>')).toBe(true);
      expect(tag(xml.body, 'messageKey')).toBe('successfullyJoined');
    });

    it('reaches the client page in two redirects with redirect=true', async () => {
      const res = await callApi(sim, 'join', { meetingID: 'sl-room', fullName: 'Ann', role: 'MODERATOR' });
      const second = await fetchRaw(res.headers.get('location')!);
      expect(second.status).toBe(302);
      expect(second.headers.get('location')).toMatch(
        new RegExp(`^${origin}/html5client/join\\?sessionToken=[a-z0-9]{16}$`),
      );
      const page = await fetchRaw(second.headers.get('location')!);
      expect(page.body).toContain('<dd id="role">MODERATOR</dd>');
      expect(tag((await callApi(sim, 'isMeetingRunning', { meetingID: 'sl-room' })).body, 'running')).toBe('true');
    });

    it('answers an unknown meeting itself, as XML notFound and not as a redirect', async () => {
      const res = await callApi(sim, 'join', { meetingID: 'nope', fullName: 'Ann', role: 'VIEWER' });
      expect(res.status).toBe(200);
      expect(tag(res.body, 'messageKey')).toBe('notFound');
    });

    it('leaves the other join errors to the backend', async () => {
      const res = await callApi(sim, 'join', { meetingID: 'sl-room', fullName: 'Ann', redirect: 'false' });
      expect(res.status).toBe(302);
      const backend = await fetchRaw(res.headers.get('location')!);
      expect(tag(backend.body, 'messageKey')).toBe('Params required');
    });

    it('refuses a forged backend URL', async () => {
      const res = await fetchRaw(
        `${origin}/bbb-backend/bigbluebutton/api/join?meetingID=sl-room&fullName=A&role=VIEWER&redirect=false&checksum=${'0'.repeat(64)}`,
      );
      expect(tag(res.body, 'messageKey')).toBe('checksumError');
    });
  });

  describe('recordings', () => {
    beforeEach(() => {
      for (let i = 0; i < 5; i++)
        sim.seedRecording({
          meetingID: 'r',
          name: `R${i}`,
          startTime: 1_700_000_000_000 + i,
          metadata: { tag: `t${i}` },
        });
    });

    it('ignores offset and limit', async () => {
      expect(tags((await callApi(sim, 'getRecordings', { offset: '1', limit: '2' })).body, 'recordID')).toHaveLength(5);
    });

    it('reads a comma in a meta filter as OR', async () => {
      expect(tags((await callApi(sim, 'getRecordings', { meta_tag: 't1,t3' })).body, 'name')).toEqual(['R1', 'R3']);
    });

    it('answers noRecordings with its own wording after <recordings/>', async () => {
      const res = await callApi(sim, 'getRecordings', { meetingID: 'none' });
      expect(childNames(res.body)).toEqual(['returncode', 'recordings', 'messageKey', 'message']);
      expect(res.body).toContain('<recordings/>');
      expect(tag(res.body, 'message')).toBe('There are not recordings for the meetings');
    });

    it('answers updateRecordings for unknown IDs with SUCCESS updated=false', async () => {
      const res = await callApi(sim, 'updateRecordings', { recordID: 'nope', meta_a: 'b' });
      expect(outcome(res.body).returncode).toBe('SUCCESS');
      expect(tag(res.body, 'updated')).toBe('false');
    });
  });
});

describe('scalelite mode with GET_MEETINGS_API_DISABLED', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ mode: 'scalelite', getMeetingsDisabled: true });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('always answers noMeetings', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'hidden' });
    const res = await callApi(sim, 'getMeetings');
    expect(tag(res.body, 'messageKey')).toBe('noMeetings');
    expect(tag((await callApi(sim, 'getMeetingInfo', { meetingID: 'hidden' })).body, 'returncode')).toBe('SUCCESS');
  });
});
