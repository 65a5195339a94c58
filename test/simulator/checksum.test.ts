import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isChecksumValid, stripChecksum } from '../../src/simulator/checksum.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { checksum, fetchRaw, outcome, tag } from './support/bbb-http.js';

// The vector from the BBB docs (bbb-api.md §1.1).
const DOC_SECRET = '639259d4-9dd8-4b25-bf01-95f9567eaf4b';
const DOC_QUERY = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
const DOC_VECTORS = {
  sha1: '1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17',
  sha256: 'da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e',
  sha384: '891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1',
  sha512:
    'de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4',
} as const;
const ALL = ['sha1', 'sha256', 'sha384', 'sha512'] as const;

describe('isChecksumValid (unit, docs vectors)', () => {
  it.each(Object.entries(DOC_VECTORS))('accepts the documented %s vector', (_alg, cs) => {
    const policy = { secret: DOC_SECRET, algorithms: ALL, caseSensitive: false };
    expect(isChecksumValid('create', `${DOC_QUERY}&checksum=${cs}`, policy)).toBe(true);
  });

  it('accepts the documented getMeetings vector (empty query)', () => {
    const policy = { secret: DOC_SECRET, algorithms: ALL, caseSensitive: false };
    expect(isChecksumValid('getMeetings', 'checksum=2027baa7771026e9e93392f55031535d1444c41f', policy)).toBe(true);
  });

  it('strips the checksum literally wherever it sits', () => {
    expect(stripChecksum('a=1&checksum=x&b=2', 'x')).toBe('a=1&b=2');
    expect(stripChecksum('checksum=x&a=1', 'x')).toBe('a=1');
    expect(stripChecksum('a=1&checksum=x', 'x')).toBe('a=1');
    expect(stripChecksum('checksum=x', 'x')).toBe('');
  });
});

