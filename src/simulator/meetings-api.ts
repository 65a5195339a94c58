/** create, getMeetingInfo, isMeetingRunning, end and getMeetings (bbb-api.md §2, §4.1-4.4). */
import xml2js from 'xml2js';
import { xml, type ApiContext, type Reply } from './api-context.js';
import { MSG, failed, failedWithErrors, meetingNotFound, missingMeetingID, success } from './messages.js';
import type { Meeting, SimDocument } from './state.js';
import { metaParams } from './query.js';
import { el, type XmlElement } from './xml.js';

// The simulator models BBB on its own (bbb-api.md): its rules are written here, not imported from the gateway's.
// BBB checks for control characters before anything else about the ID.
// eslint-disable-next-line no-control-regex -- the control characters are what this rule is about
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** `Integer.parseInt` with BBB's fallback to the default when the value is not a number. */
function intParam(value: string | undefined, fallback: number): number {
  return value !== undefined && /^-?\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : fallback;
}

function isBooleanText(value: string): boolean {
  return /^(true|false)$/i.test(value);
}

/** `meta_*` parameters as BBB stores them: the last value of a repeated name wins. */
function metadataFrom(paramList: Array<[string, string]>): Array<[string, string]> {
  return [...new Map(metaParams(paramList))];
}

function createResponse(meeting: Meeting, duplicate: boolean): XmlElement {
  return success([
    el('meetingID', meeting.meetingID),
    el('internalMeetingID', meeting.internalMeetingID),
    el('parentMeetingID', 'bbb-none'),
    ...(meeting.attendeePW ? [el('attendeePW', meeting.attendeePW)] : []),
    ...(meeting.moderatorPW ? [el('moderatorPW', meeting.moderatorPW)] : []),
    el('createTime', meeting.createTime),
    el('voiceBridge', meeting.voiceBridge),
    el('dialNumber', meeting.dialNumber),
    el('createDate', meeting.createDate),
    el('hasUserJoined', meeting.hasUserJoined),
    el('duration', meeting.duration),
    el('hasBeenForciblyEnded', meeting.endedAt !== undefined),
    el('messageKey', duplicate ? 'duplicateWarning' : ''),
    el('message', duplicate ? MSG.duplicateWarning : ''),
  ]);
}

function validateCreate(ctx: ApiContext): XmlElement | undefined {
  const p = ctx.params;
  const meetingID = p['meetingID'];
  if (meetingID === undefined || meetingID === '') return missingMeetingID(ctx.mode);
  if (CONTROL_CHARS.test(meetingID)) return failed('validationError', MSG.invalidMeetingID);
  if (meetingID.length < 2 || meetingID.length > 256) return failed('validationError', MSG.meetingIDSize);
  if (meetingID.includes(',')) return failed('validationError', MSG.meetingIDComma);
  const name = p['name'];
  if (name === undefined || name === '') return failed('validationError', MSG.missingName);
  if (name.length < 2 || name.length > 256) return failed('validationError', MSG.nameSize);
  for (const pw of [p['attendeePW'], p['moderatorPW']]) {
    // An empty password counts as absent: BBB then generates one.
    if (pw && (pw.length < 2 || pw.length > 64)) return failed('validationError', MSG.passwordSize);
  }
  if (p['record'] !== undefined && p['record'] !== '' && !isBooleanText(p['record'])) {
    return failed('validationError', MSG.recordBoolean);
  }
  if (p['voiceBridge'] && !/^\d+$/.test(p['voiceBridge']))
    return failed('validationError', 'Voice bridge must be an integer');
  return undefined;
}

/**
 * The `<document>`s of a `<modules><module name="presentation">` XML body (create, insertDocument), attribute values
 * unescaped; undefined when the body is not such XML.
 */
function documentsFrom(body: string | undefined): SimDocument[] | undefined {
  if (body === undefined || body.trim() === '') return [];
  let parsed: unknown;
  let error: unknown;
  xml2js.parseString(body, { async: false, explicitArray: true, attrkey: '$' }, (err, result) => {
    error = err;
    parsed = result;
  });
  if (error || typeof parsed !== 'object' || parsed === null) return undefined;
  const modules = (
    parsed as {
      modules?: {
        module?: Array<{ $?: Record<string, string>; document?: Array<{ $?: Record<string, string> } | string> }>;
      };
    }
  ).modules;
  if (modules === undefined) return undefined;
  const out: SimDocument[] = [];
  for (const module of typeof modules === 'object' ? (modules.module ?? []) : []) {
    if (module.$?.['name'] !== 'presentation') continue;
    for (const doc of module.document ?? []) {
      const a = typeof doc === 'string' ? {} : (doc.$ ?? {});
      out.push({
        url: a['url'] ?? '',
        filename: a['filename'] ?? a['name'] ?? '',
        downloadable: /^true$/i.test(a['downloadable'] ?? ''),
        current: /^true$/i.test(a['current'] ?? ''),
      });
    }
  }
  return out;
}

