import { z } from 'zod';
import { META_KEY_PATTERN } from './bbb/rules.js';
import { badInput, type FieldProblem } from './errors.js';
import { reservedMetadataKeyReason } from './isolation.js';

/**
 * The validation pieces every operation's schema shares (meetings, recordings; GraphQL and REST): lengths as BBB counts
 * them, the control-character rule, meetingId, metadata entries, and `validate`, which reports each bad field in the
 * caller's own spelling (`attendeePass` for GraphQL, `attendee_pass` for the legacy REST contract).
 */
export type FieldStyle = 'camel' | 'snake';

// The control-character rule of every text the gateway passes on: C0 and C1 controls, line and paragraph separators, and bidirectional overrides and isolates (which can make a name or a
// message read differently from what it is), and lone surrogates, which no encoding keeps as sent.
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/**
 * Length checks in UTF-16 code units, which is what BBB's Java `String.length()` counts; zod's own min/max count code
 * points, so an emoji-heavy name would pass here and be refused by BBB (a 502 instead of a 400).
 */
export const minUnits = (n: number, message: string) => z.refine<string>((s) => s.length >= n, message);
export const maxUnits = (n: number, message: string) => z.refine<string>((s) => s.length <= n, message);
export const noControl = (s: string) => !CONTROL.test(s);

/**
 * A text of `min` to `max` UTF-16 units without control characters (a `min` of 0: no lower bound): the one shape of the
 * free texts the gateway passes to BBB. `message` words both bounds, or each one.
 */
export function boundedText(min: number, max: number, message: string | { tooShort: string; tooLong: string }) {
  const { tooShort, tooLong } = typeof message === 'string' ? { tooShort: message, tooLong: message } : message;
  const text = min > 0 ? z.string().check(minUnits(min, tooShort)) : z.string();
  return text.check(maxUnits(max, tooLong)).refine(noControl, 'must not contain control characters');
}

// BBB's own constraints (bbb-api.md §2.1): meetingID 2-256 without commas.
export const meetingIdSchema = z
  .string()
  .check(minUnits(2, 'must be 2 to 256 characters'))
  .check(maxUnits(256, 'must be 2 to 256 characters'))
  .refine((s) => !s.includes(','), 'must not contain a comma')
  .refine(noControl, 'must not contain control characters');

/** Metadata an app may set: BBB's key rule, and never a key the gateway reserves (isolation.ts). */
export const metadataEntrySchema = z.object({
  key: z
    .string()
    .regex(
      META_KEY_PATTERN,
      'must start with a letter and contain only letters, digits and dashes (BigBlueButton drops other keys)',
    )
    .check(maxUnits(64, 'must be at most 64 characters'))
    .superRefine((k, ctx) => {
      const reason = reservedMetadataKeyReason(k);
      if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
    }),
  value: z
    .string()
    .check(maxUnits(1000, 'must be at most 1000 characters'))
    .refine(noControl, 'must not contain control characters'),
});

const uniqueMetadataKeys = (entries: Array<{ key: string }>) =>
  new Set(entries.map((e) => e.key.toLowerCase())).size === entries.length;

/** A list of metadata entries of `min` to `max` entries, each key once (BigBlueButton lowercases keys). */
export function metadataListSchema(min: number, max: number) {
  const size = min === 0 ? `must hold at most ${max} entries` : `must hold ${min} to ${max} entries`;
  return z.array(metadataEntrySchema).min(min, size).max(max, size).refine(uniqueMetadataKeys, {
    message: 'must not name a key twice (BigBlueButton lowercases keys, so `Topic` and `topic` are the same key)',
  });
}

const SNAKE: Record<string, string> = {
  attendeePass: 'attendee_pass',
  moderatorPass: 'moderator_pass',
  maxParticipant: 'max_participant',
  redirectAtLogout: 'redirect_at_logout',
  meetingId: 'meeting_id',
  createTime: 'create_time',
  userId: 'user_id',
  isGuest: 'is_guest',
  autoStartRecording: 'auto_start_recording',
  allowStartStopRecording: 'allow_start_stop_recording',
  notifyRecordingIsOn: 'notify_recording_is_on',
  moderatorOnlyMessage: 'moderator_only_message',
  bannerText: 'banner_text',
  durationMinutes: 'duration_minutes',
  muteOnStart: 'mute_on_start',
  webcamsOnlyForModerator: 'webcams_only_for_moderator',
  endWhenNoModerator: 'end_when_no_moderator',
  endWhenNoModeratorDelayMinutes: 'end_when_no_moderator_delay_minutes',
  meetingExpireIfNoUserJoinedMinutes: 'meeting_expire_if_no_user_joined_minutes',
  meetingLayout: 'meeting_layout',
  lockSettings: 'lock_settings',
  disableCam: 'disable_cam',
  disableMic: 'disable_mic',
  disablePrivateChat: 'disable_private_chat',
  disablePublicChat: 'disable_public_chat',
  disableNotes: 'disable_notes',
  hideUserList: 'hide_user_list',
  lockOnJoin: 'lock_on_join',
  lockOnJoinConfigurable: 'lock_on_join_configurable',
  hideViewersCursor: 'hide_viewers_cursor',
  disabledFeatures: 'disabled_features',
  waitingRoom: 'waiting_room',
  errorRedirectUrl: 'error_redirect_url',
  enforceLayout: 'enforce_layout',
  excludeFromDashboard: 'exclude_from_dashboard',
  bbbParameters: 'bbb_parameters',
};

export function fieldName(field: string, style: FieldStyle): string {
  return style === 'snake' ? (SNAKE[field] ?? field) : field;
}

/**
 * Parses with a schema; on failure throws one BAD_USER_INPUT naming every bad field, e.g. `name must not be empty.`, with
 * each field and its sentence in `fields`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, style: FieldStyle): z.output<S> {
  // The input on each issue (is the field missing, or of the wrong type?) matters only for a refusal, and asking zod for
  // it makes every parse about three times as slow (2.2 against 0.7 µs for a join), so a valid input is parsed once without it.
  const valid = schema.safeParse(input);
  if (valid.success) return valid.data;
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const fields = new Map<string, FieldProblem>();
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map((p) => fieldName(String(p), style)).join('.') : 'the input';
    const message =
      issue.code === 'invalid_type'
        ? issue.input === undefined
          ? 'is required'
          : `must be ${expectedName(issue.expected)}`
        : issue.message;
    fields.set(`${field} ${message}`, { field, message: `${field} ${message}.` });
  }
  // One sentence naming every bad field, and each field with its own sentence (GraphQL's `extensions.fields`).
  const problems = [...fields.values()];
  throw badInput(problems.map((p) => p.message).join(' '), problems);
}

function expectedName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    case 'object':
      return 'a JSON object';
    default:
      return `of type ${expected}`;
  }
}
