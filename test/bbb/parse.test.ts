import { describe, expect, it } from '@jest/globals';
import { BbbFailedError, BbbMisconfiguredError, BbbNotFoundError, BbbProtocolError } from '../../src/bbb/errors.js';
import { parseResponse } from '../../src/bbb/parse.js';
import {
  parseApiVersion,
  parseCreateMeeting,
  parseIsMeetingRunning,
  parseMeetingInfo,
  parseMeetings,
  parseRecordings,
  parseRecordingsFlag,
} from './parse-helpers.js';

function thrown(parse: () => unknown): unknown {
  try {
    parse();
  } catch (err) {
    return err;
  }
  throw new Error('expected the parser to throw');
}

/** A getMeetingInfo answer with BBB's element order; `extra` is inserted before </response>. */
function meetingInfo(extra = '', overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    meetingName: 'Room',
    meetingID: '0123',
    internalMeetingID: 'a0715c95000a2bcb90604ecc7097dbc94592c690-1715261728123',
    createTime: '1715261728123',
    createDate: 'Thu May 09 13:35:28 UTC 2024',
    voiceBridge: '06052',
    dialNumber: '613-555-1234',
    attendeePW: '0001',
    moderatorPW: '1e5',
    running: 'true',
    duration: '0',
    hasUserJoined: 'true',
    recording: 'false',
    hasBeenForciblyEnded: 'false',
    startTime: '1715261728142',
    endTime: '0',
    participantCount: '1',
    listenerCount: '0',
    voiceParticipantCount: '1',
    videoCount: '1',
    maxUsers: '0',
    moderatorCount: '1',
    isBreakout: 'false',
    ...overrides,
  };
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<response><returncode>SUCCESS</returncode>${body}${extra}</response>`;
}

const ATTENDEE =
  '<attendee><userID>007</userID><fullName>Ann</fullName><role>moderator</role><isPresenter>TRUE</isPresenter>' +
  '<isListeningOnly>false</isListeningOnly><hasJoinedVoice>true</hasJoinedVoice><hasVideo>false</hasVideo>' +
  '<clientType>HTML5</clientType><customdata><bbb_default_layout>SMART_LAYOUT</bbb_default_layout></customdata></attendee>';

describe('parseMeetingInfo', () => {
  it('keeps identifiers, passwords and times as strings, leading zeros and exponent-like text included', () => {
    const info = parseMeetingInfo(meetingInfo());
    expect(info).toMatchObject({
      meetingID: '0123',
      voiceBridge: '06052',
      attendeePW: '0001',
      moderatorPW: '1e5',
      createTime: '1715261728123',
      endTime: '0',
    });
  });

  it('converts flags and counts', () => {
    const info = parseMeetingInfo(meetingInfo());
    expect(info).toMatchObject({
      running: true,
      recording: false,
      hasUserJoined: true,
      participantCount: 1,
      maxUsers: 0,
    });
  });

  it('reads counts printed with a grouping comma, as BBB 2.5/2.6 did (#17688)', () => {
    const info = parseMeetingInfo(meetingInfo('', { maxUsers: '1,000', participantCount: '12,345' }));
    expect([info.maxUsers, info.participantCount]).toEqual([1000, 12345]);
  });

  it('refuses a count that is not a number as a protocol error naming the element', () => {
    const err = thrown(() => parseMeetingInfo(meetingInfo('', { videoCount: 'many' })));
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect((err as Error).message).toBe(
      'BigBlueButton answered getMeetingInfo with a <videoCount> that is not a number.',
    );
  });

  it('gives an array of one for a single attendee, with role, flags and customdata mapped', () => {
    const info = parseMeetingInfo(meetingInfo(`<attendees>${ATTENDEE}</attendees>`));
    expect(info.attendees).toEqual([
      {
        userID: '007',
        fullName: 'Ann',
        role: 'MODERATOR',
        isPresenter: true,
        isListeningOnly: false,
        hasJoinedVoice: true,
        hasVideo: false,
        clientType: 'HTML5',
        customdata: { bbb_default_layout: 'SMART_LAYOUT' },
      },
    ]);
  });

  it('gives empty collections for <attendees/>, <metadata/> and missing elements', () => {
    expect(parseMeetingInfo(meetingInfo('<attendees/><metadata/>'))).toMatchObject({ attendees: [], metadata: {} });
    expect(parseMeetingInfo(meetingInfo())).toMatchObject({ attendees: [], metadata: {} });
  });

  it('keeps metadata keys as BBB returns them, including names of Object.prototype members, without pollution', () => {
    const info = parseMeetingInfo(
      meetingInfo(
        '<metadata><endcallbackurl>https://x.test/end?a=1&amp;b=2</endcallbackurl><bbb-origin>greenlight</bbb-origin>' +
          '<constructor>c</constructor><toString>t</toString><__proto__>p</__proto__><hasOwnProperty>h</hasOwnProperty></metadata>',
      ),
    );
    expect(info.metadata).toEqual({
      endcallbackurl: 'https://x.test/end?a=1&b=2',
      'bbb-origin': 'greenlight',
      constructor: 'c',
      toString: 't',
      // A computed key defines an own property; a literal `__proto__:` would set the prototype instead.
      ['__proto__']: 'p',
      hasOwnProperty: 'h',
    });
    expect(Object.getPrototypeOf(info.metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(info.metadata, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });

  it('handles the XML declaration and CDATA that Scalelite sends', () => {
    const body = `<?xml version="1.0"?>\n${meetingInfo(
      '<metadata><gl-listed><![CDATA[]]></gl-listed><note><![CDATA[a <b> & c]]></note></metadata>',
      {
        meetingName: '<![CDATA[Fish & Chips <3>]]>',
      },
    )}`;
    const info = parseMeetingInfo(body);
    expect(info.meetingName).toBe('Fish & Chips <3>');
    expect(info.metadata).toEqual({ 'gl-listed': '', note: 'a <b> & c' });
  });

  it('keeps surrounding whitespace and non-ASCII text in names', () => {
    const info = parseMeetingInfo(meetingInfo('', { meetingName: '  Café 会议 😀  ' }));
    expect(info.meetingName).toBe('  Café 会议 😀  ');
  });

  it('reads BBB 2.4.0 validationError "does not exist" as not found (#13369)', () => {
    const body =
      '<response><returncode>FAILED</returncode><messageKey>validationError</messageKey>' +
      '<message>Invalid meeting ID: A meeting with that ID does not exist</message></response>';
    const err = thrown(() => parseMeetingInfo(body));
    expect(err).toBeInstanceOf(BbbNotFoundError);
    expect(err).toMatchObject({ code: 'BBB_NOT_FOUND', call: 'getMeetingInfo', messageKey: 'validationError' });
  });
});

describe('parseResponse errors', () => {
  it.each([
    ['notFound', 'A meeting with that ID does not exist', BbbNotFoundError, 'BBB_NOT_FOUND'],
    ['invalidMeetingIdentifier', 'A meeting with that ID does not exist', BbbNotFoundError, 'BBB_NOT_FOUND'],
    ['meetingNotFound', 'Could not find meeting with id: m-1', BbbNotFoundError, 'BBB_NOT_FOUND'],
    ['checksumError', 'Checksums do not match', BbbMisconfiguredError, 'BBB_MISCONFIGURED'],
    ['checksumError', 'You did not pass the checksum security check', BbbMisconfiguredError, 'BBB_MISCONFIGURED'],
    ['validationError', "Meeting ID cannot contain ','", BbbFailedError, 'BBB_FAILED'],
    [
      'idNotUnique',
      'A meeting already exists with that meeting ID.  Please use a different meeting ID.',
      BbbFailedError,
      'BBB_FAILED',
    ],
    ['Params required', 'You must enter a valid password', BbbFailedError, 'BBB_FAILED'],
  ])('maps FAILED %s (%s) to %p', (messageKey, message, type, code) => {
    const body = `<response><returncode>FAILED</returncode><messageKey>${messageKey}</messageKey><message>${message.replace(/'/g, '&apos;')}</message></response>`;
    const err = thrown(() => parseResponse(body, { call: 'create' }));
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ code, messageKey, bbbMessage: message, call: 'create' });
    if (type === BbbFailedError) expect(err).not.toBeInstanceOf(BbbNotFoundError);
  });

  it('reads the <errors><error><key/><message/></error></errors> format (nonUniqueVoiceBridge)', () => {
    const body =
      '<response><returncode>FAILED</returncode><errors><error><key>nonUniqueVoiceBridge</key>' +
      '<message>The selected voice bridge is already in use.</message></error></errors></response>';
    const err = thrown(() => parseResponse(body, { call: 'create' }));
    expect(err).toBeInstanceOf(BbbFailedError);
    expect(err).toMatchObject({
      messageKey: 'nonUniqueVoiceBridge',
      bbbMessage: 'The selected voice bridge is already in use.',
    });
  });

  it('reads the attribute form <error key="…" message="…"/> and reports the first of several errors', () => {
    const body =
      '<response><returncode>FAILED</returncode><errors><error key="checksumError" message="Checksums do not match"/>' +
      '<error key="other" message="x"/></errors></response>';
    const err = thrown(() => parseResponse(body, { call: 'getMeetings' }));
    expect(err).toBeInstanceOf(BbbMisconfiguredError);
    expect(err).toMatchObject({ messageKey: 'checksumError', bbbMessage: 'Checksums do not match' });
  });

  it('treats the old FAILURE returncode of recording calls like FAILED (#11564)', () => {
    const body =
      '<response><returncode>FAILURE</returncode><messageKey>notFound</messageKey><message>We could not find recordings</message></response>';
    expect(thrown(() => parseRecordingsFlag(body, 'deleted', { call: 'deleteRecordings' }))).toBeInstanceOf(
      BbbNotFoundError,
    );
  });

  it('reports a FAILED without any key as unknownError rather than inventing a meaning', () => {
    const err = thrown(() => parseResponse('<response><returncode>FAILED</returncode></response>', { call: 'end' }));
    expect(err).toBeInstanceOf(BbbFailedError);
    expect(err).toMatchObject({ messageKey: 'unknownError', bbbMessage: '' });
  });

  it.each([
    ['an empty body', '', 'an empty body'],
    ['a whitespace body', ' \r\n ', 'an empty body'],
    [
      'an nginx HTML error page',
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>',
      'an HTML page instead of an XML API response',
    ],
    [
      'an HTML5 page',
      '<!DOCTYPE html><html><body><p>Maintenance<br></body></html>',
      'an HTML page instead of an XML API response',
    ],
    ['plain text', 'Internal Server Error', 'a body that is not well-formed XML'],
    ['truncated XML', '<response><returncode>SUCC', 'a body that is not well-formed XML'],
    ['JSON', '{"response":{"returncode":"SUCCESS"}}', 'JSON instead of an XML API response'],
    [
      'a Spring 404 map',
      '<Map><status>404</status><error>Not Found</error></Map>',
      'XML whose root element is <Map> instead of <response>',
    ],
    ['an empty response element', '<response/>', 'a <response> without a returncode'],
    [
      'a response without returncode',
      '<response><message>hi</message></response>',
      'a <response> without a returncode',
    ],
    [
      'an unknown returncode',
      '<response><returncode>MAYBE</returncode></response>',
      'a returncode that is neither SUCCESS nor FAILED',
    ],
  ])('refuses %s as a BbbProtocolError', (_label, body, what) => {
    const err = thrown(() =>
      parseResponse(body, { call: 'getMeetings', origin: 'https://bbb.example.org', statusCode: 200 }),
    );
    expect(err).toBeInstanceOf(BbbProtocolError);
    expect(err).toMatchObject({ code: 'BBB_PROTOCOL', call: 'getMeetings', statusCode: 200 });
    expect((err as Error).message).toBe(
      `BigBlueButton at https://bbb.example.org answered getMeetings with ${what} (HTTP 200).`,
    );
  });

  it('accepts a byte-order mark and a declaration before <response>', () => {
    const body =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<response><returncode>SUCCESS</returncode><running>false</running></response>';
    expect(parseIsMeetingRunning(body)).toBe(false);
  });

  it('refuses a SUCCESS answer that lacks the element the call is about', () => {
    expect(thrown(() => parseIsMeetingRunning('<response><returncode>SUCCESS</returncode></response>'))).toBeInstanceOf(
      BbbProtocolError,
    );
    expect(thrown(() => parseMeetingInfo('<response><returncode>SUCCESS</returncode></response>'))).toBeInstanceOf(
      BbbProtocolError,
    );
  });
});

