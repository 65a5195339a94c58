import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseStringPromise } from 'xml2js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { callApi, childNames, outcome, tag, tags } from './support/bbb-http.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const T0 = 1_700_000_000_000;

describe('recordings', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    sim.seedRecording({
      meetingID: 'room-a',
      name: 'A first',
      startTime: T0,
      metadata: { 'bbb-origin': 'greenlight', Course: 'math' },
    });
    sim.seedRecording({ meetingID: 'room-a', name: 'A second', startTime: T0 + 1000, published: false });
    sim.seedRecording({
      meetingID: 'room-b',
      name: 'B <one> & only',
      startTime: T0 + 2000,
      state: 'processing',
      metadata: { course: 'art' },
    });
    sim.seedRecording({ meetingID: 'room-c', name: 'C gone', startTime: T0 + 3000, state: 'deleted' });
  });

  it('seeds plausible recordings: recordID = sha1(meetingID)-startTime, a presentation format with previews', () => {
    const rec = sim.seedRecording({ meetingID: 'seed', name: 'Seeded', startTime: T0, endTime: T0 + 45 * 60_000 });
    expect(rec.recordID).toBe(`${sha1('seed')}-${T0}`);
    expect(rec.internalMeetingID).toBe(rec.recordID);
    expect(rec.state).toBe('published');
    expect(rec.published).toBe(true);
    expect(rec.formats).toHaveLength(1);
    expect(rec.formats[0]!.type).toBe('presentation');
    expect(rec.formats[0]!.length).toBe(45);
    expect(rec.formats[0]!.preview).toHaveLength(3);
    expect(rec.metadata).toMatchObject({ meetingId: 'seed', meetingName: 'Seeded', isBreakout: 'false' });
  });

  it('refuses a metadata key BBB would not accept', () => {
    expect(() => sim.seedRecording({ meetingID: 'x', name: 'X', metadata: { 'bad key': 'v' } })).toThrow(
      /metadata key/,
    );
  });

  it('answers the include-recording.ftlx shape, with CDATA names and metadata', async () => {
    const res = await callApi(sim, 'getRecordings', { meetingID: 'room-a', state: 'published' });
    expect(childNames(res.body)).toEqual(['returncode', 'recordings']);
    expect(childNames(res.body, 'recording')).toEqual([
      'recordID',
      'meetingID',
      'internalMeetingID',
      'name',
      'isBreakout',
      'published',
      'state',
      'startTime',
      'endTime',
      'participants',
      'metadata',
      'playback',
    ]);
    expect(res.body).toContain('<name><![CDATA[A first]]></name>');
    expect(res.body).toContain('<bbb-origin><![CDATA[greenlight]]></bbb-origin>');
    expect(tag(res.body, 'course')).toBe('math');
    expect(childNames(res.body, 'format')).toEqual(['type', 'url', 'processingTime', 'length', 'preview']);
    expect(res.body).toMatch(/<image alt="Welcome" height="136" width="176">http:\/\/[^<]+thumb-1\.png<\/image>/);
    const parsed = await parseStringPromise(res.body);
    expect(parsed.response.recordings[0].recording[0].name[0]).toBe('A first');
  });

  it('returns published and unpublished by default, sorted by start time', async () => {
    const res = await callApi(sim, 'getRecordings');
    expect(tags(res.body, 'name')).toEqual(['A first', 'A second']);
    expect(tags(res.body, 'state')).toEqual(['published', 'unpublished']);
  });

  it('filters by a state list, and state=any includes every state', async () => {
    expect(tags((await callApi(sim, 'getRecordings', { state: 'processing,deleted' })).body, 'state')).toEqual([
      'processing',
      'deleted',
    ]);
    expect(tags((await callApi(sim, 'getRecordings', { state: 'any' })).body, 'recordID')).toHaveLength(4);
  });

  it('filters by a meetingID list', async () => {
    const res = await callApi(sim, 'getRecordings', { meetingID: 'room-b,room-a', state: 'any' });
    expect(tags(res.body, 'name')).toEqual(['A first', 'A second', 'B <one> & only']);
  });

  it('matches recordID prefixes and ignores meetingID when recordID is given', async () => {
    const res = await callApi(sim, 'getRecordings', { recordID: sha1('room-a'), meetingID: 'room-b' });
    expect(tags(res.body, 'name')).toEqual(['A first', 'A second']);
    const exact = await callApi(sim, 'getRecordings', {
      recordID: `${sha1('room-a')}-${T0 + 1000},${sha1('room-b')}`,
      state: 'any',
    });
    expect(tags(exact.body, 'name')).toEqual(['A second', 'B <one> & only']);
  });

  it('filters by meta_ values', async () => {
    const res = await callApi(sim, 'getRecordings', { meta_course: 'math' });
    expect(tags(res.body, 'name')).toEqual(['A first']);
    expect(
      tag((await callApi(sim, 'getRecordings', { meta_course: 'math,art', state: 'any' })).body, 'messageKey'),
    ).toBe('noRecordings');
  });

  it('paginates with offset and limit, limit clamped to 1..100', async () => {
    for (let i = 0; i < 120; i++) sim.seedRecording({ meetingID: 'many', name: `N${i}`, startTime: T0 + 10_000 + i });
    const page = await callApi(sim, 'getRecordings', { meetingID: 'many', offset: '5', limit: '3' });
    expect(tags(page.body, 'name')).toEqual(['N5', 'N6', 'N7']);
    expect(
      tags((await callApi(sim, 'getRecordings', { meetingID: 'many', limit: '500' })).body, 'recordID'),
    ).toHaveLength(100);
    expect(tags((await callApi(sim, 'getRecordings', { meetingID: 'many', limit: '0' })).body, 'name')).toEqual(['N0']);
    expect(tags((await callApi(sim, 'getRecordings', { meetingID: 'many' })).body, 'recordID')).toHaveLength(120);
  });

  it('answers noRecordings after an empty <recordings>', async () => {
    const res = await callApi(sim, 'getRecordings', { meetingID: 'nothing-here' });
    expect(childNames(res.body)).toEqual(['returncode', 'recordings', 'messageKey', 'message']);
    expect(outcome(res.body)).toEqual({
      returncode: 'SUCCESS',
      messageKey: 'noRecordings',
      message: 'There are no recordings for the meeting(s).',
    });
  });

  describe('publishRecordings', () => {
    it('publishes and unpublishes, echoing the publish value', async () => {
      const id = `${sha1('room-a')}-${T0 + 1000}`;
      const res = await callApi(sim, 'publishRecordings', { recordID: id, publish: 'true' });
      expect(childNames(res.body)).toEqual(['returncode', 'published']);
      expect(tag(res.body, 'published')).toBe('true');
      expect(tags((await callApi(sim, 'getRecordings', { recordID: id })).body, 'state')).toEqual(['published']);
      expect(tag((await callApi(sim, 'publishRecordings', { recordID: id, publish: 'false' })).body, 'published')).toBe(
        'false',
      );
      const after = await callApi(sim, 'getRecordings', { recordID: id });
      expect(tag(after.body, 'state')).toBe('unpublished');
      expect(tag(after.body, 'published')).toBe('false');
    });

    it.each([
      ['no recordID', { publish: 'true' }, 'missingParamRecordID', 'You must specify a recordID.'],
      ['no publish', { recordID: 'x' }, 'missingParamPublish', 'You must specify a publish value true or false.'],
      ['only unknown IDs', { recordID: 'x,y', publish: 'true' }, 'notFound', 'We could not find recordings'],
    ])('fails for %s', async (_label, params, messageKey, message) => {
      expect(outcome((await callApi(sim, 'publishRecordings', params)).body)).toEqual({
        returncode: 'FAILED',
        messageKey,
        message,
      });
    });
  });

  describe('deleteRecordings', () => {
    it('marks recordings deleted, so they leave the default listing', async () => {
      const id = `${sha1('room-a')}-${T0}`;
      const res = await callApi(sim, 'deleteRecordings', { recordID: id });
      expect(childNames(res.body)).toEqual(['returncode', 'deleted']);
      expect(tag(res.body, 'deleted')).toBe('true');
      expect(tags((await callApi(sim, 'getRecordings')).body, 'name')).toEqual(['A second']);
      expect(tag((await callApi(sim, 'getRecordings', { recordID: id, state: 'deleted' })).body, 'name')).toBe(
        'A first',
      );
    });

    it('fails with missingParamRecordID and notFound', async () => {
      expect(tag((await callApi(sim, 'deleteRecordings')).body, 'messageKey')).toBe('missingParamRecordID');
      expect(tag((await callApi(sim, 'deleteRecordings', { recordID: 'nope' })).body, 'messageKey')).toBe('notFound');
    });
  });

  describe('updateRecordings', () => {
    it('sets meta_x=value and removes meta_x=', async () => {
      const id = `${sha1('room-a')}-${T0}`;
      const res = await callApi(sim, 'updateRecordings', {
        recordID: id,
        meta_Presenter: 'Ann',
        'meta_bbb-origin': '',
      });
      expect(childNames(res.body)).toEqual(['returncode', 'updated']);
      expect(tag(res.body, 'updated')).toBe('true');
      const after = await callApi(sim, 'getRecordings', { recordID: id });
      expect(tag(after.body, 'presenter')).toBe('Ann');
      expect(after.body).not.toContain('bbb-origin');
    });

    it('fails with missingParamRecordID and notFound', async () => {
      expect(tag((await callApi(sim, 'updateRecordings', { meta_a: 'b' })).body, 'messageKey')).toBe(
        'missingParamRecordID',
      );
      expect(tag((await callApi(sim, 'updateRecordings', { recordID: 'nope', meta_a: 'b' })).body, 'messageKey')).toBe(
        'notFound',
      );
    });
  });
});
