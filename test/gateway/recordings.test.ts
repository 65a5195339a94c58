import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type DeleteRecordingsMutation,
  type PublishRecordingsMutation,
  type RecordingsQuery,
  type UnpublishRecordingsMutation,
  type UpdateRecordingMetadataMutation,
} from '../generated/graphql.js';
import { gql, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import type { SeedRecording, SimRecording, Simulator } from '../../src/simulator/index.js';
import { DELETE, PUBLISH, RECORDINGS, UNPUBLISH, UPDATE } from '../helpers/operations.js';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const APP = 'bbb-interface-app';

type Page = RecordingsQuery['recordings'];

/** `count` recordings of one app, one minute apart (the simulator lists by startTime), so the expected order is known. */
function seedMany(
  sim: Simulator,
  count: number,
  opts: { app?: string | null; meetingID?: string; from?: number; state?: SeedRecording['state'] } = {},
): SimRecording[] {
  const app = opts.app === undefined ? 'lms' : opts.app;
  return Array.from({ length: count }, (_, i) =>
    sim.seedRecording({
      meetingID: opts.meetingID ?? `course-${i}`,
      name: `Lecture ${i + 1}`,
      startTime: (opts.from ?? T0) + i * 60_000,
      ...(opts.state ? { state: opts.state } : {}),
      metadata: app === null ? {} : { [APP]: app },
    }),
  );
}

async function page(stack: Stack, variables: Record<string, unknown>, token: string = TOKENS.lms): Promise<Page> {
  const res = await gql<RecordingsQuery>(stack, RECORDINGS, variables, token);
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data!.recordings;
}

/** Every page from the start, following endCursor. */
async function allPages(
  stack: Stack,
  first: number,
  extra: Record<string, unknown> = {},
  token: string = TOKENS.lms,
): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const p = await page(stack, { ...extra, first, after }, token);
    pages.push(p);
    if (!p.pageInfo.hasNextPage) return pages;
    after = p.pageInfo.endCursor!;
  }
  throw new Error('pagination did not end within 50 pages');
}

const idsOf = (p: Page) => p.nodes.map((n) => n.recordId);

