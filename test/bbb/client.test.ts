import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBbbClient } from '../../src/bbb/client.js';
import {
  BbbError,
  BbbMisconfiguredError,
  BbbNotFoundError,
  BbbProtocolError,
  BbbUnavailableError,
} from '../../src/bbb/errors.js';
import type { BbbCallEvent, BbbClient, BbbClientOptions, ChecksumAlgorithm } from '../../src/bbb/types.js';
import { closedPort, startLocalServer, xml, type LocalServer } from './local-server.js';

const SECRET = 'test-secret-3f1c9a77';

const OK = '<response><returncode>SUCCESS</returncode></response>';
const MEETING_INFO =
  '<response><returncode>SUCCESS</returncode><meetingName>Room</meetingName><meetingID>m-1</meetingID>' +
  '<internalMeetingID>abc-1</internalMeetingID><createTime>1700000000000</createTime><running>false</running></response>';
const CREATED =
  '<response><returncode>SUCCESS</returncode><meetingID>m-1</meetingID><internalMeetingID>abc-1</internalMeetingID>' +
  '<parentMeetingID>bbb-none</parentMeetingID><attendeePW>ap</attendeePW><moderatorPW>mp</moderatorPW>' +
  '<createTime>1700000000000</createTime><voiceBridge>70757</voiceBridge><dialNumber>613-555-1234</dialNumber>' +
  '<createDate>Tue Nov 14 22:13:20 UTC 2023</createDate><hasUserJoined>false</hasUserJoined><duration>0</duration>' +
  '<hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey></messageKey><message></message></response>';
const CHECKSUM_ERROR =
  '<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey><message>Checksums do not match</message></response>';
const NOT_FOUND =
  '<response><returncode>FAILED</returncode><messageKey>notFound</messageKey><message>A meeting with that ID does not exist</message></response>';
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/** BBB's own check, written out independently of src/bbb/signing.ts: cut `&checksum=<hex>` off the raw query and hash. */
function expectValidChecksum(target: string, call: string, algorithm: ChecksumAlgorithm = 'sha256'): string {
  const query = target.slice(target.indexOf('?') + 1);
  const match = /^(?:(.*)&)?checksum=([0-9a-f]+)$/.exec(query);
  expect(match).not.toBeNull();
  const [, signed = '', sum] = match as RegExpExecArray;
  expect(sum).toBe(
    createHash(algorithm)
      .update(call + signed + SECRET)
      .digest('hex'),
  );
  return signed;
}

async function failureOf(promise: Promise<unknown>): Promise<BbbError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BbbError);
    return err as BbbError;
  }
  throw new Error('expected the call to fail');
}

let server: LocalServer;
let refusedBaseUrl: string;

beforeAll(async () => {
  server = await startLocalServer();
  refusedBaseUrl = `http://127.0.0.1:${await closedPort()}/bigbluebutton/`;
});

afterAll(async () => {
  await server.close();
});

function client(options: Partial<BbbClientOptions> = {}): BbbClient {
  return createBbbClient({ baseUrl: server.baseUrl, secret: SECRET, timeoutMs: 2000, retries: 0, ...options });
}