function isXmlBody(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' || type === 'application/xml' || type === 'text/xml';
}

export function handleCreate(ctx: ApiContext): Reply {
  const invalid = validateCreate(ctx);
  if (invalid) return xml(invalid);
  // Only an XML body carries documents; a multipart or form body is accepted and its content ignored (README).
  const documents = isXmlBody(ctx.contentType) ? documentsFrom(ctx.body) : [];
  if (documents === undefined) return xml(failed('validationError', 'Invalid XML body'));
  const p = ctx.params;
  const meetingID = p['meetingID']!;
  const existing = ctx.state.findActive(meetingID);
  if (existing) {
    const attendeePW = p['attendeePW'] || '';
    const moderatorPW = p['moderatorPW'] || '';
    // PR #17937: a create without passwords is idempotent; with passwords, both must match the stored ones.
    const samePasswords = attendeePW === existing.attendeePW && moderatorPW === existing.moderatorPW;
    if (samePasswords || (!attendeePW && !moderatorPW)) return xml(createResponse(existing, true));
    return xml(failed('idNotUnique', MSG.idNotUnique));
  }
  if (p['voiceBridge'] && ctx.state.voiceBridgeInUse(p['voiceBridge'])) {
    return xml(failedWithErrors([{ key: 'nonUniqueVoiceBridge', message: MSG.nonUniqueVoiceBridge }]));
  }
  const expireMinutes = intParam(p['meetingExpireIfNoUserJoinedInMinutes'], -1);
  const meeting = ctx.state.create(
    {
      params: { ...p },
      documents,
      isBreakout: /^true$/i.test(p['isBreakout'] ?? ''),
      origin: ctx.origin,
      meetingID,
      name: p['name']!,
      attendeePW: p['attendeePW'],
      moderatorPW: p['moderatorPW'],
      voiceBridge: p['voiceBridge'],
      dialNumber: p['dialNumber'],
      duration: Math.max(0, intParam(p['duration'], 0)),
      maxParticipants: Math.max(0, intParam(p['maxParticipants'], 0)),
      logoutURL: p['logoutURL'] || ctx.origin,
      welcome: p['welcome'] ?? '',
      record: /^true$/i.test(p['record'] ?? ''),
      metadata: metadataFrom(ctx.paramList),
      ...(expireMinutes >= 0 ? { expireIfNoUserJoinedMs: expireMinutes * 60_000 } : {}),
    },
    ctx.now,
  );
  return xml(createResponse(meeting, false));
}

function attendeeElement(a: Meeting['attendees'][number]): XmlElement {
  return el('attendee', [
    el('userID', a.userID),
    el('fullName', a.fullName),
    el('role', a.role),
    el('isPresenter', a.isPresenter),
    el('isListeningOnly', false),
    el('hasJoinedVoice', false),
    el('hasVideo', false),
    el('clientType', 'HTML5'),
    el(
      'customdata',
      a.customdata.map(([k, v]) => el(k, v)),
    ),
  ]);
}

/** The fields getMeetingInfo and each `<meeting>` of getMeetings share (get-meeting-info.ftlx order). */
function meetingFields(m: Meeting): XmlElement[] {
  return [
    el('meetingName', m.name),
    el('meetingID', m.meetingID),
    el('internalMeetingID', m.internalMeetingID),
    el('createTime', m.createTime),
    el('createDate', m.createDate),
    el('voiceBridge', m.voiceBridge),
    el('dialNumber', m.dialNumber),
    el('attendeePW', m.attendeePW),
    el('moderatorPW', m.moderatorPW),
    el('running', m.attendees.length > 0),
    el('duration', m.duration),
    el('hasUserJoined', m.hasUserJoined),
    el('recording', m.record),
    el('hasBeenForciblyEnded', m.endedAt !== undefined),
    el('startTime', m.startTime),
    el('endTime', m.endTime),
    el('participantCount', m.attendees.length),
    el('listenerCount', 0),
    el('voiceParticipantCount', 0),
    el('videoCount', 0),
    el('maxUsers', m.maxParticipants),
    el('moderatorCount', m.attendees.filter((a) => a.role === 'MODERATOR').length),
    el('attendees', m.attendees.map(attendeeElement)),
    el(
      'metadata',
      m.metadata.map(([k, v]) => el(k, v)),
    ),
    el('isBreakout', m.isBreakout),
  ];
}