describe('parseCreateMeeting', () => {
  it('leaves messageKey and message out on a first create, where BBB prints them empty', () => {
    const body =
      '<response><returncode>SUCCESS</returncode><meetingID>m1</meetingID><internalMeetingID>x-1</internalMeetingID>' +
      '<parentMeetingID>bbb-none</parentMeetingID><attendeePW>ap</attendeePW><moderatorPW>mp</moderatorPW>' +
      '<createTime>1531155809613</createTime><voiceBridge>70757</voiceBridge><dialNumber>613-555-1234</dialNumber>' +
      '<createDate>Mon Jul 09 17:03:29 UTC 2018</createDate><hasUserJoined>false</hasUserJoined><duration>0</duration>' +
      '<hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey></messageKey><message></message></response>';
    const result = parseCreateMeeting(body);
    expect(result).not.toHaveProperty('messageKey');
    expect(result).not.toHaveProperty('message');
    expect(result).toMatchObject({ meetingID: 'm1', createTime: '1531155809613', attendeePW: 'ap', duration: 0 });
  });

  it('gives empty passwords when the server prints none (they are optional since 2.4)', () => {
    const body =
      '<response><returncode>SUCCESS</returncode><meetingID>m1</meetingID><createTime>1</createTime></response>';
    expect(parseCreateMeeting(body)).toMatchObject({ attendeePW: '', moderatorPW: '' });
  });
});

