import { z } from 'zod';
import { badInput } from '../errors.js';

/**
 * Validation shared by GraphQL and REST: one schema per operation, field names reported in the caller's own
 * spelling (`attendeePass` for GraphQL, `attendee_pass` for the legacy REST contract).
 */
export type FieldStyle = 'camel' | 'snake';

// BBB's own constraints (bbb-api.md §2.1): meeting name 2-256, meetingID 2-256 without commas, passwords 2-64.
const CONTROL = /[\u0000-\u001f\u007f]/;
const noControl = (s: string) => !CONTROL.test(s);

const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');

const password = z
  .string()
  .min(2, 'must be 2 to 64 characters (BigBlueButton\'s limit)')
  .max(64, 'must be 2 to 64 characters (BigBlueButton\'s limit)')
  .refine(noControl, 'must not contain control characters');

export const createMeetingSchema = z
  .object({
    name: z
      .string()
      .transform((s) => s.trim())
      .pipe(
        z
          .string()
          .min(2, 'must be 2 to 256 characters, not counting surrounding spaces (BigBlueButton\'s limit)')
          .max(256, 'must be 2 to 256 characters, not counting surrounding spaces (BigBlueButton\'s limit)')
          .refine(noControl, 'must not contain control characters'),
      ),
    attendeePass: password.nullish(),
    moderatorPass: password.nullish(),
    maxParticipant: z.number().int('must be a whole number').positive('must be a positive whole number').max(1_000_000, 'must be at most 1000000').nullish(),
    redirectAtLogout: httpUrl.nullish(),
  })
  .refine((v) => v.attendeePass == null || v.moderatorPass == null || v.attendeePass !== v.moderatorPass, {
    message: 'must differ from the attendee password, or the password could not tell the roles apart',
    path: ['moderatorPass'],
  });

export type CreateMeetingInput = z.input<typeof createMeetingSchema>;
export type ValidCreateMeeting = z.output<typeof createMeetingSchema>;

export const meetingIdSchema = z
  .string()
  .min(2, 'must be 2 to 256 characters')
  .max(256, 'must be 2 to 256 characters')
  .refine((s) => !s.includes(','), 'must not contain a comma')
  .refine(noControl, 'must not contain control characters');

/** A lone `meetingId` argument, as an object so that a refusal names it: `meetingId must not contain a comma.` */
export const meetingIdArgSchema = z.object({ meetingId: meetingIdSchema });

export const joinMeetingSchema = z.object({
  name: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters').refine(noControl, 'must not contain control characters')),
  meetingId: meetingIdSchema,
  password: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  createTime: z.string().regex(/^\d{1,20}$/, 'must be the createTime the create call returned (digits only, epoch milliseconds)'),
  userId: z.string().min(1, 'must not be empty when given').max(256, 'must be at most 256 characters').refine(noControl, 'must not contain control characters').nullish(),
  avatar: httpUrl.nullish(),
  isGuest: z.boolean().nullish(),
});

export type JoinMeetingInput = z.input<typeof joinMeetingSchema>;

/** A join whose role is already decided (an access token's pinned role): everything but the password. */
export const joinWithRoleSchema = joinMeetingSchema.omit({ password: true });
export type ValidJoinMeeting = z.output<typeof joinMeetingSchema>;

const SNAKE: Record<string, string> = {
  attendeePass: 'attendee_pass',
  moderatorPass: 'moderator_pass',
  maxParticipant: 'max_participant',
  redirectAtLogout: 'redirect_at_logout',
  meetingId: 'meeting_id',
  createTime: 'create_time',
  userId: 'user_id',
  isGuest: 'is_guest',
};

export function fieldName(field: string, style: FieldStyle): string {
  return style === 'snake' ? (SNAKE[field] ?? field) : field;
}

/** Parses with a schema; on failure throws one BAD_USER_INPUT naming every bad field, e.g. `name must not be empty.` */
export function validate<S extends z.ZodType>(schema: S, input: unknown, style: FieldStyle): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const sentences = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map((p) => fieldName(String(p), style)).join('.') : 'the input';
    const message =
      issue.code === 'invalid_type'
        ? issue.input === undefined
          ? 'is required'
          : `must be ${expectedName(issue.expected)}`
        : issue.message;
    return `${field} ${message}.`;
  });
  throw badInput([...new Set(sentences)].join(' '));
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
