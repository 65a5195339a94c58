/** join (bbb-api.md §3): role resolution, the XML and the redirect flavours, and Scalelite's hand-over to a backend. */
import { createHash } from 'node:crypto';
import { xml, type ApiContext, type Reply } from './api-context.js';
import { MSG, failed, missingMeetingID, success } from './messages.js';
import { encodeForm } from './query.js';
import { randomLowerAlnum } from './ids.js';
import { el } from './xml.js';

/** Where the simulated Scalelite sends joins: the one BBB server behind it, served by the same process. */
export const BACKEND_PREFIX = '/bbb-backend';
export const JOIN_PAGE_PATH = '/html5client/join';
/** BBB's defaultGuestWaitURL. */
export const GUEST_WAIT_PATH = '/html5client/guestWait';
/** The simulator's stand-in for a moderator's "accept" button: `?sessionToken=<moderator>&guest=<guest's token>`. */
export const ADMIT_PATH = '/html5client/admit';

// Java's Boolean.parseBoolean: only "true", in any case; `redirect=1` is false.
function parseBoolean(value: string): boolean {
  return value.toLowerCase() === 'true';
}

/**
 * `?errors=` + a JSON array, encoded the way the example in #23380 shows it: JSON punctuation `[ ] : ,` stays literal,
 * braces, quotes and spaces are escaped.
 */
function errorRedirect(base: string, key: string, message: string): Reply {
  const json = JSON.stringify([{ message, key }]);
  const encoded = encodeURI(json)
    .replace(/%5B/g, '[')
    .replace(/%5D/g, ']')
    .replace(/[#&+=?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return { type: 'redirect', location: `${base}${base.includes('?') ? '&' : '?'}errors=${encoded}` };
}

/** `userdata-<key>` parameters; a key with a further dash is dropped, as BBB does, and so is one that is no XML name. */
function customData(paramList: Array<[string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of paramList) {
    if (!name.startsWith('userdata-')) continue;
    const key = name.slice('userdata-'.length);
    if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) && !out.some(([k]) => k === key)) out.push([key, value]);
  }
  return out;
}

export function handleJoin(ctx: ApiContext): Reply {
  const p = ctx.params;
  const redirect = parseBoolean(p['redirect'] ?? 'true');
  const fail = (key: string, message: string): Reply => {
    if (!redirect) return xml(failed(key, message));
    // The logoutURL given to create is not used here (#23380); the join parameters and then the server URL are.
    const base = p['errorRedirectUrl'] || p['logoutURL'] || `${ctx.origin}/`;
    return errorRedirect(base, key, message);
  };

  if (!ctx.checksumValid) return fail('checksumError', MSG.checksumBbb);
  if (!p['fullName']) return fail('missingParamFullName', MSG.missingFullName);
  const meetingID = p['meetingID'];
  if (!meetingID) return fail('missingParamMeetingID', MSG.missingMeetingIDBbb);
  const meeting = ctx.state.lookup(meetingID);
  if (!meeting) return fail('invalidMeetingIdentifier', MSG.meetingNotFoundBbb);
  if (meeting.endedAt !== undefined) return fail('meetingForciblyEnded', MSG.meetingForciblyEnded);
  if (p['createTime'] !== undefined && p['createTime'] !== String(meeting.createTime)) {
    return fail('mismatchCreateTimeParam', MSG.mismatchCreateTime);
  }

  // Role wins over password; an unknown role value falls through to the password branch (§3.2).
  let role: 'MODERATOR' | 'VIEWER';
  const roleParam = (p['role'] ?? '').toLowerCase();
  const password = p['password'] ?? '';
  if (roleParam === 'moderator' || roleParam === 'viewer') {
    role = roleParam === 'moderator' ? 'MODERATOR' : 'VIEWER';
  } else if (password !== '') {
    if (password === meeting.moderatorPW) role = 'MODERATOR';
    else if (password === meeting.attendeePW) role = 'VIEWER';
    // BBB renders these two as XML whatever `redirect` says.
    else return xml(failed('Params required', MSG.invalidPassword));
  } else {
    return xml(failed('Params required', MSG.roleOrPassword));
  }

  const internalUserID = `w_${randomLowerAlnum(12)}`;
  const externalUserID = p['userID'] || internalUserID;
  if (
    meeting.maxParticipants > 0 &&
    !meeting.joinedUserIDs.has(externalUserID) &&
    meeting.joinedUserIDs.size >= meeting.maxParticipants
  ) {
    return fail('maxParticipantsReached', MSG.maxParticipantsReached);
  }

  // guestPolicy (bbb-api.md §3.3, integrators.md §d): with BBB's shipped settings only joins marked guest=true are held.
  const guest = parseBoolean(p['guest'] ?? 'false');
  const guestPolicy = (meeting.params['guestPolicy'] ?? 'ALWAYS_ACCEPT').toUpperCase();
  if (guest && guestPolicy === 'ALWAYS_DENY') return fail('guestDeniedAccess', MSG.guestDeniedAccess);
  const guestStatus = guest && guestPolicy === 'ASK_MODERATOR' ? 'WAIT' : 'ALLOW';

  const session = ctx.state.registerSession(meeting, {
    internalUserID,
    externalUserID,
    fullName: p['fullName'],
    role,
    customdata: customData(ctx.paramList),
    guest,
    guestStatus,
  });
  const waiting = guestStatus === 'WAIT';
  const clientUrl = `${ctx.origin}${waiting ? GUEST_WAIT_PATH : JOIN_PAGE_PATH}?sessionToken=${session.sessionToken}`;
  // BBB sets the servlet session cookie on every successful join, redirecting or not.
  const headers = { 'Set-Cookie': `JSESSIONID=${randomLowerAlnum(32).toUpperCase()}; Path=/bigbluebutton; HttpOnly` };
  if (redirect) return { type: 'redirect', location: clientUrl, headers };
  return {
    type: 'xml',
    headers,
    body: success([
      el('messageKey', waiting ? 'guestWait' : 'successfullyJoined'),
      el('message', waiting ? MSG.guestWait : MSG.successfullyJoined),
      el('meeting_id', meeting.internalMeetingID),
      el('user_id', session.internalUserID),
      el('auth_token', session.authToken),
      el('session_token', session.sessionToken),
      el('guestStatus', guestStatus),
      el('url', clientUrl),
    ]),
  };
}

/**
 * Scalelite answers only a few join errors itself and otherwise re-signs the parameters for its backend and redirects
 * there, even for `redirect=false` (§7); the backend then answers XML or redirects to the client.
 */
export function handleScaleliteJoin(ctx: ApiContext, backendSecret: string): Reply {
  if (!ctx.checksumValid) return xml(failed('checksumError', MSG.checksumLegacy));
  const meetingID = ctx.params['meetingID'];
  if (!meetingID) return xml(missingMeetingID('scalelite'));
  if (!ctx.state.findActive(meetingID)) return xml(failed('notFound', MSG.meetingNotFoundScalelite));
  const query = encodeForm(ctx.paramList.filter(([name]) => name !== 'checksum'));
  // Scalelite signs its backend calls with SHA256 by default.
  const checksum = createHash('sha256').update(`join${query}${backendSecret}`, 'utf8').digest('hex');
  const location = `${ctx.origin}${BACKEND_PREFIX}/bigbluebutton/api/join?${query}${query ? '&' : ''}checksum=${checksum}`;
  return { type: 'redirect', location };
}
