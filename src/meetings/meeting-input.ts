import { z } from 'zod';
import { CREATE_TIME_PATTERN, isPlausibleCreateTime } from '../bbb/rules.js';
import { boundedText, maxUnits, meetingIdSchema, metadataListSchema, minUnits, noControl } from '../validation.js';

/**
 * The meeting operations' schemas (createMeeting, joinUrl, insertDocument, sendChatMessage), shared by GraphQL and REST;
 * the pieces every schema uses (lengths, control characters, meetingId, metadata entries, `validate`) are validation.ts.
 * BBB's own constraints (bbb-api.md §2.1): meeting name 2-256, passwords 2-64.
 */

const httpUrl = z
  .string()
  .check(maxUnits(2048, 'must be at most 2048 characters'))
  // new URL() drops tabs and line breaks and trims spaces, so the string checked below could differ from the one sent.
  .refine((s) => noControl(s) && s.trim() === s, 'must not contain control characters or surrounding spaces')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');

const password = boundedText(2, 64, "must be 2 to 64 characters (BigBlueButton's limit)");

/** The layouts BBB 2.7-3.0 knows (`meetingLayout` on create, `enforceLayout` on join). */
export const MEETING_LAYOUTS = [
  'CUSTOM_LAYOUT',
  'SMART_LAYOUT',
  'PRESENTATION_FOCUS',
  'VIDEO_FOCUS',
  'CAMERAS_ONLY',
  'PRESENTATION_ONLY',
  'PARTICIPANTS_AND_CHAT_ONLY',
  'MEDIA_ONLY',
] as const;

/** BBB's `disabledFeatures` names, 2.5 to 3.0 (integrators.md §d). The GraphQL enum is their SCREAMING_SNAKE_CASE. */
export const BBB_FEATURES = [
  'breakoutRooms',
  'captions',
  'chat',
  'privateChat',
  'downloadPresentationWithAnnotations',
  'downloadPresentationConvertedToPdf',
  'downloadPresentationOriginalFile',
  'snapshotOfCurrentSlide',
  'externalVideos',
  'importPresentationWithAnnotationsFromBreakoutRooms',
  'importSharedNotesFromBreakoutRooms',
  'layouts',
  'learningDashboard',
  'learningDashboardDownloadSessionData',
  'polls',
  'screenshare',
  'sharedNotes',
  'virtualBackgrounds',
  'customVirtualBackgrounds',
  'liveTranscription',
  'presentation',
  'cameraAsContent',
  'timer',
  'infiniteWhiteboard',
  'deleteChatMessage',
  'editChatMessage',
  'replyChatMessage',
  'chatMessageReactions',
  'chatEmojiPicker',
  'raiseHand',
  'userReactions',
  'quizzes',
] as const;
export type BbbFeature = (typeof BBB_FEATURES)[number];

