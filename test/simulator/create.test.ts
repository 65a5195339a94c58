import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { apiUrl, callApi, checksum, childNames, fetchRaw, outcome, tag } from './support/bbb-http.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const JAVA_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} [A-Z]{2,5} \d{4}$/;

describe('create', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('accepts a multipart create body and ignores it, as its README says (only an XML body carries documents)', async () => {
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'slides.pdf');
    const query = 'name=Room&meetingID=m-multipart';
    const res = await fetchRaw(apiUrl(sim, 'create', query), { method: 'POST', body: form });
    expect(outcome(res.body)).toMatchObject({ returncode: 'SUCCESS' });
  });

  it('answers a first create with the create-meeting.ftlx elements, in order, without an XML declaration', async () => {
    const before = Date.now();
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'm-1', attendeePW: 'ap', moderatorPW: 'mp' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.body.startsWith('<response>')).toBe(true);
    expect(childNames(res.body)).toEqual([
      'returncode',
      'meetingID',
      'internalMeetingID',
      'parentMeetingID',
      'attendeePW',
      'moderatorPW',
      'createTime',
      'voiceBridge',
      'dialNumber',
      'createDate',
      'hasUserJoined',
      'duration',
      'hasBeenForciblyEnded',
      'messageKey',
      'message',
    ]);
    expect(res.body).toContain('<messageKey></messageKey>');
    expect(res.body).toContain('<message></message>');
    const createTime = Number(tag(res.body, 'createTime'));
    expect(createTime).toBeGreaterThanOrEqual(before);
    expect(tag(res.body, 'internalMeetingID')).toBe(`${sha1('m-1')}-${createTime}`);
    expect(tag(res.body, 'parentMeetingID')).toBe('bbb-none');
    expect(tag(res.body, 'voiceBridge')).toMatch(/^\d{5}$/);
    expect(tag(res.body, 'dialNumber')).toBe('613-555-1234');
    expect(tag(res.body, 'createDate')).toMatch(JAVA_DATE);
    expect(tag(res.body, 'createDate')).toContain(' UTC ');
    expect(tag(res.body, 'attendeePW')).toBe('ap');
  });

  it('generates 8-character alphanumeric passwords when none are passed', async () => {
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'nopw' });
    expect(tag(res.body, 'attendeePW')).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(tag(res.body, 'moderatorPW')).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(tag(res.body, 'attendeePW')).not.toBe(tag(res.body, 'moderatorPW'));
  });

  describe('called twice with the same meetingID (§2.3)', () => {
    it('returns the existing meeting with duplicateWarning when both passwords match', async () => {
      const params = { name: 'Room', meetingID: 'dup', attendeePW: 'ap', moderatorPW: 'mp' };
      const first = await callApi(sim, 'create', params);
      const second = await callApi(sim, 'create', { ...params, name: 'Ignored new name' });
      expect(outcome(second.body)).toEqual({
        returncode: 'SUCCESS',
        messageKey: 'duplicateWarning',
        message: 'This conference was already in existence and may currently be in progress.',
      });
      expect(tag(second.body, 'internalMeetingID')).toBe(tag(first.body, 'internalMeetingID'));
      const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'dup' });
      expect(tag(info.body, 'meetingName')).toBe('Room');
    });

    it('returns the existing meeting when neither call passes passwords (PR #17937)', async () => {
      const first = await callApi(sim, 'create', { name: 'Room', meetingID: 'dup2' });
      const second = await callApi(sim, 'create', { name: 'Room', meetingID: 'dup2' });
      expect(tag(second.body, 'messageKey')).toBe('duplicateWarning');
      expect(tag(second.body, 'moderatorPW')).toBe(tag(first.body, 'moderatorPW'));
    });

    it.each([
      ['different passwords', { attendeePW: 'ap', moderatorPW: 'other' }],
      ['only one password', { moderatorPW: 'mp' }],
    ])('fails with idNotUnique for %s', async (_label, pw) => {
      await callApi(sim, 'create', { name: 'Room', meetingID: 'dup3', attendeePW: 'ap', moderatorPW: 'mp' });
      const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'dup3', ...pw });
      expect(outcome(res.body)).toEqual({
        returncode: 'FAILED',
        messageKey: 'idNotUnique',
        message: 'A meeting already exists with that meeting ID.  Please use a different meeting ID.',
      });
    });

    it('makes a new meeting once the first was ended', async () => {
      const first = await callApi(sim, 'create', { name: 'Room', meetingID: 'again' });
      await callApi(sim, 'end', { meetingID: 'again' });
      const second = await callApi(sim, 'create', { name: 'Room', meetingID: 'again' });
      expect(tag(second.body, 'messageKey')).toBe('');
      expect(tag(second.body, 'internalMeetingID')).not.toBe(tag(first.body, 'internalMeetingID'));
    });
  });

  it('refuses a voiceBridge another meeting uses, in the <errors> format', async () => {
    await callApi(sim, 'create', { name: 'Room', meetingID: 'vb1', voiceBridge: '71234' });
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'vb2', voiceBridge: '71234' });
    expect(tag(res.body, 'returncode')).toBe('FAILED');
    expect(childNames(res.body)).toEqual(['returncode', 'errors']);
    expect(tag(res.body, 'key')).toBe('nonUniqueVoiceBridge');
    expect(tag(res.body, 'message')).toBe('The selected voice bridge is already in use.');
  });

  it.each([
    ['no meetingID', { name: 'Room' }, 'missingParamMeetingID', 'You must provide a meeting ID'],
    ['an empty meetingID', { name: 'Room', meetingID: '' }, 'missingParamMeetingID', 'You must provide a meeting ID'],
    [
      'a 1-char meetingID',
      { name: 'Room', meetingID: 'x' },
      'validationError',
      'Meeting ID must be between 2 and 256 characters',
    ],
    [
      'a 257-char meetingID',
      { name: 'Room', meetingID: 'x'.repeat(257) },
      'validationError',
      'Meeting ID must be between 2 and 256 characters',
    ],
    [
      'a comma in the meetingID',
      { name: 'Room', meetingID: 'a,b' },
      'validationError',
      "Meeting ID cannot contain ','",
    ],
    ['no name', { meetingID: 'm-2' }, 'validationError', 'You must provide a meeting name'],
    [
      'a 1-char name',
      { meetingID: 'm-2', name: 'R' },
      'validationError',
      'Meeting name must be between 2 and 256 characters',
    ],
    [
      'a 1-char password',
      { meetingID: 'm-2', name: 'Room', attendeePW: 'a' },
      'validationError',
      'Password must be between 2 and 64 characters',
    ],
    [
      'a 65-char password',
      { meetingID: 'm-2', name: 'Room', moderatorPW: 'p'.repeat(65) },
      'validationError',
      'Password must be between 2 and 64 characters',
    ],
    [
      'record=yes',
      { meetingID: 'm-2', name: 'Room', record: 'yes' },
      'validationError',
      'Record must be a boolean value (true or false)',
    ],
  ])('fails for %s', async (_label, params, messageKey, message) => {
    const res = await callApi(sim, 'create', params as Record<string, string>);
    expect(res.status).toBe(200);
    expect(outcome(res.body)).toEqual({ returncode: 'FAILED', messageKey, message });
  });

  it('stores valid meta_ names lowercased and drops invalid ones', async () => {
    await callApi(sim, 'create', [
      ['name', 'Room'],
      ['meetingID', 'meta'],
      ['meta_endCallbackUrl', 'https://example.org/end?x=1&y=2'],
      ['meta_bbb-origin', 'greenlight'],
      ['meta_bad_name', 'dropped'],
      ['meta_1st', 'dropped'],
    ]);
    const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'meta' });
    expect(childNames(info.body, 'metadata')).toEqual(['endcallbackurl', 'bbb-origin']);
    expect(tag(info.body, 'endcallbackurl')).toBe('https://example.org/end?x=1&y=2');
    expect(info.body).toContain('<endcallbackurl>https://example.org/end?x=1&amp;y=2</endcallbackurl>');
  });

  it('stores maxParticipants, duration and record', async () => {
    await callApi(sim, 'create', {
      name: 'Room',
      meetingID: 'opts',
      maxParticipants: '7',
      duration: '45',
      record: 'TRUE',
    });
    const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'opts' });
    expect(tag(info.body, 'maxUsers')).toBe('7');
    expect(tag(info.body, 'duration')).toBe('45');
    expect(tag(info.body, 'recording')).toBe('true');
  });

  it('escapes names that look like markup', async () => {
    const name = `Tom & Jerry's <b>"room"</b>`;
    const res = await callApi(sim, 'create', { name, meetingID: 'esc' });
    expect(tag(res.body, 'returncode')).toBe('SUCCESS');
    const info = await callApi(sim, 'getMeetingInfo', { meetingID: 'esc' });
    expect(tag(info.body, 'meetingName')).toBe(name);
    expect(info.body).not.toContain('<b>');
  });

  it('accepts create as POST with a form body and refuses an unsupported Content-Type', async () => {
    const url = `${sim.url}api/create?checksum=${checksum('create', '', sim.secret)}`;
    const form = await fetchRaw(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: 'name=Form+Room&meetingID=form',
    });
    expect(tag(form.body, 'returncode')).toBe('SUCCESS');
    const json = await fetchRaw(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(outcome(json.body)).toEqual({
      returncode: 'FAILED',
      messageKey: 'unsupportedContentType',
      message: 'POST request Content-Type is missing or unsupported',
    });
  });

  it('signs with every algorithm by default', async () => {
    for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      const res = await fetchRaw(apiUrl(sim, 'create', `name=Room&meetingID=alg-${algorithm}`, algorithm));
      expect(tag(res.body, 'returncode')).toBe('SUCCESS');
    }
  });
});

describe('create in another time zone', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ timeZone: 'Europe/Berlin' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('prints createDate with the JVM-style zone abbreviation', async () => {
    const res = await callApi(sim, 'create', { name: 'Room', meetingID: 'tz' });
    expect(tag(res.body, 'createDate')).toMatch(JAVA_DATE);
    expect(tag(res.body, 'createDate')).toMatch(/ CES?T \d{4}$/);
  });
});
