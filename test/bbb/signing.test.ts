import { describe, expect, it } from '@jest/globals';
import { checksum, encodeQuery, signQuery } from '../../src/bbb/signing.js';
import type { ChecksumAlgorithm } from '../../src/bbb/types.js';

// The worked example of the BBB docs (API Security Model > Usage), bbb-api.md §1.1.
const DOCS_SECRET = '639259d4-9dd8-4b25-bf01-95f9567eaf4b';
const DOCS_QUERY = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
const DOCS_CREATE_CHECKSUMS: Array<[ChecksumAlgorithm, string]> = [
  ['sha1', '1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17'],
  ['sha256', 'da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e'],
  ['sha384', '891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1'],
  [
    'sha512',
    'de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4',
  ],
];

describe('encodeQuery', () => {
  it('reproduces the query string of the BBB docs example', () => {
    expect(
      encodeQuery([
        ['name', 'Test Meeting'],
        ['meetingID', 'abc123'],
        ['attendeePW', '111222'],
        ['moderatorPW', '333444'],
      ]),
    ).toBe(DOCS_QUERY);
  });

  it.each([
    ['&', '%26'],
    ['=', '%3D'],
    ['%', '%25'],
    ['#', '%23'],
    ['+', '%2B'],
    ["'", '%27'],
    ['(', '%28'],
    [')', '%29'],
    ['*', '%2A'],
    ['!', '%21'],
    [' ', '+'],
    ['/', '%2F'],
    ['?', '%3F'],
    [',', '%2C'],
    ['\n', '%0A'],
  ])('encodes %j as %s', (raw, encoded) => {
    expect(encodeQuery([['v', raw]])).toBe(`v=${encoded}`);
  });

  it("encodes each of the 128 ASCII characters as encodeURIComponent does, with + for a space and !'()* escaped", () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const expected = /[A-Za-z0-9_.~-]/.test(char)
        ? char
        : char === ' '
          ? '+'
          : encodeURIComponent(char).replace(/[!'()*]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      // Alone, amid unreserved characters, and next to a character outside ASCII (the UTF-8 path).
      expect(encodeQuery([['v', char]])).toBe(`v=${expected}`);
      expect(encodeQuery([['v', `a${char}b`]])).toBe(`v=a${expected}b`);
      expect(encodeQuery([['v', `${char}é`]])).toBe(`v=${expected}%C3%A9`);
    }
  });

  it('leaves the unreserved characters A-Z a-z 0-9 - _ . ~ as they are', () => {
    const unreserved = 'ABCXYZabcxyz0189-_.~';
    expect(encodeQuery([['v', unreserved]])).toBe(`v=${unreserved}`);
  });

  it.each([
    ['accents', 'Zoë Ångström-Müller', 'Zo%C3%AB+%C3%85ngstr%C3%B6m-M%C3%BCller'],
    ['CJK', '会议室', '%E4%BC%9A%E8%AE%AE%E5%AE%A4'],
    ['astral emoji', 'hi 😀', 'hi+%F0%9F%98%80'],
    ['combining marks', 'e\u0301', 'e%CC%81'],
    ['a lone surrogate, as U+FFFD', 'a\uD800b', 'a%EF%BF%BDb'],
  ])('encodes %s as UTF-8', (_label, raw, encoded) => {
    expect(encodeQuery([['fullName', raw]])).toBe(`fullName=${encoded}`);
  });

  it("encodes every one of & = % # + ' ( ) * ! in one value so none survives raw", () => {
    const encoded = encodeQuery([['name', "a&b=c%d#e+f'g(h)i*j!k l"]]);
    expect(encoded).toBe('name=a%26b%3Dc%25d%23e%2Bf%27g%28h%29i%2Aj%21k+l');
    expect(encoded.slice('name='.length)).toMatch(/^[A-Za-z0-9\-_.~%+]*$/);
  });

  it('encodes names as well as values', () => {
    expect(encodeQuery([['meta_a b', 'x']])).toBe('meta_a+b=x');
  });

  it('keeps the order of an array and of a record, and skips undefined values', () => {
    expect(
      encodeQuery([
        ['z', '1'],
        ['a', undefined as unknown as string],
        ['m', ''],
      ]),
    ).toBe('z=1&m=');
    expect(encodeQuery({ z: '1', a: undefined, m: '2' })).toBe('z=1&m=2');
  });

  it('gives the empty string for no parameters', () => {
    expect(encodeQuery([])).toBe('');
    expect(encodeQuery({})).toBe('');
  });
});

describe('checksum', () => {
  it.each(DOCS_CREATE_CHECKSUMS)('matches the docs vector for create with %s', (algorithm, expected) => {
    expect(checksum('create', DOCS_QUERY, DOCS_SECRET, algorithm)).toBe(expected);
  });

  it('matches the docs vector for getMeetings with an empty query (sha1)', () => {
    expect(checksum('getMeetings', '', DOCS_SECRET, 'sha1')).toBe('2027baa7771026e9e93392f55031535d1444c41f');
  });

  it('depends on the call name, which is case-sensitive', () => {
    expect(checksum('Create', DOCS_QUERY, DOCS_SECRET, 'sha1')).not.toBe('1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17');
  });
});

describe('signQuery', () => {
  it.each(DOCS_CREATE_CHECKSUMS)(
    'appends the %s checksum of the docs example after the encoded query',
    (algorithm, expected) => {
      const params: Array<[string, string]> = [
        ['name', 'Test Meeting'],
        ['meetingID', 'abc123'],
        ['attendeePW', '111222'],
        ['moderatorPW', '333444'],
      ];
      expect(signQuery('create', params, DOCS_SECRET, algorithm)).toBe(`${DOCS_QUERY}&checksum=${expected}`);
    },
  );

  it('sends only checksum=<hex> when there are no parameters', () => {
    expect(signQuery('getMeetings', [], DOCS_SECRET, 'sha1')).toBe('checksum=2027baa7771026e9e93392f55031535d1444c41f');
    expect(signQuery('getMeetings', {}, DOCS_SECRET, 'sha1')).toBe('checksum=2027baa7771026e9e93392f55031535d1444c41f');
  });

  it('hashes the encoded bytes it returns, not the raw values', () => {
    const signed = signQuery('join', [['fullName', "O'Brien (guest)!"]], DOCS_SECRET, 'sha256');
    const [query, sum] = signed.split('&checksum=') as [string, string];
    expect(query).toBe('fullName=O%27Brien+%28guest%29%21');
    expect(sum).toBe(checksum('join', query, DOCS_SECRET, 'sha256'));
  });

  it("does not modify the caller's params", () => {
    const asArray: Array<[string, string]> = [['meetingID', 'abc']];
    const asRecord: Record<string, string | undefined> = { meetingID: 'abc', skipped: undefined };
    const arrayCopy = structuredClone(asArray);
    const recordCopy = { ...asRecord };
    signQuery('getMeetingInfo', Object.freeze(asArray), DOCS_SECRET, 'sha1');
    signQuery('getMeetingInfo', Object.freeze(asRecord), DOCS_SECRET, 'sha1');
    expect(asArray).toEqual(arrayCopy);
    expect(asRecord).toStrictEqual(recordCopy);
    expect('checksum' in asRecord).toBe(false);
  });
});