describe.each(['bbb', 'scalelite'] as const)('recordings pagination against %s', (mode) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ sim: { mode } });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.sim.reset();
  });

  it('pages through 7 recordings 3 at a time: each exactly once, in start order, and nothing of other apps', async () => {
    const mine = seedMany(stack.sim, 7);
    // Interleaved: another app's recordings and one made outside the gateway, with start times among mine.
    seedMany(stack.sim, 3, { app: 'portal', from: T0 + 30_000 });
    seedMany(stack.sim, 1, { app: null, from: T0 + 90_000 });

    const pages = await allPages(stack, 3);
    expect(pages.map(idsOf)).toEqual(
      [mine.slice(0, 3), mine.slice(3, 6), mine.slice(6)].map((rs) => rs.map((r) => r.recordID)),
    );
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    for (const p of pages) {
      expect(p.edges.map((e) => e.node.recordId)).toEqual(idsOf(p));
      expect(p.pageInfo.startCursor).toBe(p.edges[0]!.cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
    }
    // The same walk again gives the same pages: the order is stable.
    expect((await allPages(stack, 3)).map(idsOf)).toEqual(pages.map(idsOf));
  });

  it("asks BBB for the caller's recordings only, with offset and limit (one more than the page, to see whether another follows)", async () => {
    seedMany(stack.sim, 7);
    await allPages(stack, 3);
    const asked = stack.sim.received.filter((r) => r.call === 'getRecordings').map((r) => r.params);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    for (const params of asked) expect(params[`meta_${APP}`]).toBe('lms');
    expect(asked.slice(0, 3).map((p) => [p.offset, p.limit])).toEqual([
      ['0', '4'],
      ['2', '5'],
      ['5', '5'],
    ]);
  });

  it.each([
    [7, [7]],
    [6, [6, 1]],
    [1, [1, 1, 1, 1, 1, 1, 1]],
  ])('with first=%i gives pages of %j', async (first, sizes) => {
    const mine = seedMany(stack.sim, 7);
    const pages = await allPages(stack, first);
    expect(pages.map((p) => p.nodes.length)).toEqual(sizes);
    expect(pages.flatMap(idsOf)).toEqual(mine.map((r) => r.recordID));
  });

  it('pages 102 recordings 100 at a time (BBB clamps limit to 100)', async () => {
    const mine = seedMany(stack.sim, 102);
    const pages = await allPages(stack, 100);
    expect(pages.map((p) => p.nodes.length)).toEqual([100, 2]);
    expect(pages.flatMap(idsOf)).toEqual(mine.map((r) => r.recordID));
    for (const r of stack.sim.received.filter((x) => x.call === 'getRecordings'))
      expect(Number(r.params.limit)).toBeLessThanOrEqual(100);
  });

  it('answers an empty page when the app has no recordings', async () => {
    seedMany(stack.sim, 2, { app: 'portal' });
    const p = await page(stack, { first: 5 });
    expect(p).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  describe('when recordings are deleted between pages', () => {
    it("continues after the cursor when the cursor's own recording was deleted", async () => {
      const mine = seedMany(stack.sim, 7).map((r) => r.recordID);
      const first = await page(stack, { first: 3 });
      expect(idsOf(first)).toEqual(mine.slice(0, 3));
      await deleteOk(stack, [mine[2]!]);
      const second = await page(stack, { first: 3, after: first.pageInfo.endCursor });
      expect(idsOf(second)).toEqual(mine.slice(3, 6));
    });

    it('continues after the cursor when an earlier recording was deleted', async () => {
      const mine = seedMany(stack.sim, 7).map((r) => r.recordID);
      const first = await page(stack, { first: 3 });
      await deleteOk(stack, [mine[0]!, mine[1]!]);
      const second = await page(stack, { first: 3, after: first.pageInfo.endCursor });
      expect(idsOf(second)).toEqual(mine.slice(3, 6));
      const third = await page(stack, { first: 3, after: second.pageInfo.endCursor });
      expect(idsOf(third)).toEqual(mine.slice(6));
      expect(third.pageInfo.hasNextPage).toBe(false);
    });

    it('continues in a short list whose cursor recording was deleted', async () => {
      const mine = seedMany(stack.sim, 4).map((r) => r.recordID);
      const first = await page(stack, { first: 3 });
      expect(idsOf(first)).toEqual(mine.slice(0, 3));
      expect(first.pageInfo.hasNextPage).toBe(true);
      await deleteOk(stack, [mine[2]!]);
      const second = await page(stack, { first: 3, after: first.pageInfo.endCursor });
      expect(idsOf(second)).toEqual([mine[3]]);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });
  });
});

async function deleteOk(stack: Stack, recordIds: string[], token: string = TOKENS.lms): Promise<void> {
  const res = await gql<DeleteRecordingsMutation>(stack, DELETE, { recordIds }, token);
  expect(res.body).toEqual({ data: { deleteRecordings: true } });
}

describe('recordings', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.sim.reset();
  });

  it('exposes every field of a recording: ids, name, state, times, participants, metadata and playback formats', async () => {
    const seeded = stack.sim.seedRecording({
      meetingID: 'course-42',
      name: 'Week 3: Graphs',
      startTime: T0,
      endTime: T0 + 45 * 60_000,
      participants: 17,
      metadata: { [APP]: 'lms', 'course-code': 'CS-101' },
      formats: [{ type: 'presentation' }, { type: 'video', processingTime: 120_000 }],
    });
    const p = await page(stack, {});
    expect(p.edges).toHaveLength(1);
    const r = p.edges[0]!.node;
    expect(r).toMatchObject({
      recordId: seeded.recordID,
      meetingId: 'course-42',
      internalMeetingId: seeded.internalMeetingID,
      name: 'Week 3: Graphs',
      state: 'PUBLISHED',
      published: true,
      isBreakout: false,
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 45 * 60_000).toISOString(),
      participants: 17,
    });
    expect(Object.fromEntries(r.metadata.map((m) => [m.key, m.value]))).toEqual({
      [APP]: 'lms',
      'course-code': 'CS-101',
      meetingId: 'course-42',
      meetingName: 'Week 3: Graphs',
      isBreakout: 'false',
    });
    const [presentation, video] = r.formats;
    expect(presentation).toMatchObject({
      type: 'presentation',
      url: seeded.formats[0]!.url,
      lengthMinutes: 45,
      processingTimeMs: 7177,
    });
    expect(presentation!.previewImages).toEqual(
      seeded.formats[0]!.preview.map((img) => ({ url: img.url, width: 176, height: 136, alt: img.alt })),
    );
    expect(presentation!.previewImages.map((i) => i.alt)).toEqual(['Welcome', 'Agenda', 'Questions']);
    expect(video).toMatchObject({ type: 'video', lengthMinutes: 45, processingTimeMs: 120_000, previewImages: [] });
    expect(new URL(video!.url).pathname).toContain('/playback/video/');
  });

  it('filters by meetingId', async () => {
    seedMany(stack.sim, 3, { meetingID: 'course-a' });
    const b = seedMany(stack.sim, 2, { meetingID: 'course-b', from: T0 + 3_600_000 });
    const p = await page(stack, { meetingId: 'course-b' });
    expect(idsOf(p)).toEqual(b.map((r) => r.recordID));
    expect(stack.sim.received.filter((r) => r.call === 'getRecordings').at(-1)!.params.meetingID).toBe('course-b');
  });

  it('lists PUBLISHED and UNPUBLISHED by default, and exactly the states asked for otherwise', async () => {
    const [published] = seedMany(stack.sim, 1, { state: 'published', from: T0 });
    const [unpublished] = seedMany(stack.sim, 1, { state: 'unpublished', from: T0 + 1 });
    const [processing] = seedMany(stack.sim, 1, { state: 'processing', from: T0 + 2 });
    const [deleted] = seedMany(stack.sim, 1, { state: 'deleted', from: T0 + 3 });
    expect(idsOf(await page(stack, {}))).toEqual([published!.recordID, unpublished!.recordID]);
    expect(idsOf(await page(stack, { states: [] }))).toEqual([published!.recordID, unpublished!.recordID]);
    expect(idsOf(await page(stack, { states: ['PROCESSING'] }))).toEqual([processing!.recordID]);
    expect(idsOf(await page(stack, { states: ['DELETED', 'UNPUBLISHED'] }))).toEqual([
      unpublished!.recordID,
      deleted!.recordID,
    ]);
    const states = (await page(stack, { states: ['PUBLISHED', 'UNPUBLISHED', 'PROCESSING', 'DELETED'] })).edges.map(
      (e) => e.node.state,
    );
    expect(states).toEqual(['PUBLISHED', 'UNPUBLISHED', 'PROCESSING', 'DELETED']);
  });

  describe('input errors', () => {
    const otherCursor = Buffer.from(JSON.stringify({ v: 2, p: 0, id: 'x' })).toString('base64url');
    it.each([
      ['first = 0', { first: 0 }, /^first must be 1 to 100/],
      ['first = 101', { first: 101 }, /^first must be 1 to 100/],
      ['a meetingId with a comma', { meetingId: 'a,b' }, /^meetingId must not contain a comma/],
      ['an after that is not base64url', { after: 'not a cursor!' }, /^after is not a cursor this API returned/],
      [
        'an after that decodes to something else',
        { after: Buffer.from('hello').toString('base64url') },
        /^after is not a cursor/,
      ],
      ['an after of an unknown version', { after: otherCursor }, /^after is not a cursor/],
    ])('recordings with %s answers BAD_USER_INPUT (400)', async (_label, variables, message) => {
      const res = await gql(stack, RECORDINGS, variables);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(message);
      expect(stack.sim.callCount('getRecordings')).toBe(0);
    });

    it.each([
      [PUBLISH, 'no recordIds', { recordIds: [] }, /^recordIds must name 1 to 100 recordings/],
      [
        UNPUBLISH,
        '101 recordIds',
        { recordIds: Array.from({ length: 101 }, (_, i) => `r-${i}`) },
        /^recordIds must name 1 to 100/,
      ],
      [DELETE, 'a recordId with a comma', { recordIds: ['ok', 'a,b'] }, /^recordIds\.1 must not contain a comma/],
      [
        UPDATE,
        'the isolation tag as key',
        { recordIds: ['r-1'], metadata: [{ key: 'BBB-Interface-App', value: 'portal' }] },
        /^metadata\.0\.key must not be bbb-interface-app/,
      ],
      [
        UPDATE,
        'a key BBB would drop',
        { recordIds: ['r-1'], metadata: [{ key: 'course_code', value: 'x' }] },
        /^metadata\.0\.key must start with a letter/,
      ],
      [
        UPDATE,
        'a key named twice',
        {
          recordIds: ['r-1'],
          metadata: [
            { key: 'Topic', value: 'a' },
            { key: 'topic', value: 'b' },
          ],
        },
        /^metadata must not name a key twice/,
      ],
      [UPDATE, 'no metadata', { recordIds: ['r-1'], metadata: [] }, /^metadata must hold 1 to 20 entries/],
      [
        UPDATE,
        'a lone surrogate in a value',
        { recordIds: ['r-1'], metadata: [{ key: 'topic', value: 'x\ud800' }] },
        /^metadata\.0\.value must not contain control characters/,
      ],
    ])(
      '%#: a mutation with %s answers BAD_USER_INPUT (400), before BBB is called',
      async (query, _label, variables, message) => {
        const res = await gql(stack, query, variables);
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(res.body.errors?.[0]?.message).toMatch(message);
        expect(stack.sim.received).toHaveLength(0);
      },
    );
  });

  describe('publishRecordings and unpublishRecordings', () => {
    it('unpublishes and publishes again, returning the recordings as they are now in the order named', async () => {
      const [a, b] = seedMany(stack.sim, 2).map((r) => r.recordID);
      const off = await gql<UnpublishRecordingsMutation>(stack, UNPUBLISH, { recordIds: [b, a] });
      expect(off.body.errors).toBeUndefined();
      expect(off.body.data!.unpublishRecordings).toEqual([
        { recordId: b, state: 'UNPUBLISHED', published: false },
        { recordId: a, state: 'UNPUBLISHED', published: false },
      ]);
      expect(stack.sim.received.filter((r) => r.call === 'publishRecordings').at(-1)!.params).toMatchObject({
        recordID: `${b},${a}`,
        publish: 'false',
      });

      const on = await gql<PublishRecordingsMutation>(stack, PUBLISH, { recordIds: [a] });
      expect(on.body.data!.publishRecordings).toEqual([{ recordId: a, state: 'PUBLISHED', published: true }]);
      expect(idsOf(await page(stack, { states: ['PUBLISHED'] }))).toEqual([a]);
    });

    it('sends a repeated recordId once', async () => {
      const [a] = seedMany(stack.sim, 1).map((r) => r.recordID);
      const res = await gql<UnpublishRecordingsMutation>(stack, UNPUBLISH, { recordIds: [a, a] });
      expect(res.body.data!.unpublishRecordings).toEqual([{ recordId: a, state: 'UNPUBLISHED', published: false }]);
      expect(stack.sim.received.filter((r) => r.call === 'publishRecordings').at(-1)!.params.recordID).toBe(a);
    });

    it('answers NOT_FOUND (404) naming the unknown recordId, and changes none of the others', async () => {
      const [a] = seedMany(stack.sim, 1).map((r) => r.recordID);
      const res = await gql(stack, UNPUBLISH, { recordIds: [a, 'no-such-recording'] });
      expect(res.status).toBe(404);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.body.errors?.[0]?.message).toBe(
        'No recording with recordId "no-such-recording" exists for this application; it may have been deleted, or never existed.',
      );
      expect(stack.sim.callCount('publishRecordings')).toBe(0);
      expect((await page(stack, {})).nodes[0]!.recordId).toBe(a);
      expect((await page(stack, { states: ['PUBLISHED'] })).nodes).toHaveLength(1);
    });

    it('does not take a recordId prefix for the recording (BBB matches prefixes)', async () => {
      const [a] = seedMany(stack.sim, 1).map((r) => r.recordID);
      const res = await gql(stack, UNPUBLISH, { recordIds: [a!.slice(0, 10)] });
      expect(res.status).toBe(404);
      expect(stack.sim.callCount('publishRecordings')).toBe(0);
    });

    it('answers CONFLICT (409) for a recording still being processed', async () => {
      const [a] = seedMany(stack.sim, 1, { state: 'processing' }).map((r) => r.recordID);
      const res = await gql(stack, PUBLISH, { recordIds: [a] });
      expect(res.status).toBe(409);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(res.body.errors?.[0]?.message).toMatch(/still being processed \(state PROCESSING\)/);
    });
  });

  describe('deleteRecordings', () => {
    it('deletes: the recording leaves the default list, shows as DELETED when asked for, and a second delete is NOT_FOUND', async () => {
      const [a, b] = seedMany(stack.sim, 2).map((r) => r.recordID);
      await deleteOk(stack, [a!]);
      expect(idsOf(await page(stack, {}))).toEqual([b]);
      expect((await page(stack, { states: ['DELETED'] })).nodes).toEqual([{ recordId: a }]);
      const again = await gql(stack, DELETE, { recordIds: [a] });
      expect(again.status).toBe(404);
      expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(stack.sim.callCount('deleteRecordings')).toBe(1);
    });

    it('answers NOT_FOUND (404) for an unknown recording without deleting the known ones', async () => {
      const [a] = seedMany(stack.sim, 1).map((r) => r.recordID);
      const res = await gql(stack, DELETE, { recordIds: [a, 'gone-already'] });
      expect(res.status).toBe(404);
      expect(stack.sim.callCount('deleteRecordings')).toBe(0);
      expect(idsOf(await page(stack, {}))).toEqual([a]);
    });
  });

  describe('updateRecordingMetadata', () => {
    it('sets and removes keys, keeps the others and the app tag, and returns the metadata as it is now', async () => {
      const [a] = seedMany(stack.sim, 1).map((r) => r.recordID);
      const set = await gql<UpdateRecordingMetadataMutation>(stack, UPDATE, {
        recordIds: [a],
        metadata: [
          { key: 'Topic', value: 'Graphs & trees' },
          { key: 'term', value: '2025-1' },
        ],
      });
      expect(set.body.errors).toBeUndefined();
      const after = Object.fromEntries(
        set.body.data!.updateRecordingMetadata[0]!.metadata.map((m) => [m.key, m.value]),
      );
      // BBB lowercases keys.
      expect(after).toMatchObject({ topic: 'Graphs & trees', term: '2025-1', [APP]: 'lms', meetingName: 'Lecture 1' });
      const sent = stack.sim.received.filter((r) => r.call === 'updateRecordings').at(-1)!.params;
      expect(sent).toMatchObject({ recordID: a, meta_Topic: 'Graphs & trees', meta_term: '2025-1' });

      const removed = await gql<UpdateRecordingMetadataMutation>(stack, UPDATE, {
        recordIds: [a],
        metadata: [{ key: 'topic', value: '' }],
      });
      const keys = removed.body.data!.updateRecordingMetadata[0]!.metadata.map((m) => m.key);
      expect(keys).not.toContain('topic');
      expect(keys).toEqual(expect.arrayContaining(['term', APP]));
    });

    it('answers NOT_FOUND (404) for an unknown recording', async () => {
      const res = await gql(stack, UPDATE, { recordIds: ['nope-1'], metadata: [{ key: 'topic', value: 'x' }] });
      expect(res.status).toBe(404);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(stack.sim.callCount('updateRecordings')).toBe(0);
    });
  });

  it.each([
    ['recordings', RECORDINGS, {}],
    ['publishRecordings', PUBLISH, { recordIds: ['r-1'] }],
    ['deleteRecordings', DELETE, { recordIds: ['r-1'] }],
  ])('%s answers UNAUTHENTICATED (401) without a token, before BBB is called', async (_label, query, variables) => {
    const res = await gql(stack, query, variables, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(stack.sim.received).toHaveLength(0);
  });
});