describe('parseMeetings and parseRecordings', () => {
  it('gives [] for noMeetings in both BBB and Scalelite order', () => {
    expect(
      parseMeetings(
        '<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message></response>',
      ),
    ).toEqual([]);
    expect(
      parseMeetings(
        '<response><returncode>SUCCESS</returncode><messageKey>noMeetings</messageKey><message>no meetings were found on this server</message><meetings/></response>',
      ),
    ).toEqual([]);
  });

  it('gives an array of one for a single meeting', () => {
    const inner = meetingInfo().replace('<response><returncode>SUCCESS</returncode>', '').replace('</response>', '');
    const meetings = parseMeetings(
      `<response><returncode>SUCCESS</returncode><meetings><meeting>${inner}</meeting></meetings></response>`,
    );
    expect(meetings.map((m) => m.meetingID)).toEqual(['0123']);
  });

  it('gives [] for noRecordings', () => {
    expect(
      parseRecordings(
        '<response><returncode>SUCCESS</returncode><recordings></recordings><messageKey>noRecordings</messageKey></response>',
      ),
    ).toEqual([]);
  });

  it('gives arrays of one for a single recording, format and preview image', () => {
    const body =
      '<response><returncode>SUCCESS</returncode><recordings><recording><recordID>r-1</recordID><meetingID>007</meetingID>' +
      '<internalMeetingID>r-1</internalMeetingID><name>N</name><isBreakout>false</isBreakout><published>false</published>' +
      '<state>unpublished</state><startTime>1</startTime><endTime>2</endTime><participants>1,024</participants><metadata/>' +
      '<playback><format><type>video</type><url>https://x.test/v</url><length>3</length><preview><images>' +
      '<image width="wide" height="136">https://x.test/i.png</image></images></preview></format></playback></recording></recordings></response>';
    const [recording] = parseRecordings(body);
    expect(recording).toEqual({
      recordID: 'r-1',
      meetingID: '007',
      internalMeetingID: 'r-1',
      name: 'N',
      isBreakout: false,
      published: false,
      state: 'unpublished',
      startTime: '1',
      endTime: '2',
      participants: 1024,
      metadata: {},
      playback: [
        { type: 'video', url: 'https://x.test/v', length: 3, preview: [{ url: 'https://x.test/i.png', height: 136 }] },
      ],
    });
  });
});

describe('parseApiVersion', () => {
  it('reads the Scalelite root, which has only <version>, and omits an empty bbbVersion', () => {
    expect(
      parseApiVersion(
        '<?xml version="1.0"?>\n<response><returncode>SUCCESS</returncode><version>2.0</version><build>v1.6</build></response>',
      ),
    ).toEqual({
      version: '2.0',
    });
    expect(
      parseApiVersion(
        '<response><returncode>SUCCESS</returncode><version>2.0</version><apiVersion>2.0</apiVersion><bbbVersion></bbbVersion></response>',
      ),
    ).toEqual({
      version: '2.0',
      apiVersion: '2.0',
    });
  });
});