export function handleGetMeetingInfo(ctx: ApiContext): Reply {
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID(ctx.mode));
  // getMeetingInfo still sees a meeting that ended and lingers (hasBeenForciblyEnded=true); Scalelite forgot it at once.
  const meeting = ctx.mode === 'scalelite' ? ctx.state.findActive(meetingID) : ctx.state.lookup(meetingID);
  if (!meeting) return xml(meetingNotFound(ctx.mode));
  return xml(success(meetingFields(meeting)));
}

export function handleIsMeetingRunning(ctx: ApiContext): Reply {
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID(ctx.mode));
  const meeting = ctx.mode === 'scalelite' ? ctx.state.findActive(meetingID) : ctx.state.lookupActive(meetingID);
  return xml(success([el('running', !!meeting && meeting.attendees.length > 0)]));
}

export function handleEnd(ctx: ApiContext): Reply {
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID(ctx.mode));
  const meeting = ctx.mode === 'scalelite' ? ctx.state.findActive(meetingID) : ctx.state.lookup(meetingID);
  if (!meeting) return xml(meetingNotFound(ctx.mode));
  ctx.state.end(meeting, ctx.now);
  return xml(success([el('messageKey', 'sentEndMeetingRequest'), el('message', MSG.sentEndMeetingRequest)]));
}

export function handleGetMeetings(ctx: ApiContext, disabled: boolean): Reply {
  const meetings = disabled ? [] : ctx.state.activeMeetings();
  if (meetings.length === 0) {
    const empty = el('meetings', undefined, { selfClose: true });
    const notice = [el('messageKey', 'noMeetings'), el('message', MSG.noMeetings)];
    return xml(success(ctx.mode === 'scalelite' ? [...notice, empty] : [empty, ...notice]));
  }
  return xml(
    success([
      el(
        'meetings',
        meetings.map((m) => el('meeting', meetingFields(m))),
      ),
    ]),
  );
}

/** insertDocument (bbb-api.md §4.7): POST with application/xml only; the documents join the meeting's slides. */
export function handleInsertDocument(ctx: ApiContext): Reply {
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID(ctx.mode));
  if (ctx.mode === 'bbb' && ctx.contentType !== 'application/xml')
    return xml(failed('unsupportedContentType', MSG.unsupportedContentType));
  const meeting = ctx.state.lookupActive(meetingID);
  if (!meeting) return xml(failed('notFound', `Meeting with id [${meetingID}] not found.`));
  const documents = documentsFrom(ctx.body);
  if (documents === undefined || documents.length === 0) return xml(failed('validationError', 'Invalid XML body'));
  meeting.documents.push(...documents);
  return xml(success([el('messageKey', ''), el('message', 'Presentation is being uploaded')]));
}

/** sendChatMessage (BBB 3.0, bbb-api.md §4.8): message 1-500 characters, userName at most 255 (default "System"). */
export function handleSendChatMessage(ctx: ApiContext): Reply {
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID(ctx.mode));
  const message = ctx.params['message'] ?? '';
  if (message.length < 1 || message.length > 500)
    return xml(failed('validationError', 'Message must be between 1 and 500 characters'));
  const userName = ctx.params['userName'] || 'System';
  if (userName.length > 255) return xml(failed('validationError', 'User name must be at most 255 characters'));
  const meeting = ctx.state.lookupActive(meetingID);
  if (!meeting) return xml(failed('meetingNotFound', 'Meeting not found or not active'));
  meeting.chat.push({ userName, message, at: ctx.now });
  return xml(success([el('messageKey', ''), el('message', '')]));
}

/** getSessions (BBB 3.0): the simulator keeps no client sessions beyond join, so the list is its join sessions. */
export function handleGetSessions(ctx: ApiContext): Reply {
  const sessions = [...ctx.state.sessions.values()];
  if (sessions.length === 0) {
    // "serverr" is BBB's typo (bbb-api.md §4.8).
    return xml(
      success([
        el('sessions', undefined, { selfClose: true }),
        el('messageKey', 'noSessions'),
        el('message', 'no sessions were found on this serverr'),
      ]),
    );
  }
  return xml(
    success([
      el(
        'sessions',
        sessions.map((s) =>
          el('session', [
            el('sessionToken', s.sessionToken),
            el('meetingID', s.internalMeetingID),
            el('userID', s.internalUserID),
            el('fullName', s.fullName),
            el('role', s.role),
          ]),
        ),
      ),
    ]),
  );
}
