import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badInput } from '../errors.js';
import type { Caller } from '../auth/caller.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import { LOCK_SETTINGS, userdataEntrySchema } from '../meetings/meeting-input.js';
import { fieldName, metadataEntrySchema } from '../validation.js';

/**
 * The original REST contract (`POST /create`, `POST /join`), byte for byte. A thin translation of snake_case JSON onto
 * the same MeetingService the GraphQL resolvers call; validation and errors come from there.
 *
 * Beyond the seed's keys both routes accept the GraphQL options as optional snake_case keys (`record`, `lock_settings`,
 * `metadata` as an object, `role` on join, …). Keys the shim does not know stay ignored, as legacy clients send extras,
 * but are logged at warn level with the app's name so that a typo such as `recrod` can be spotted.
 */

const CREATE_KEYS: Record<string, string> = {
  name: 'name',
  attendee_pass: 'attendeePass',
  moderator_pass: 'moderatorPass',
  max_participant: 'maxParticipant',
  redirect_at_logout: 'redirectAtLogout',
  record: 'record',
  auto_start_recording: 'autoStartRecording',
  allow_start_stop_recording: 'allowStartStopRecording',
  notify_recording_is_on: 'notifyRecordingIsOn',
  welcome: 'welcome',
  moderator_only_message: 'moderatorOnlyMessage',
  banner_text: 'bannerText',
  duration_minutes: 'durationMinutes',
  mute_on_start: 'muteOnStart',
  webcams_only_for_moderator: 'webcamsOnlyForModerator',
  end_when_no_moderator: 'endWhenNoModerator',
  end_when_no_moderator_delay_minutes: 'endWhenNoModeratorDelayMinutes',
  meeting_expire_if_no_user_joined_minutes: 'meetingExpireIfNoUserJoinedMinutes',
  meeting_layout: 'meetingLayout',
  lock_settings: 'lockSettings',
  disabled_features: 'disabledFeatures',
  waiting_room: 'waitingRoom',
  metadata: 'metadata',
  presentations: 'presentations',
  bbb_parameters: 'bbbParameters',
};

const JOIN_KEYS: Record<string, string> = {
  name: 'name',
  meeting_id: 'meetingId',
  password: 'password',
  role: 'role',
  create_time: 'createTime',
  user_id: 'userId',
  avatar: 'avatar',
  is_guest: 'isGuest',
  userdata: 'userdata',
  error_redirect_url: 'errorRedirectUrl',
  enforce_layout: 'enforceLayout',
  exclude_from_dashboard: 'excludeFromDashboard',
};

// Enum values may come in any case (`"role": "moderator"`); GraphQL's spelling is upper case.
const UPPER_CASE_KEYS = new Set(['role', 'meeting_layout', 'waiting_room', 'enforce_layout']);

export function registerLegacyRoutes(
  app: FastifyInstance,
  deps: { meetings: MeetingService; callerOf: (req: FastifyRequest) => Caller },
): void {
  const { meetings, callerOf } = deps;

  app.post('/create', async (req) => {
    const caller = callerOf(req);
    const body = jsonObject(req.body);
    const input = translate(body, CREATE_KEYS, req, caller);
    if (input.lockSettings !== undefined && input.lockSettings !== null)
      input.lockSettings = lockSettings(input.lockSettings);
    if (input.metadata !== undefined && input.metadata !== null)
      input.metadata = entries(input.metadata, 'metadata', metadataEntrySchema);
    if (Array.isArray(input.presentations)) input.presentations = input.presentations.map(presentation);
    // `{ "allowModsToUnmuteUsers": "true" }`, like metadata.
    if (input.bbbParameters !== undefined && input.bbbParameters !== null) {
      const raw = input.bbbParameters;
      if (typeof raw !== 'object' || Array.isArray(raw))
        throw badInput('bbb_parameters must be a JSON object of string values.');
      input.bbbParameters = Object.entries(raw).map(([name, value]) => ({ name, value }));
    }
    const created = await meetings.createMeeting(
      caller,
      input as unknown as Parameters<MeetingService['createMeeting']>[1],
      'snake',
    );
    return {
      meeting_id: created.meetingId,
      attendee_pass: created.attendeePass,
      moderator_pass: created.moderatorPass,
      create_time: created.createTime,
      created_at: created.createDate,
    };
  });

  app.post('/join', async (req, reply) => {
    const caller = callerOf(req);
    const body = jsonObject(req.body);
    const input = translate(body, JOIN_KEYS, req, caller);
    if (input.userdata !== undefined && input.userdata !== null)
      input.userdata = entries(input.userdata, 'userdata', userdataEntrySchema);
    // Clients that join by role often still send the password key, empty: with a role, an empty password means none.
    if (input.role != null && input.password === '') delete input.password;
    // Go and PHP clients with int64 fields send create_time as a JSON integer; it means the same digits.
    if (typeof input.createTime === 'number' && Number.isSafeInteger(input.createTime) && input.createTime >= 0)
      input.createTime = String(input.createTime);
    const url = await meetings.joinUrl(caller, input as unknown as Parameters<MeetingService['joinUrl']>[1], 'snake');
    // 303 makes every client follow with a GET, which BBB 3.0 requires for join; a backend that does not follow reads Location.
    return reply.code(303).header('location', url).send();
  });
}

function translate(
  body: Record<string, unknown>,
  keys: Record<string, string>,
  req: FastifyRequest,
  caller: Caller,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const name = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (name === undefined) {
      unknown.push(key);
      continue;
    }
    out[name] = UPPER_CASE_KEYS.has(key) && typeof value === 'string' ? value.toUpperCase() : value;
  }
  if (unknown.length > 0) {
    // Key names only, never values (a misplaced key could hold a password); at most a few, each cut short.
    req.log.warn(
      { app: caller.app, route: req.routeOptions.url, ignoredKeys: unknown.slice(0, 10).map((k) => k.slice(0, 64)) },
      'request body has keys this endpoint does not know; they were ignored',
    );
  }
  return out;
}

function lockSettings(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  const snakeToCamel = new Map(LOCK_SETTINGS.map((k) => [fieldName(k, 'snake'), k]));
  for (const [k, v] of Object.entries(value)) {
    const camel = snakeToCamel.get(k);
    if (camel === undefined)
      throw badInput(`lock_settings.${k} is not a lock setting (one of ${[...snakeToCamel.keys()].join(', ')}).`);
    out[camel] = v;
  }
  return out;
}

function presentation(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { url, filename, downloadable, current } = value as Record<string, unknown>;
  return { url, filename, downloadable, current };
}

/**
 * A `{ "key": "value" }` object as the `[{ key, value }]` list the service takes; each pair is checked here so that a
 * refusal names it the way the caller wrote it: `metadata["course_id"] …`.
 */
function entries(
  value: unknown,
  field: string,
  schema: typeof metadataEntrySchema | typeof userdataEntrySchema,
): Array<{ key: string; value: string }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badInput(`${field} must be a JSON object of string values.`);
  return Object.entries(value).map(([key, v]) => {
    if (typeof v !== 'string') throw badInput(`${field}[${JSON.stringify(key)}] must be a string.`);
    const result = schema.safeParse({ key, value: v });
    if (!result.success)
      throw badInput(
        `${field}[${JSON.stringify(key)}] ${result.error.issues[0]!.path[0] === 'key' ? 'key ' : ''}${result.error.issues[0]!.message}.`,
      );
    return { key, value: v };
  });
}

function jsonObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null)
    throw badInput('The request body is empty; send a JSON object as described in the API documentation.');
  if (typeof body !== 'object' || Array.isArray(body)) throw badInput('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}