describe('createBbbClient: what goes on the wire', () => {
  it('sends the signed create query byte for byte, without re-encoding by got', async () => {
    server.reset((_req, res) => xml(res, CREATED));
    const result = await client().create({
      name: "a&b=c%d#e+f'g(h)i*j!k l Zoë 会议 😀",
      meetingID: 'id with spaces/&?',
      attendeePW: "a'p",
      moderatorPW: 'm(p)',
      maxParticipants: 5,
      logoutURL: 'https://x.test/bye?x=1&y=2',
      record: true,
      welcome: 'Hi *all*!',
      meta: { 'bbb-origin': 'gw', endCallbackUrl: 'https://cb.test/?a=1' },
    });
    const query =
      'name=a%26b%3Dc%25d%23e%2Bf%27g%28h%29i%2Aj%21k+l+Zo%C3%AB+%E4%BC%9A%E8%AE%AE+%F0%9F%98%80' +
      '&meetingID=id+with+spaces%2F%26%3F&attendeePW=a%27p&moderatorPW=m%28p%29&maxParticipants=5' +
      '&logoutURL=https%3A%2F%2Fx.test%2Fbye%3Fx%3D1%26y%3D2&record=true&welcome=Hi+%2Aall%2A%21' +
      '&meta_bbb-origin=gw&meta_endCallbackUrl=https%3A%2F%2Fcb.test%2F%3Fa%3D1';
    const sum = createHash('sha256').update(`create${query}${SECRET}`).digest('hex');
    expect(server.requests).toEqual([{ method: 'GET', url: `/bigbluebutton/api/create?${query}&checksum=${sum}` }]);
    expect(result).toMatchObject({ meetingID: 'm-1', createTime: '1700000000000', attendeePW: 'ap' });
    expect(result).not.toHaveProperty('messageKey');
  });

  it('leaves optional create parameters out when they are not given', async () => {
    server.reset((_req, res) => xml(res, CREATED));
    await client().create({ name: 'Room', meetingID: 'm-1' });
    expect(expectValidChecksum(server.requests[0]?.url ?? '', 'create')).toBe('name=Room&meetingID=m-1');
  });

  it('refuses metadata keys BBB would silently drop', async () => {
    await expect(client().create({ name: 'Room', meetingID: 'm-1', meta: { bad_key: 'x' } })).rejects.toThrow(
      RangeError,
    );
  });

  it.each([
    ['sha1', 40],
    ['sha256', 64],
    ['sha384', 96],
    ['sha512', 128],
  ] as const)('signs with %s when configured (a %i-digit checksum)', async (algorithm, length) => {
    server.reset((_req, res) => xml(res, MEETING_INFO));
    await client({ algorithm }).getMeetingInfo('m-1');
    const url = server.requests[0]?.url ?? '';
    expect(url).toMatch(new RegExp(`&checksum=[0-9a-f]{${length}}$`));
    expect(expectValidChecksum(url, 'getMeetingInfo', algorithm)).toBe('meetingID=m-1');
  });

  it('defaults to sha256 and trims whitespace copied around the secret', async () => {
    server.reset((_req, res) => xml(res, MEETING_INFO));
    await createBbbClient({ baseUrl: server.baseUrl, secret: `  ${SECRET}\n` }).getMeetingInfo('m-1');
    expectValidChecksum(server.requests[0]?.url ?? '', 'getMeetingInfo', 'sha256');
  });

  it.each([
    ['isMeetingRunning', (c: BbbClient) => c.isMeetingRunning('m 1'), '<running>true</running>', 'meetingID=m+1', true],
    [
      'end',
      (c: BbbClient) => c.end('m-1'),
      '<messageKey>sentEndMeetingRequest</messageKey>',
      'meetingID=m-1',
      undefined,
    ],
    ['getMeetings', (c: BbbClient) => c.getMeetings(), '<meetings/><messageKey>noMeetings</messageKey>', '', []],
    [
      'getRecordings',
      (c: BbbClient) => c.getRecordings(),
      '<recordings></recordings><messageKey>noRecordings</messageKey>',
      '',
      [],
    ],
    [
      'getRecordings',
      (c: BbbClient) =>
        c.getRecordings({
          meetingID: ['a', 'b'],
          recordID: ['r1'],
          state: ['published', 'unpublished'],
          meta: { 'gl-listed': 'true' },
          offset: 10,
          limit: 5,
        }),
      '<recordings/>',
      'meetingID=a%2Cb&recordID=r1&state=published%2Cunpublished&meta_gl-listed=true&offset=10&limit=5',
      [],
    ],
    [
      'publishRecordings',
      (c: BbbClient) => c.publishRecordings(['r1', 'r2'], false),
      '<published>false</published>',
      'recordID=r1%2Cr2&publish=false',
      false,
    ],
    ['deleteRecordings', (c: BbbClient) => c.deleteRecordings(['r1']), '<deleted>true</deleted>', 'recordID=r1', true],
    [
      'updateRecordings',
      (c: BbbClient) => c.updateRecordings(['r1'], { name: 'New name', old: '' }),
      '<updated>true</updated>',
      'recordID=r1&meta_name=New+name&meta_old=',
      true,
    ],
  ])('%s sends GET %s with a valid checksum and maps the answer', async (call, run, inner, query, expected) => {
    server.reset((_req, res) => xml(res, `<response><returncode>SUCCESS</returncode>${inner}</response>`));
    await expect(run(client())).resolves.toEqual(expected);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.url.startsWith(`/bigbluebutton/api/${call}?`)).toBe(true);
    expect(expectValidChecksum(server.requests[0]?.url ?? '', call)).toBe(query);
  });

  it('asks the API root for apiVersion, without a checksum', async () => {
    server.reset((_req, res) =>
      xml(
        res,
        '<response><returncode>SUCCESS</returncode><version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion/></response>',
      ),
    );
    await expect(client().apiVersion()).resolves.toEqual({ version: '2.0', apiVersion: '2.0' });
    expect(server.requests).toEqual([{ method: 'GET', url: '/bigbluebutton/api' }]);
  });

  it('reaches the same path when the base URL carries an extra api/ and double slashes', async () => {
    server.reset((_req, res) => xml(res, MEETING_INFO));
    await client({ baseUrl: `${server.origin}//bigbluebutton//api//` }).getMeetingInfo('m-1');
    expect(server.requests[0]?.url.startsWith('/bigbluebutton/api/getMeetingInfo?meetingID=m-1&checksum=')).toBe(true);
  });
});