/** `breakoutRooms` → `BREAKOUT_ROOMS`. */
export function featureEnumName(feature: string): string {
  return feature.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
const FEATURE_BY_ENUM = new Map<string, BbbFeature>(BBB_FEATURES.map((f) => [featureEnumName(f), f]));
const FEATURE_BY_LOWER = new Map<string, BbbFeature>(BBB_FEATURES.map((f) => [f.toLowerCase(), f]));

/** A feature given as BBB's name (`breakoutRooms`, any case) or as the enum's (`BREAKOUT_ROOMS`); undefined when unknown. */
function featureFromName(name: string): BbbFeature | undefined {
  return FEATURE_BY_ENUM.get(name) ?? FEATURE_BY_LOWER.get(name.toLowerCase());
}

const WAITING_ROOMS = ['NONE', 'GUESTS', 'ALL_VIEWERS'] as const;

export const LOCK_SETTINGS = [
  'disableCam',
  'disableMic',
  'disablePrivateChat',
  'disablePublicChat',
  'disableNotes',
  'hideUserList',
  'lockOnJoin',
  'lockOnJoinConfigurable',
  'hideViewersCursor',
] as const;

/** Most presentations one create or insertDocument may carry: each one is a download BBB makes and converts. */
const MAX_PRESENTATIONS = 10;
/** Most metadata entries one createMeeting may send; with the gateway's own keys they travel in one URL. */
const MAX_CREATE_METADATA = 20;
const MAX_MESSAGE_LENGTH = 2000;
const MAX_BANNER_LENGTH = 500;

/** A text BBB shows to people: length-limited (in UTF-16 units, as BBB's Java counts), no control characters. */
const displayText = (max: number) => boundedText(0, max, `must be at most ${max} characters`);

const minutes = (max: number) =>
  z.number().int('must be a whole number').min(0, 'must be 0 or more').max(max, `must be at most ${max}`);

const presentationSchema = z.object({
  url: httpUrl,
  filename: boundedText(1, 255, {
    tooShort: 'must not be empty when given',
    tooLong: 'must be at most 255 characters',
  }).nullish(),
  downloadable: z.boolean().nullish(),
  current: z.boolean().nullish(),
});

const presentationsSchema = z
  .array(presentationSchema)
  .min(1, `must hold 1 to ${MAX_PRESENTATIONS} documents`)
  .max(MAX_PRESENTATIONS, `must hold 1 to ${MAX_PRESENTATIONS} documents`);

const lockSettingsSchema = z.object(
  Object.fromEntries(LOCK_SETTINGS.map((k) => [k, z.boolean().nullish()])) as Record<
    (typeof LOCK_SETTINGS)[number],
    z.ZodOptional<z.ZodNullable<z.ZodBoolean>>
  >,
);

export const createMeetingSchema = z
  .object({
    name: z
      .string()
      .transform((s) => s.trim())
      .pipe(
        boundedText(2, 256, "must be 2 to 256 characters, not counting surrounding spaces (BigBlueButton's limit)"),
      ),
    attendeePass: password.nullish(),
    moderatorPass: password.nullish(),
    maxParticipant: z
      .number()
      .int('must be a whole number')
      .positive('must be a positive whole number')
      .max(1_000_000, 'must be at most 1000000')
      .nullish(),
    redirectAtLogout: httpUrl.nullish(),
    record: z.boolean().nullish(),
    autoStartRecording: z.boolean().nullish(),
    allowStartStopRecording: z.boolean().nullish(),
    notifyRecordingIsOn: z.boolean().nullish(),
    welcome: displayText(MAX_MESSAGE_LENGTH).nullish(),
    moderatorOnlyMessage: displayText(MAX_MESSAGE_LENGTH).nullish(),
    bannerText: displayText(MAX_BANNER_LENGTH).nullish(),
    durationMinutes: minutes(525_600).nullish(),
    muteOnStart: z.boolean().nullish(),
    webcamsOnlyForModerator: z.boolean().nullish(),
    endWhenNoModerator: z.boolean().nullish(),
    endWhenNoModeratorDelayMinutes: minutes(10_080).nullish(),
    meetingExpireIfNoUserJoinedMinutes: minutes(10_080).nullish(),
    meetingLayout: z.enum(MEETING_LAYOUTS).nullish(),
    lockSettings: lockSettingsSchema.nullish(),
    disabledFeatures: z
      .array(
        z.string().transform((s, ctx) => {
          const f = featureFromName(s);
          if (f === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `is not a feature BigBlueButton can disable (one of ${BBB_FEATURES.join(', ')})`,
            });
            return z.NEVER;
          }
          return f;
        }),
      )
      .max(BBB_FEATURES.length, `must hold at most ${BBB_FEATURES.length} features`)
      .nullish(),
    waitingRoom: z.enum(WAITING_ROOMS).nullish(),
    metadata: metadataListSchema(0, MAX_CREATE_METADATA).nullish(),
    presentations: presentationsSchema.nullish(),
    bbbParameters: z
      .array(
        z.object({
          name: z
            .string()
            .regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'must be a BigBlueButton create parameter name (letters and digits)')
            .check(maxUnits(64, 'must be at most 64 characters')),
          value: boundedText(0, 2000, 'must be at most 2000 characters'),
        }),
      )
      .max(20, 'must hold at most 20 parameters')
      .nullish(),
  })
  .refine((v) => v.attendeePass == null || v.moderatorPass == null || v.attendeePass !== v.moderatorPass, {
    message: 'must differ from the attendee password, or the password could not tell the roles apart',
    path: ['moderatorPass'],
  });

