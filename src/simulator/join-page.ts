/** The stand-in for the HTML5 client: a self-contained page that shows who entered which meeting. */
import type { JoinSession, Meeting, SimulatorState } from './state.js';
import { ADMIT_PATH } from './join-api.js';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface HtmlReply {
  status: number;
  body: string;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;color:#1b2a3a}' +
  'header{border-bottom:2px solid #2a6dd9;margin-bottom:1rem}dt{font-weight:600;margin-top:.6rem}dd{margin-left:0}' +
  '.note{color:#5b6b7b;font-size:.9rem}';

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    '<header><p class="note">bbb-interface BBB simulator: this is not a real BigBlueButton client.</p></header>\n' +
    `${body}\n</body>\n</html>\n`
  );
}

function substitute(welcome: string, meetingName: string, voiceBridge: string, origin: string): string {
  return welcome
    .replace(/%%CONFNAME%%/g, meetingName)
    .replace(/%%CONFNUM%%/g, voiceBridge)
    .replace(/%%DIALNUM%%/g, '613-555-1234')
    .replace(/%%SERVERURL%%/g, origin);
}

/** The lock settings create set to true, by BBB name without the prefix (`DisableCam`). */
function lockSettingsOf(params: Record<string, string>): string[] {
  return Object.entries(params)
    .filter(([k, v]) => k.startsWith('lockSettings') && /^true$/i.test(v))
    .map(([k]) => k.slice('lockSettings'.length));
}

/** A moderator sees who waits, each with an "Admit" link (the simulator's stand-in for BBB's accept button). */
function waitingList(state: SimulatorState, meeting: Meeting, session: JoinSession): string {
  if (session.role !== 'MODERATOR') return '';
  const waiting = state.waitingGuests(meeting);
  if (waiting.length === 0) return '<p id="waitingGuests">Nobody is waiting.</p>\n';
  const items = waiting
    .map(
      (g) =>
        `<li>${escapeHtml(g.fullName)} <a href="${ADMIT_PATH}?sessionToken=${encodeURIComponent(session.sessionToken)}&amp;guest=${encodeURIComponent(g.sessionToken)}">Admit</a></li>`,
    )
    .join('');
  return `<h2>Waiting for a moderator</h2>\n<ul id="waitingGuests">${items}</ul>\n`;
}

/** Visiting the page is the client entering: the user becomes an attendee and the meeting runs. */
export function renderJoinPage(state: SimulatorState, sessionToken: string, origin: string, now: number): HtmlReply {
  state.sweep(now);
  const session = sessionToken ? state.sessions.get(sessionToken) : undefined;
  const meeting = session ? state.meetings.get(session.internalMeetingID) : undefined;
  if (!session || !meeting) {
    return {
      status: 404,
      body: page(
        'Unknown session - BBB simulator',
        '<h1>Unknown session</h1>\n<p id="error">No join session matches this sessionToken: it was never issued, or its meeting has ended.</p>',
      ),
    };
  }
  if (meeting.endedAt !== undefined) {
    return {
      status: 404,
      body: page(
        'Meeting ended - BBB simulator',
        '<h1>Meeting ended</h1>\n<p id="error">This meeting has already ended.</p>',
      ),
    };
  }
  if (session.guestStatus === 'WAIT') {
    return {
      status: 200,
      body: page(
        `Waiting - ${meeting.name} - BBB simulator`,
        '<h1>Waiting for a moderator</h1>\n' +
          `<p id="guestStatus">WAIT</p>\n<p>${escapeHtml(session.fullName)}, a moderator of <span id="meetingName">${escapeHtml(meeting.name)}</span> has to let you in. Reload this page once admitted.</p>`,
      ),
    };
  }
  const attendee = state.addAttendee(
    meeting,
    {
      userID: session.externalUserID,
      fullName: session.fullName,
      role: session.role,
      customdata: session.customdata,
    },
    now,
  );
  const welcome = meeting.welcome
    ? `<p id="welcome">${escapeHtml(substitute(meeting.welcome, meeting.name, meeting.voiceBridge, origin))}</p>\n`
    : '';
  const body =
    `<h1>You are in the meeting</h1>\n${welcome}<dl>\n` +
    `<dt>Meeting</dt><dd id="meetingName">${escapeHtml(meeting.name)}</dd>\n` +
    `<dt>Meeting ID</dt><dd id="meetingID">${escapeHtml(meeting.meetingID)}</dd>\n` +
    `<dt>Name</dt><dd id="fullName">${escapeHtml(session.fullName)}</dd>\n` +
    `<dt>Role</dt><dd id="role">${session.role}</dd>\n` +
    `<dt>User ID</dt><dd id="userID">${escapeHtml(attendee.userID)}</dd>\n` +
    `<dt>Presenter</dt><dd id="isPresenter">${attendee.isPresenter}</dd>\n` +
    `<dt>Recorded</dt><dd id="recorded">${meeting.record}</dd>\n` +
    `<dt>Lock settings</dt><dd id="lockSettings">${escapeHtml(lockSettingsOf(meeting.params).join(', ') || 'none')}</dd>\n` +
    `<dt>Slides</dt><dd id="slides">${meeting.documents.length === 0 ? 'none' : `<ul>${meeting.documents.map((d) => `<li>${escapeHtml(d.filename || d.url)}</li>`).join('')}</ul>`}</dd>\n` +
    `<dt>Userdata</dt><dd id="userdata">${session.customdata.length === 0 ? 'none' : `<ul>${session.customdata.map(([k, v]) => `<li>${escapeHtml(k)}=${escapeHtml(v)}</li>`).join('')}</ul>`}</dd>\n` +
    '</dl>\n' +
    waitingList(state, meeting, session) +
    // Only http(s): a `javascript:` logoutURL must not become a live link.
    (/^https?:\/\//i.test(meeting.logoutURL)
      ? `<p><a id="logout" href="${escapeHtml(meeting.logoutURL)}">Leave (logout URL)</a></p>`
      : '');
  return { status: 200, body: page(`${meeting.name} - BBB simulator`, body) };
}