describe('joinUrl', () => {
  it('signs every parameter in the documented order, without an HTTP call', () => {
    server.reset(() => {
      throw new Error('joinUrl must not call BBB');
    });
    const url = client().joinUrl({
      meetingID: 'm 1',
      fullName: "Zoë O'Neil (guest)",
      role: 'VIEWER',
      createTime: '1700000000000',
      userID: 'u-7',
      avatarURL: 'https://x.test/a.png',
      guest: true,
      password: 'ap',
      redirect: false,
    });
    const query =
      'fullName=Zo%C3%AB+O%27Neil+%28guest%29&meetingID=m+1&role=VIEWER&createTime=1700000000000&userID=u-7' +
      '&avatarURL=https%3A%2F%2Fx.test%2Fa.png&guest=true&password=ap&redirect=false';
    expect(url.startsWith(`${server.baseUrl}api/join?${query}&checksum=`)).toBe(true);
    expect(expectValidChecksum(url, 'join')).toBe(query);
    expect(server.requests).toHaveLength(0);
  });

  it('sends guest only when true and password and redirect only when given', () => {
    const url = client().joinUrl({ meetingID: 'm-1', fullName: 'Ann', role: 'MODERATOR', guest: false });
    expect(expectValidChecksum(url, 'join')).toBe('fullName=Ann&meetingID=m-1&role=MODERATOR');
  });
});