export type CreateMeetingInput = z.input<typeof createMeetingSchema>;
export type ValidCreateMeeting = z.output<typeof createMeetingSchema>;

/** A lone `meetingId` argument, as an object so that a refusal names it: `meetingId must not contain a comma.` */
export const meetingIdArgSchema = z.object({ meetingId: meetingIdSchema });

const MAX_USERDATA = 30;
// BBB splits `userdata-<key>` on `-` and drops a key with a further dash (bbb-api.md §3.1); it becomes an XML name.
const USERDATA_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

export const userdataEntrySchema = z.object({
  key: z
    .string()
    .regex(
      USERDATA_KEY,
      'must start with a letter and contain only letters, digits and underscores (BigBlueButton drops other keys), e.g. bbb_skip_check_audio',
    )
    .check(maxUnits(64, 'must be at most 64 characters')),
  value: boundedText(0, 1000, 'must be at most 1000 characters'),
});

export const joinMeetingSchema = z
  .object({
    name: z
      .string()
      .transform((s) => s.trim())
      .pipe(boundedText(1, 256, { tooShort: 'must not be empty', tooLong: 'must be at most 256 characters' })),
    meetingId: meetingIdSchema,
    password: z
      .string()
      .check(minUnits(1, 'must not be empty'))
      .check(maxUnits(64, 'must be at most 64 characters'))
      .nullish(),
    role: z.enum(['MODERATOR', 'VIEWER']).nullish(),
    createTime: z
      .string()
      .regex(CREATE_TIME_PATTERN, 'must be the createTime the create call returned (digits only, epoch milliseconds)')
      .refine(
        (s) => !CREATE_TIME_PATTERN.test(s) || isPlausibleCreateTime(s),
        'is not a createTime BigBlueButton returns (epoch milliseconds, e.g. 1796082467065): send the createTime the create call returned',
      ),
    userId: boundedText(1, 256, {
      tooShort: 'must not be empty when given',
      tooLong: 'must be at most 256 characters',
    }).nullish(),
    avatar: httpUrl.nullish(),
    isGuest: z.boolean().nullish(),
    userdata: z
      .array(userdataEntrySchema)
      .max(MAX_USERDATA, `must hold at most ${MAX_USERDATA} entries`)
      .refine((e) => new Set(e.map((x) => x.key.toLowerCase())).size === e.length, {
        message: 'must not name a key twice',
      })
      .nullish(),
    errorRedirectUrl: httpUrl.nullish(),
    enforceLayout: z.enum(MEETING_LAYOUTS).nullish(),
    excludeFromDashboard: z.boolean().nullish(),
  })
  .superRefine((v, ctx) => {
    const both = v.password != null && v.role != null;
    const neither = v.password == null && v.role == null;
    if (both || neither) {
      ctx.addIssue({
        code: 'custom',
        path: ['role'],
        message: both
          ? 'and password must not both be given: send one of them'
          : 'or password is required: send exactly one of them',
      });
    }
  });

export const insertDocumentSchema = z.object({ meetingId: meetingIdSchema, presentations: presentationsSchema });
export type InsertDocumentInput = z.input<typeof insertDocumentSchema>;

// BBB 3.0's limits for sendChatMessage (bbb-api.md §4.8).
export const sendChatMessageSchema = z.object({
  meetingId: meetingIdSchema,
  message: boundedText(1, 500, "must be 1 to 500 characters (BigBlueButton's limit)"),
  userName: boundedText(1, 255, {
    tooShort: 'must not be empty when given',
    tooLong: 'must be at most 255 characters',
  }).nullish(),
});
export type SendChatMessageInput = z.input<typeof sendChatMessageSchema>;

export type JoinMeetingInput = z.input<typeof joinMeetingSchema>;