describe('checksum over HTTP (bbb mode)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ secret: DOC_SECRET });
  });
  afterAll(async () => {
    await sim.close();
  });

  const get = (call: string, rawQuery: string) => fetchRaw(`${sim.url}api/${call}?${rawQuery}`);

  it.each(Object.entries(DOC_VECTORS))('creates with the documented %s checksum', async (_alg, cs) => {
    sim.reset();
    const res = await get('create', `${DOC_QUERY}&checksum=${cs}`);
    expect(res.status).toBe(200);
    expect(outcome(res.body).returncode).toBe('SUCCESS');
    expect(tag(res.body, 'meetingID')).toBe('abc123');
  });

  it('accepts %20 as well as + for a space, as long as the checksum covers the bytes sent', async () => {
    sim.reset();
    const q = 'name=Test%20Meeting&meetingID=pct20';
    const res = await get('create', `${q}&checksum=${checksum('create', q, DOC_SECRET)}`);
    expect(outcome(res.body).returncode).toBe('SUCCESS');
    const info = 'meetingID=pct20';
    const infoRes = await get('getMeetingInfo', `${info}&checksum=${checksum('getMeetingInfo', info, DOC_SECRET)}`);
    expect(tag(infoRes.body, 'meetingName')).toBe('Test Meeting');
  });

  it('rejects a checksum computed over a re-encoded query', async () => {
    const sent = 'name=Test%20Meeting&meetingID=reenc';
    const hashed = 'name=Test+Meeting&meetingID=reenc';
    const res = await get('create', `${sent}&checksum=${checksum('create', hashed, DOC_SECRET)}`);
    expect(outcome(res.body)).toEqual({
      returncode: 'FAILED',
      messageKey: 'checksumError',
      message: 'Checksums do not match',
    });
  });

  it('finds the checksum at the start and in the middle of the query', async () => {
    const q = 'meetingID=abc123';
    const cs = checksum('isMeetingRunning', q, DOC_SECRET);
    expect(outcome((await get('isMeetingRunning', `checksum=${cs}&${q}`)).body).returncode).toBe('SUCCESS');
    const q2 = 'meetingID=abc123&x=1';
    const cs2 = checksum('isMeetingRunning', q2, DOC_SECRET);
    expect(outcome((await get('isMeetingRunning', `meetingID=abc123&checksum=${cs2}&x=1`)).body).returncode).toBe(
      'SUCCESS',
    );
  });

  it('accepts upper-case hex (BBB compares equalsIgnoreCase)', async () => {
    const cs = checksum('getMeetings', '', DOC_SECRET, 'sha256').toUpperCase();
    expect(outcome((await get('getMeetings', `checksum=${cs}`)).body).returncode).toBe('SUCCESS');
  });

  it('rejects two checksum parameters even when both are right', async () => {
    const cs = checksum('getMeetings', '', DOC_SECRET);
    const res = await get('getMeetings', `checksum=${cs}&checksum=${cs}`);
    expect(outcome(res.body).messageKey).toBe('checksumError');
  });

  it('rejects a missing checksum, a wrong secret and a hex length that is no algorithm', async () => {
    for (const q of ['', `checksum=${checksum('getMeetings', '', 'wrong')}`, 'checksum=abcdef']) {
      const res = await get('getMeetings', q);
      expect(res.status).toBe(200);
      expect(outcome(res.body).messageKey).toBe('checksumError');
      expect(res.body).not.toContain(DOC_SECRET);
    }
  });

  it('answers checksumError with the legacy wording on the recording endpoints', async () => {
    const res = await get('getRecordings', 'checksum=0000000000000000000000000000000000000000');
    expect(outcome(res.body)).toEqual({
      returncode: 'FAILED',
      messageKey: 'checksumError',
      message: 'You did not pass the checksum security check',
    });
  });

  it('checks only the URL query of a POST, whose form body is not covered', async () => {
    sim.reset();
    const res = await fetchRaw(`${sim.url}api/create?checksum=${checksum('create', '', DOC_SECRET)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Posted+Room&meetingID=posted',
    });
    expect(outcome(res.body).returncode).toBe('SUCCESS');
    expect(tag(res.body, 'meetingID')).toBe('posted');
  });

  it('rejects a POST that carries a parameter both in the URL and in the body', async () => {
    const q = 'meetingID=posted';
    const res = await fetchRaw(
      `${sim.url}api/getMeetingInfo?${q}&checksum=${checksum('getMeetingInfo', q, DOC_SECRET)}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'meetingID=other',
      },
    );
    expect(outcome(res.body).messageKey).toBe('checksumError');
  });

  it('property: any mix of encodings, orders and checksum positions is accepted when hashed as sent', async () => {
    const word = fc.string({ minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'meetingID', 'x-y'), word), { maxLength: 5 }),
        fc.boolean(),
        fc.nat(),
        fc.constantFrom(...ALL),
        async (pairs, plusForSpace, position, algorithm) => {
          const enc = (s: string) => {
            // fetch re-encodes a literal ' in a query (WHATWG URL), so encode it and its siblings first, as §1.5 advises.
            const e = encodeURIComponent(s).replace(
              /[!'()*]/g,
              (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
            );
            return plusForSpace ? e.replace(/%20/g, '+') : e;
          };
          const parts = pairs.map(([k, v]) => `${k}=${enc(v)}`);
          const query = parts.join('&');
          const cs = checksum('isMeetingRunning', query, DOC_SECRET, algorithm);
          const at = parts.length ? position % (parts.length + 1) : 0;
          const withChecksum = [...parts.slice(0, at), `checksum=${cs}`, ...parts.slice(at)].join('&');
          const res = await get('isMeetingRunning', withChecksum);
          return tag(res.body, 'messageKey') !== 'checksumError';
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('checksum algorithm allow-list', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ algorithms: ['sha512'] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('rejects sha1 when only sha512 is allowed, and accepts sha512', async () => {
    const sha1 = await fetchRaw(`${sim.url}api/getMeetings?checksum=${checksum('getMeetings', '', sim.secret)}`);
    expect(outcome(sha1.body).messageKey).toBe('checksumError');
    const sha512 = await fetchRaw(
      `${sim.url}api/getMeetings?checksum=${checksum('getMeetings', '', sim.secret, 'sha512')}`,
    );
    expect(outcome(sha512.body).returncode).toBe('SUCCESS');
  });
});
