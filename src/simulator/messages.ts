/**
 * messageKeys and texts, per personality. BBB's newest validators and its legacy paths (recordings) word some of them
 * differently, and Scalelite has its own wording (bbb-api.md §1.4, §5, §7).
 */
import { el, type XmlElement } from './xml.js';

export type Mode = 'bbb' | 'scalelite';

export const MSG = {
  checksumBbb: 'Checksums do not match',
  checksumLegacy: 'You did not pass the checksum security check',
  missingMeetingIDBbb: 'You must provide a meeting ID',
  missingMeetingIDScalelite: 'You must specify a meeting ID for the meeting.',
  meetingNotFoundBbb: 'A meeting with that ID does not exist',
  meetingNotFoundScalelite:
    'We could not find a meeting with that meeting ID - perhaps the meeting is not yet running?',
  invalidMeetingID: 'Invalid meeting ID',
  meetingIDSize: 'Meeting ID must be between 2 and 256 characters',
  meetingIDComma: "Meeting ID cannot contain ','",
  missingName: 'You must provide a meeting name',
  nameSize: 'Meeting name must be between 2 and 256 characters',
  passwordSize: 'Password must be between 2 and 64 characters',
  recordBoolean: 'Record must be a boolean value (true or false)',
  idNotUnique: 'A meeting already exists with that meeting ID.  Please use a different meeting ID.',
  duplicateWarning: 'This conference was already in existence and may currently be in progress.',
  nonUniqueVoiceBridge: 'The selected voice bridge is already in use.',
  unsupportedContentType: 'POST request Content-Type is missing or unsupported',
  sentEndMeetingRequest:
    'A request to end the meeting was sent.  Please wait a few seconds, and then use the getMeetingInfo or isMeetingRunning API calls to verify that it was ended.',
  noMeetings: 'no meetings were found on this server',
  missingFullName: 'You must provide your name',
  meetingForciblyEnded: 'You can not join a meeting that has already been forcibly ended',
  mismatchCreateTime: 'The createTime parameter submitted mismatches with the current meeting.',
  maxParticipantsReached: 'The number of participants allowed for this meeting has been reached.',
  invalidPassword: 'You must enter a valid password',
  // The typo is BBB's, verbatim since 2.4 and still in 3.0.0-rc.4 (#22423).
  roleOrPassword: 'You must either send the valid role of the user, or the password, sould the meeting has one.',
  successfullyJoined: 'You have joined successfully.',
  guestWait: 'Guest waiting for approval to join meeting.',
  guestDeniedAccess: "You have been denied access to this meeting based on the meeting's guest policy",
  noRecordingsBbb: 'There are no recordings for the meeting(s).',
  noRecordingsScalelite: 'There are not recordings for the meetings',
  missingRecordID: 'You must specify a recordID.',
  missingPublish: 'You must specify a publish value true or false.',
  recordingsNotFound: 'We could not find recordings',
  unsupportedRequest: 'This request is not supported.',
} as const;

export function failed(messageKey: string, message: string): XmlElement {
  return el('response', [el('returncode', 'FAILED'), el('messageKey', messageKey), el('message', message)]);
}

/** `api-errors.ftlx`: the second error shape, used for nonUniqueVoiceBridge. */
export function failedWithErrors(errors: Array<{ key: string; message: string }>): XmlElement {
  return el('response', [
    el('returncode', 'FAILED'),
    el(
      'errors',
      errors.map((e) => el('error', [el('key', e.key), el('message', e.message)])),
    ),
  ]);
}

export function success(children: XmlElement[]): XmlElement {
  return el('response', [el('returncode', 'SUCCESS'), ...children]);
}

export function missingMeetingID(mode: Mode): XmlElement {
  return failed(
    'missingParamMeetingID',
    mode === 'scalelite' ? MSG.missingMeetingIDScalelite : MSG.missingMeetingIDBbb,
  );
}

export function meetingNotFound(mode: Mode): XmlElement {
  return failed('notFound', mode === 'scalelite' ? MSG.meetingNotFoundScalelite : MSG.meetingNotFoundBbb);
}