const ERROR_PAGES: Record<string, { title: string; text: string }> = {
  checksumError: {
    title: 'Invalid join link',
    text: 'This join link was changed or damaged: its checksum does not match. Ask for a new link.',
  },
  meetingForciblyEnded: { title: 'Meeting ended', text: 'This meeting has already ended.' },
  invalidMeetingIdentifier: {
    title: 'Meeting not found',
    text: 'This meeting does not exist (any more): it has ended or was never created.',
  },
  notFound: {
    title: 'Meeting not found',
    text: 'This meeting does not exist (any more): it has ended or was never created.',
  },
  mismatchCreateTimeParam: {
    title: 'Outdated join link',
    text: 'This link is for an earlier meeting with the same ID, which has ended.',
  },
  maxParticipantsReached: {
    title: 'Meeting full',
    text: 'The number of participants allowed for this meeting has been reached.',
  },
  guestDeniedAccess: { title: 'Access denied', text: 'You have been denied access to this meeting.' },
};

/**
 * The server URL's landing page: where BBB's default logout URL (the "Leave" link) and its join error redirects
 * (`?errors=[{"key":…,"message":…}]`) land. It says what happened, as BBB's own pages do.
 */
export function renderLandingPage(errorsParam: string | undefined): HtmlReply {
  if (errorsParam === undefined) {
    return {
      status: 200,
      body: page(
        'Left the meeting - BBB simulator',
        '<h1 id="left">You have left the meeting</h1>\n<p>You can close this window.</p>',
      ),
    };
  }
  let errors: Array<{ key?: unknown; message?: unknown }> = [];
  try {
    const parsed: unknown = JSON.parse(errorsParam);
    if (Array.isArray(parsed)) errors = parsed as typeof errors;
  } catch {
    // A malformed errors parameter still gets a page, not a stack trace.
  }
  const first = errors[0];
  const key = typeof first?.key === 'string' ? first.key : 'unknown';
  const known = ERROR_PAGES[key];
  const message = typeof first?.message === 'string' ? first.message : '';
  const title = known?.title ?? 'Could not join';
  const text = known?.text ?? (message || 'The meeting could not be joined.');
  return {
    status: 200,
    body: page(
      `${title} - BBB simulator`,
      `<h1>${escapeHtml(title)}</h1>\n<p id="error" data-key="${escapeHtml(key)}">${escapeHtml(text)}</p>`,
    ),
  };
}
