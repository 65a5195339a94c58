import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createBbbClient } from '../../src/bbb/client.js';
import { BbbMisconfiguredError } from '../../src/bbb/errors.js';
import { CHECKSUM_ALGORITHMS, type BbbRole } from '../../src/bbb/types.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

// The simulator verifies checksums with its own code (src/simulator/checksum.ts), never with src/bbb/signing.ts, so a
// signing or encoding bug in the adapter cannot pass here by agreeing with itself.

const NUM_RUNS = 30;

// Characters that break naive encoders or XML handling, mixed into otherwise arbitrary printable graphemes.
const TRICKY = [
  '&',
  '=',
  '%',
  '#',
  '+',
  "'",
  '(',
  ')',
  '*',
  '!',
  ' ',
  '?',
  '/',
  '<',
  '>',
  '"',
  ']]>',
  '%20',
  '+%2B',
  '~',
  ';',
];
const CONTROL = /\p{Cc}/u;

function textOf(utf16Min: number, utf16Max: number, options: { allowComma: boolean }) {
  const unit = fc
    .oneof(
      fc.constantFrom(...TRICKY),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.constantFrom('é', '会', '😀', '👩🏽‍💻', 'ß'),
    )
    .filter((g) => !CONTROL.test(g) && (options.allowComma || !g.includes(',')));
  // BBB counts Java chars (UTF-16 code units), as does String.prototype.length.
  return fc
    .string({ unit, minLength: 1, maxLength: Math.min(utf16Max, 40) })
    .filter((s) => s.length >= utf16Min && s.length <= utf16Max);
}

const name = textOf(2, 256, { allowComma: true });
const meetingID = textOf(2, 256, { allowComma: false });
const password = textOf(2, 64, { allowComma: true });
const role = fc.constantFrom<BbbRole>('MODERATOR', 'VIEWER');

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ secret: 'property-secret-7d1e', algorithms: [...CHECKSUM_ALGORITHMS] });
});

afterAll(async () => {
  await sim.close();
});

describe.each(CHECKSUM_ALGORITHMS)('adapter against the simulator with %s', (algorithm) => {
  it('creates any valid meeting and reads back the same name, ID, passwords and metadata', async () => {
    const bbb = createBbbClient({ baseUrl: sim.url, secret: sim.secret, algorithm, retries: 0 });
    await fc.assert(
      fc.asyncProperty(
        name,
        meetingID,
        password,
        password,
        name,
        async (meetingName, id, attendeePW, moderatorPW, origin) => {
          sim.reset();
          const created = await bbb.create({
            name: meetingName,
            meetingID: id,
            attendeePW,
            moderatorPW,
            meta: { 'bbb-origin': origin },
          });
          expect(created).toMatchObject({ meetingID: id, attendeePW, moderatorPW });
          const info = await bbb.getMeetingInfo(id);
          expect(info).toMatchObject({
            meetingName,
            meetingID: id,
            attendeePW,
            moderatorPW,
            createTime: created.createTime,
          });
          expect(info.metadata['bbb-origin']).toBe(origin);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);

  it('signs join URLs the simulator accepts: a 302 to the client, never to an error page', async () => {
    const bbb = createBbbClient({ baseUrl: sim.url, secret: sim.secret, algorithm, retries: 0 });
    const origin = new URL(sim.url).origin;
    await fc.assert(
      fc.asyncProperty(
        meetingID,
        name,
        role,
        fc.option(name, { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        async (id, fullName, joinRole, userID, guest) => {
          sim.reset();
          const created = await bbb.create({ name: 'Room', meetingID: id });
          const url = bbb.joinUrl({
            meetingID: id,
            fullName,
            role: joinRole,
            createTime: created.createTime,
            userID,
            guest,
          });
          // Fetched as a browser would: the URL exactly as handed out, redirects not followed.
          const response = await fetch(url, { redirect: 'manual' });
          await response.arrayBuffer();
          expect(response.status).toBe(302);
          const location = response.headers.get('location') ?? '';
          expect(location.startsWith(`${origin}/html5client/join?sessionToken=`)).toBe(true);
          expect(location).not.toContain('errors=');
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);

  it('reports a wrong shared secret as BbbMisconfiguredError, whatever the input', async () => {
    const bbb = createBbbClient({ baseUrl: sim.url, secret: `${sim.secret}-wrong`, algorithm, retries: 0 });
    await fc.assert(
      fc.asyncProperty(name, meetingID, password, password, async (meetingName, id, attendeePW, moderatorPW) => {
        await expect(bbb.create({ name: meetingName, meetingID: id, attendeePW, moderatorPW })).rejects.toBeInstanceOf(
          BbbMisconfiguredError,
        );
        await expect(bbb.getMeetingInfo(id)).rejects.toMatchObject({
          code: 'BBB_MISCONFIGURED',
          messageKey: 'checksumError',
        });
      }),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);
});