describe('createBbbClient: failures', () => {
  it('maps an nginx HTML 502 page to BbbProtocolError with the status', async () => {
    server.reset((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(NGINX_502);
    });
    const err = await failureOf(client().getMeetingInfo('m-1'));
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect(err).toMatchObject({ code: 'BBB_PROTOCOL', call: 'getMeetingInfo', statusCode: 502 });
    expect(err.message).toBe(
      `BigBlueButton at ${server.origin} answered getMeetingInfo with HTTP 502 instead of an API response.`,
    );
  });

  it.each([
    ['an empty 200', '', 'an empty body'],
    ['a garbage 200', 'Bad things happened\n', 'a body that is not well-formed XML'],
    [
      'an HTML 200 (a captive portal or wrong vhost)',
      '<!DOCTYPE html><html><body>Welcome to nginx!</body></html>',
      'an HTML page instead of an XML API response',
    ],
  ])('maps %s to BbbProtocolError', async (_label, body, what) => {
    server.reset((_req, res) => xml(res, body));
    const err = await failureOf(client().getMeetings());
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect(err).toMatchObject({ statusCode: 200 });
    expect(err.message).toBe(`BigBlueButton at ${server.origin} answered getMeetings with ${what} (HTTP 200).`);
  });

  it('maps 200 + FAILED checksumError to BbbMisconfiguredError', async () => {
    server.reset((_req, res) => xml(res, CHECKSUM_ERROR));
    const err = await failureOf(client().getMeetingInfo('m-1'));
    expect(err).toBeInstanceOf(BbbMisconfiguredError);
    expect(err).toMatchObject({
      code: 'BBB_MISCONFIGURED',
      messageKey: 'checksumError',
      bbbMessage: 'Checksums do not match',
    });
  });

  it('maps 200 + FAILED notFound to BbbNotFoundError for getMeetingInfo and end', async () => {
    server.reset((_req, res) => xml(res, NOT_FOUND));
    expect(await failureOf(client().getMeetingInfo('gone'))).toBeInstanceOf(BbbNotFoundError);
    expect(await failureOf(client().end('gone'))).toBeInstanceOf(BbbNotFoundError);
  });

  it('does not follow a redirect, which would hide a wrong base URL', async () => {
    server.reset((_req, res) => {
      res.writeHead(301, { location: 'https://elsewhere.test/bigbluebutton/api/getMeetings' });
      res.end();
    });
    const err = await failureOf(client().getMeetings());
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect(err).toMatchObject({ statusCode: 301 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a server that answers later than timeoutMs to BbbUnavailableError(timedOut), without retrying', async () => {
    // The server never answers (no wall-clock bound needed): only the client's own timeout can end the call.
    let abandoned!: Promise<string>;
    server.reset((_req, res) => {
      abandoned = new Promise((resolve) =>
        res.on('close', () => resolve(res.writableEnded ? 'answered' : 'abandoned')),
      );
    });
    const err = await failureOf(client({ timeoutMs: 200, retries: 2 }).getMeetingInfo('m-1'));
    expect(err).toBeInstanceOf(BbbUnavailableError);
    expect(err).toMatchObject({ code: 'BBB_UNAVAILABLE', timedOut: true, call: 'getMeetingInfo' });
    expect(err.message).toBe(`BigBlueButton at ${server.origin} did not answer getMeetingInfo within 200 ms.`);
    // The client closed the connection it gave up on, and did not try again.
    expect(await abandoned).toBe('abandoned');
    expect(server.requests).toHaveLength(1);
  });

  it('maps a refused connection to BbbUnavailableError(timedOut=false)', async () => {
    const err = await failureOf(client({ baseUrl: refusedBaseUrl }).isMeetingRunning('m-1'));
    expect(err).toBeInstanceOf(BbbUnavailableError);
    expect(err).toMatchObject({ timedOut: false, call: 'isMeetingRunning' });
    expect(err.message).toBe(
      `BigBlueButton at ${new URL(refusedBaseUrl).origin} could not be reached for isMeetingRunning (ECONNREFUSED).`,
    );
    expect(err.cause).toEqual({ name: 'RequestError', code: 'ECONNREFUSED' });
  });
});

describe('createBbbClient: retries', () => {
  it.each([502, 503, 504])('retries getMeetingInfo on HTTP %i up to `retries` times', async (status) => {
    server.reset((_req, res) => xml(res, 'busy', status));
    const err = await failureOf(client({ retries: 2 }).getMeetingInfo('m-1'));
    expect(err).toMatchObject({ code: 'BBB_PROTOCOL', statusCode: status });
    expect(server.requests).toHaveLength(3);
    // Every attempt carries the same signed URL.
    expect(new Set(server.requests.map((r) => r.url)).size).toBe(1);
  });

  it('returns the answer of a retry that succeeds', async () => {
    server.reset((_req, res, attempt) => (attempt < 3 ? xml(res, 'busy', 503) : xml(res, MEETING_INFO)));
    await expect(client({ retries: 2 }).getMeetingInfo('m-1')).resolves.toMatchObject({ meetingID: 'm-1' });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a read after the connection was reset', async () => {
    server.reset((req, res, attempt) => (attempt === 1 ? req.socket.destroy() : xml(res, MEETING_INFO)));
    await expect(client({ retries: 2 }).getMeetingInfo('m-1')).resolves.toMatchObject({ meetingID: 'm-1' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry on HTTP 500, which BBB does not send for a transient state', async () => {
    server.reset((_req, res) => xml(res, 'oops', 500));
    expect(await failureOf(client({ retries: 2 }).getMeetingInfo('m-1'))).toMatchObject({ statusCode: 500 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['end', (c: BbbClient) => c.end('m-1')],
    ['deleteRecordings', (c: BbbClient) => c.deleteRecordings(['r1'])],
    ['create without passwords', (c: BbbClient) => c.create({ name: 'Room', meetingID: 'm-1' })],
    [
      'create with only one password',
      (c: BbbClient) => c.create({ name: 'Room', meetingID: 'm-1', moderatorPW: 'mp' }),
    ],
  ])('does not retry %s, whose repeat is not safe', async (_label, run) => {
    server.reset((_req, res) => xml(res, 'busy', 503));
    expect(await failureOf(run(client({ retries: 2 })))).toMatchObject({ statusCode: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [
      'create with both passwords',
      (c: BbbClient) => c.create({ name: 'Room', meetingID: 'm-1', attendeePW: 'ap', moderatorPW: 'mp' }),
      CREATED,
    ],
    [
      'publishRecordings',
      (c: BbbClient) => c.publishRecordings(['r1'], true),
      '<response><returncode>SUCCESS</returncode><published>true</published></response>',
    ],
    [
      'updateRecordings',
      (c: BbbClient) => c.updateRecordings(['r1'], { a: 'b' }),
      '<response><returncode>SUCCESS</returncode><updated>true</updated></response>',
    ],
    [
      'apiVersion',
      (c: BbbClient) => c.apiVersion(),
      '<response><returncode>SUCCESS</returncode><version>2.0</version></response>',
    ],
  ])('retries %s, whose repeat is safe', async (_label, run, answer) => {
    server.reset((_req, res, attempt) => (attempt === 1 ? xml(res, 'busy', 503) : xml(res, answer)));
    await run(client({ retries: 2 }));
    expect(server.requests).toHaveLength(2);
  });

  it('sends a retryable call once when retries is 0', async () => {
    server.reset((_req, res) => xml(res, 'busy', 503));
    await failureOf(client({ retries: 0 }).getMeetings());
    expect(server.requests).toHaveLength(1);
  });
});

describe('errors never reveal the secret or a checksum', () => {
  const scenarios: Array<[string, () => Promise<unknown>]> = [
    ['HTTP 502 HTML', () => (server.reset((_q, res) => xml(res, NGINX_502, 502)), client().getMeetingInfo('m-1'))],
    ['empty body', () => (server.reset((_q, res) => xml(res, '')), client().getMeetingInfo('m-1'))],
    ['garbage body', () => (server.reset((_q, res) => xml(res, '%%%')), client().getMeetingInfo('m-1'))],
    ['checksumError', () => (server.reset((_q, res) => xml(res, CHECKSUM_ERROR)), client().getMeetingInfo('m-1'))],
    ['notFound', () => (server.reset((_q, res) => xml(res, NOT_FOUND)), client().end('m-1'))],
    [
      'redirect',
      () => (server.reset((_q, res) => (res.writeHead(302, { location: '/x' }), res.end())), client().getMeetings()),
    ],
    [
      'timeout',
      () => (
        server.reset((_q, res) => {
          const timer = setTimeout(() => xml(res, OK), 3000);
          res.on('close', () => clearTimeout(timer));
        }),
        client({ timeoutMs: 100 }).getMeetingInfo('m-1')
      ),
    ],
    ['connection refused', () => client({ baseUrl: refusedBaseUrl }).getMeetingInfo('m-1')],
    ['connection reset', () => (server.reset((req) => req.socket.destroy()), client().getMeetingInfo('m-1'))],
  ];

  it.each(scenarios)('%s', async (_label, run) => {
    const err = await failureOf(run());
    const renderings = [String(err), err.message, JSON.stringify(err), inspect(err, { depth: 10 }), String(err.stack)];
    for (const text of renderings) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('checksum=');
      expect(text).not.toMatch(/[0-9a-f]{64}/);
      expect(text).not.toContain('meetingID=');
    }
    expect(err.message).toMatch(/^BigBlueButton .+\.$/);
  });
});

describe('onCall', () => {
  function observed(options: Partial<BbbClientOptions> = {}): { bbb: BbbClient; events: BbbCallEvent[] } {
    const events: BbbCallEvent[] = [];
    return { bbb: client({ ...options, onCall: (e) => events.push(e) }), events };
  }

  it('reports success with the SUCCESS messageKey, once per call even when retried', async () => {
    server.reset((_req, res, attempt) =>
      attempt === 1
        ? xml(res, 'busy', 503)
        : xml(
            res,
            '<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey></response>',
          ),
    );
    const { bbb, events } = observed({ retries: 1 });
    await bbb.getMeetings();
    expect(events).toEqual([
      { call: 'getMeetings', durationMs: expect.any(Number), outcome: 'success', messageKey: 'noMeetings' },
    ]);
    expect(events[0]?.durationMs).toBeGreaterThan(0);
  });

  it.each([
    ['failed', (_q: unknown, res: Parameters<typeof xml>[0]) => xml(res, CHECKSUM_ERROR), 'checksumError'],
    ['protocol', (_q: unknown, res: Parameters<typeof xml>[0]) => xml(res, NGINX_502, 502), undefined],
  ] as const)('reports %s outcomes', async (outcome, handler, messageKey) => {
    server.reset(handler);
    const { bbb, events } = observed();
    await failureOf(bbb.isMeetingRunning('m-1'));
    expect(events).toEqual([
      { call: 'isMeetingRunning', durationMs: expect.any(Number), outcome, ...(messageKey ? { messageKey } : {}) },
    ]);
  });

  it('reports unavailable outcomes', async () => {
    const { bbb, events } = observed({ baseUrl: refusedBaseUrl });
    await failureOf(bbb.getMeetings());
    expect(events.map((e) => e.outcome)).toEqual(['unavailable']);
  });

  it('keeps the answer when the observer throws', async () => {
    server.reset((_req, res) => xml(res, MEETING_INFO));
    const bbb = client({
      onCall: () => {
        throw new Error('metrics backend down');
      },
    });
    await expect(bbb.getMeetingInfo('m-1')).resolves.toMatchObject({ meetingID: 'm-1' });
  });
});

describe('createBbbClient options', () => {
  it('reports every invalid option at once, without echoing the secret', () => {
    let message = '';
    try {
      createBbbClient({
        baseUrl: 'ftp://bbb.example.org/',
        secret: '  ',
        algorithm: 'md5' as ChecksumAlgorithm,
        timeoutMs: 0,
        retries: -1,
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/must use http or https/);
    expect(message).toMatch(/shared secret is empty/);
    expect(message).toMatch(/sha1, sha256, sha384, sha512/);
    expect(message).toMatch(/timeoutMs/);
    expect(message).toMatch(/retries/);
  });

  it('does not put the secret into a configuration error', () => {
    expect(() => createBbbClient({ baseUrl: 'nope', secret: SECRET })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(SECRET) }),
    );
  });
});
