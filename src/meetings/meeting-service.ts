import { randomBytes } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import type { BbbClient, BbbRole, CreateMeetingResult, MeetingInfo, PresentationDocument } from '../bbb/types.js';
import { BbbFailedError, BbbNotFoundError, BbbProtocolError } from '../bbb/errors.js';
import { CREATE_TIME_PATTERN } from '../bbb/rules.js';
import { GatewayError, badInput, meetingNotFound } from '../errors.js';
import { constantTimeEqual, sha256 } from '../secrets.js';
import type { MeetingEvents } from '../events/meeting-events.js';
import { APP_META_KEY, isVisible, RECORD_META_KEY, WAITING_ROOM_META_KEY, waitingRoomOf } from '../isolation.js';
import { fieldName, validate, type FieldStyle } from '../validation.js';
import { applyCreatePolicy, EMPTY_CREATE_POLICY, type CreatePolicy } from './create-policy.js';
import { MeetingInfoCache } from './meeting-info-cache.js';
import {
  createMeetingSchema,
  insertDocumentSchema,
  joinMeetingSchema,
  sendChatMessageSchema,
  type InsertDocumentInput,
  type SendChatMessageInput,
  meetingIdArgSchema,
  type CreateMeetingInput,
  type JoinMeetingInput,
  type ValidCreateMeeting,
} from './meeting-input.js';

export interface CreatedMeeting {
  meetingId: string;
  name: string;
  attendeePass: string;
  moderatorPass: string;
  /** BBB's createTime: epoch milliseconds as a string. */
  createTime: string;
  /** BBB's createDate string (Java `Date.toString()`), which the legacy REST contract returns as `created_at`. */
  createDate: string;
  raw: CreateMeetingResult;
}

export interface MeetingServiceOptions {
  bbb: BbbClient;
  /** The client to use for one caller's calls (the gateway's counts them on the caller's request); default `bbb`. */
  bbbFor?: (caller: Caller) => BbbClient;
  /** Reuse of getMeetingInfo on the join path; see MeetingInfoCache. */
  joinCache: { ttlMs: number; maxEntries: number };
  /** Also send the password on join, for BBB servers older than 2.4. Default false. */
  sendJoinPassword?: boolean;
  /** The operator's create defaults, overrides and passthrough names (create-policy.ts). Default: none. */
  createPolicy?: CreatePolicy;
  /** Meeting events (WEBHOOK_SIGNING_KEY): callback registration on create, meeting.created / meeting.ended emitted here. */
  events?: MeetingEvents;
}

/** Everything the GraphQL resolvers and the REST routes do with meetings goes through here. */
export class MeetingService {
  private readonly bbb: BbbClient;
  private readonly bbbFor: ((caller: Caller) => BbbClient) | undefined;
  readonly infoCache: MeetingInfoCache<BbbClient>;
  private readonly sendJoinPassword: boolean;
  private readonly createPolicy: CreatePolicy;
  private readonly events: MeetingEvents | undefined;

  constructor(options: MeetingServiceOptions) {
    this.bbb = options.bbb;
    this.bbbFor = options.bbbFor;
    // A meeting joined during the last tenth of its entry's TTL is refreshed in the background, so joins to a busy meeting
    // never wait for BBB after the first (about a tenth more calls for a busy meeting); a quiet one simply expires.
    this.infoCache = new MeetingInfoCache((id, bbb = this.bbb) => bbb.getMeetingInfo(id), {
      ...options.joinCache,
      refreshAheadMs: options.joinCache.ttlMs / 10,
    });
    this.sendJoinPassword = options.sendJoinPassword ?? false;
    this.createPolicy = options.createPolicy ?? EMPTY_CREATE_POLICY;
    this.events = options.events;
  }

  async createMeeting(caller: Caller, input: CreateMeetingInput, style: FieldStyle = 'camel'): Promise<CreatedMeeting> {
    const valid = validate(createMeetingSchema, input, style);
    const attendeePass = valid.attendeePass ?? generatePassword();
    let moderatorPass = valid.moderatorPass ?? generatePassword();
    while (moderatorPass === attendeePass) moderatorPass = generatePassword();
    const meetingId = randomBytes(16).toString('base64url');
    const typed = createOptionParams(valid);
    if (valid.maxParticipant != null) typed.unshift(['maxParticipants', String(valid.maxParticipant)]);
    if (valid.redirectAtLogout != null) typed.unshift(['logoutURL', valid.redirectAtLogout]);
    const passthrough = this.passthroughParams(valid.bbbParameters ?? [], typed, style);
    const options = applyCreatePolicy(this.createPolicy, [...typed, ...passthrough]);
    const record = options.find(([name]) => name === 'record')?.[1] === 'true';
    const meta: Record<string, string> = {};
    for (const { key, value } of valid.metadata ?? []) meta[key] = value;
    // The gateway's own keys last, so nothing an app sends can replace them (the schema refuses them anyway).
    meta[APP_META_KEY] = caller.app;
    meta[RECORD_META_KEY] = String(record);
    if (valid.waitingRoom != null && valid.waitingRoom !== 'NONE') meta[WAITING_ROOM_META_KEY] = valid.waitingRoom;
    // With events on, BBB's end and recording-ready callbacks are the gateway's (the app cannot set them: reserved keys).
    const callbacks = this.events?.register(caller.app, meetingId, record);
    const raw = await this.bbbOf(caller).create({
      meetingID: meetingId,
      name: valid.name,
      attendeePW: attendeePass,
      moderatorPW: moderatorPass,
      options: callbacks
        ? [...options.filter(([name]) => !callbacks.options.some(([own]) => own === name)), ...callbacks.options]
        : options,
      meta: callbacks ? { ...meta, ...callbacks.meta } : meta,
      ...(valid.presentations ? { presentations: valid.presentations.map(toDocument) } : {}),
    });
    if (callbacks) await this.events!.created(caller.app, raw.meetingID, callbacks.nonce, raw);
    return {
      meetingId: raw.meetingID,
      name: valid.name,
      attendeePass: raw.attendeePW || attendeePass,
      moderatorPass: raw.moderatorPW || moderatorPass,
      createTime: raw.createTime,
      createDate: raw.createDate,
      raw,
    };
  }

  /** `bbbParameters`: only names the operator listed in BBB_CREATE_PASSTHROUGH, and none a typed option already sets. */
  private passthroughParams(
    list: Array<{ name: string; value: string }>,
    typed: Array<[string, string]>,
    style: FieldStyle,
  ): Array<[string, string]> {
    const field = fieldName('bbbParameters', style);
    const seen = new Set<string>();
    return list.map(({ name, value }, i): [string, string] => {
      if (!this.createPolicy.passthrough.includes(name)) {
        throw badInput(
          `${field}.${i}.name ${name} is not a parameter this gateway passes through (${this.createPolicy.passthrough.length > 0 ? `allowed: ${this.createPolicy.passthrough.join(', ')}` : 'the operator allowed none; see BBB_CREATE_PASSTHROUGH'}).`,
        );
      }
      if (typed.some(([n]) => n === name))
        throw badInput(`${field}.${i}.name ${name} is already set by a typed option; send it only once.`);
      if (seen.has(name)) throw badInput(`${field}.${i}.name ${name} is listed twice.`);
      seen.add(name);
      return [name, value];
    });
  }

  /**
   * A signed BBB join URL. The role the app decided (an access token's pinned role too) or the password decides the role;
   * the createTime must be the running meeting's, so a link for a meeting that was ended and re-created under the same ID
   * stops working.
   */
  async joinUrl(caller: Caller, input: JoinMeetingInput, style: FieldStyle = 'camel'): Promise<string> {
    const valid = validate(joinMeetingSchema, input, style);
    const info = await this.visibleInfo(caller, valid.meetingId, valid.createTime);
    // The app holds the token and decides the role (BBB 3.0's way); or the password decides it, as it always did.
    const role: BbbRole | undefined = valid.role ?? roleForPassword(valid.password!, info);
    if (role === undefined) {
      throw new GatewayError(
        'FORBIDDEN',
        'The password matches neither the moderator nor the attendee password of this meeting.',
      );
    }
    if (info.createTime !== valid.createTime) {
      // Only an earlier createTime can be an earlier session's; a later one never belonged to this meeting.
      const later = CREATE_TIME_PATTERN.test(info.createTime) && BigInt(valid.createTime) > BigInt(info.createTime);
      throw new GatewayError(
        'CONFLICT',
        later
          ? 'The createTime does not match the running meeting, and no earlier session of it had this createTime either (it is later than the running one). Use the createTime the create call returned.'
          : 'The createTime does not match the running meeting: it was ended and created again since this createTime was issued. Use the createTime of the current meeting.',
      );
    }
    return this.bbbOf(caller).joinUrl({
      meetingID: valid.meetingId,
      fullName: valid.name,
      role,
      createTime: info.createTime,
      userID: valid.userId ?? undefined,
      avatarURL: valid.avatar ?? undefined,
      guest: joinsAsGuest(waitingRoomOf(info.metadata), role, valid.isGuest === true) ? true : undefined,
      password: this.sendJoinPassword
        ? (valid.password ?? (role === 'MODERATOR' ? info.moderatorPW : info.attendeePW)) || undefined
        : undefined,
      errorRedirectUrl: valid.errorRedirectUrl ?? undefined,
      enforceLayout: valid.enforceLayout ?? undefined,
      excludeFromDashboard: valid.excludeFromDashboard ?? undefined,
      userdata:
        valid.userdata && valid.userdata.length > 0
          ? valid.userdata.map(({ key, value }): [string, string] => [key, value])
          : undefined,
    });
  }

  /** The meeting's live details, or NOT_FOUND when it is unknown, ended, or belongs to another app. */
  async getMeeting(caller: Caller, meetingId: string): Promise<MeetingInfo> {
    const { meetingId: id } = validate(meetingIdArgSchema, { meetingId }, 'camel');
    return this.visibleInfo(caller, id, undefined, { fresh: true });
  }

  /**
   * Every meeting on the server this caller may see. Behind Scalelite with GET_MEETINGS_API_DISABLED the list is empty:
   * that is what Scalelite answers, and the gateway keeps no list of its own (it is stateless).
   */
  async listMeetings(caller: Caller): Promise<MeetingInfo[]> {
    const all = await this.bbbOf(caller).getMeetings();
    return all.filter((m) => !m.hasBeenForciblyEnded && isVisible(caller, m));
  }

  /** Slides for a running meeting of this app (BBB's insertDocument). */
  async insertDocument(caller: Caller, input: InsertDocumentInput, style: FieldStyle = 'camel'): Promise<void> {
    const valid = validate(insertDocumentSchema, input, style);
    await this.visibleInfo(caller, valid.meetingId, undefined, { fresh: true });
    // A meeting that ended since is BBB's notFound, answered NOT_FOUND about the meeting by errors.ts.
    await this.bbbOf(caller).insertDocument(valid.meetingId, valid.presentations.map(toDocument));
  }

  /** A chat message from the server into a running meeting of this app (BBB 3.0's sendChatMessage). */
  async sendChatMessage(caller: Caller, input: SendChatMessageInput, style: FieldStyle = 'camel'): Promise<void> {
    const valid = validate(sendChatMessageSchema, input, style);
    await this.visibleInfo(caller, valid.meetingId, undefined, { fresh: true });
    try {
      await this.bbbOf(caller).sendChatMessage(valid.meetingId, valid.message, valid.userName ?? undefined);
    } catch (err) {
      // BBB before 3.0 has no such route (a Spring 404); Scalelite answers unsupportedRequest for it (bbb-api.md §7).
      if (
        (err instanceof BbbProtocolError && err.statusCode === 404) ||
        (err instanceof BbbFailedError && err.messageKey === 'unsupportedRequest')
      ) {
        throw new GatewayError(
          'BBB_ERROR',
          'sendChatMessage needs BigBlueButton 3.0: the configured server (or load balancer) does not have this call.',
          { cause: err },
        );
      }
      throw err;
    }
  }

  async endMeeting(caller: Caller, meetingId: string): Promise<void> {
    const { meetingId: id } = validate(meetingIdArgSchema, { meetingId }, 'camel');
    const info = await this.visibleInfo(caller, id, undefined, { fresh: true });
    try {
      await this.bbbOf(caller).end(id);
      // The gateway knows first: BBB's end callback for this session gives the same event ID, so one event.
      await this.events?.endedByGateway(id, info);
    } finally {
      this.infoCache.invalidate(id);
    }
  }

  private bbbOf(caller: Caller): BbbClient {
    return this.bbbFor ? this.bbbFor(caller) : this.bbb;
  }

  private async visibleInfo(
    caller: Caller,
    meetingId: string,
    expectCreateTime?: string,
    opts?: { fresh?: boolean },
  ): Promise<MeetingInfo> {
    let info: MeetingInfo;
    const bbb = this.bbbOf(caller);
    try {
      info = opts?.fresh
        ? await bbb.getMeetingInfo(meetingId)
        : await this.infoCache.get(meetingId, expectCreateTime, bbb);
    } catch (err) {
      if (err instanceof BbbNotFoundError) this.infoCache.invalidate(meetingId);
      throw err;
    }
    // Another app's meeting is reported exactly like a missing one, so IDs cannot be probed across apps.
    if (!isVisible(caller, info)) throw meetingNotFound();
    // BBB keeps an ended meeting for a few seconds before forgetting it (bbb-api.md §6); for callers it is gone already.
    if (info.hasBeenForciblyEnded) {
      this.infoCache.invalidate(meetingId);
      throw meetingNotFound();
    }
    return info;
  }
}

/**
 * The createMeeting options as BBB create parameters, under BBB's own names and in BBB's spelling of values (booleans
 * `true`/`false`, minutes as whole numbers, features comma-separated). Only what the app set is sent: BBB's and the
 * operator's defaults apply to the rest.
 */
function createOptionParams(v: ValidCreateMeeting): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const put = (name: string, value: boolean | number | string | null | undefined) => {
    if (value !== null && value !== undefined) out.push([name, String(value)]);
  };
  put('record', v.record);
  put('autoStartRecording', v.autoStartRecording);
  put('allowStartStopRecording', v.allowStartStopRecording);
  put('notifyRecordingIsOn', v.notifyRecordingIsOn);
  put('welcome', v.welcome);
  put('moderatorOnlyMessage', v.moderatorOnlyMessage);
  put('bannerText', v.bannerText);
  put('duration', v.durationMinutes);
  put('muteOnStart', v.muteOnStart);
  put('webcamsOnlyForModerator', v.webcamsOnlyForModerator);
  put('endWhenNoModerator', v.endWhenNoModerator);
  put('endWhenNoModeratorDelayInMinutes', v.endWhenNoModeratorDelayMinutes);
  put('meetingExpireIfNoUserJoinedInMinutes', v.meetingExpireIfNoUserJoinedMinutes);
  put('meetingLayout', v.meetingLayout);
  if (v.lockSettings) {
    for (const [key, value] of Object.entries(v.lockSettings))
      put(`lockSettings${key[0]!.toUpperCase()}${key.slice(1)}`, value);
  }
  if (v.disabledFeatures && v.disabledFeatures.length > 0)
    put('disabledFeatures', [...new Set(v.disabledFeatures)].join(','));
  // Both waiting rooms need BBB to ask a moderator; who waits is decided per join (guest=true), see joinUrl.
  if (v.waitingRoom != null) put('guestPolicy', v.waitingRoom === 'NONE' ? 'ALWAYS_ACCEPT' : 'ASK_MODERATOR');
  return out;
}

function toDocument(p: NonNullable<ValidCreateMeeting['presentations']>[number]): PresentationDocument {
  return {
    url: p.url,
    ...(p.filename != null ? { filename: p.filename } : {}),
    ...(p.downloadable != null ? { downloadable: p.downloadable } : {}),
    ...(p.current != null ? { current: p.current } : {}),
  };
}

/**
 * Whether a join carries `guest=true`. BBB holds back only joins marked as guests (with its shipped settings), so the
 * waiting room is made here: every viewer of an ALL_VIEWERS meeting, and every isGuest join of a GUESTS meeting.
 * Moderators of a meeting with a waiting room never wait. Without a waiting room isGuest is passed on as before.
 */
function joinsAsGuest(waitingRoom: 'NONE' | 'GUESTS' | 'ALL_VIEWERS', role: BbbRole, isGuest: boolean): boolean {
  if (waitingRoom === 'NONE') return isGuest;
  if (role === 'MODERATOR') return false;
  return waitingRoom === 'ALL_VIEWERS' || isGuest;
}

/** 16 URL-safe characters from 96 random bits; well inside BBB's 2-64. */
function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Compares the presented password with both of the meeting's passwords in constant time (digests of equal length, both
 * always compared), so neither timing nor which comparison ran says anything about the passwords.
 */
function roleForPassword(
  presented: string,
  info: Pick<MeetingInfo, 'moderatorPW' | 'attendeePW'>,
): BbbRole | undefined {
  const p = sha256(presented);
  const known = passwordDigests(info);
  const isModerator = known.moderator !== undefined && constantTimeEqual(p, known.moderator);
  const isAttendee = known.attendee !== undefined && constantTimeEqual(p, known.attendee);
  if (isModerator) return 'MODERATOR';
  if (isAttendee) return 'VIEWER';
  return undefined;
}

interface PasswordDigests {
  moderatorPW: string;
  attendeePW: string;
  moderator: Uint8Array | undefined;
  attendee: Uint8Array | undefined;
}

// One cached MeetingInfo answers every join of a burst: its two passwords are hashed once, not on every join.
const digestsByInfo = new WeakMap<object, PasswordDigests>();

function passwordDigests(info: Pick<MeetingInfo, 'moderatorPW' | 'attendeePW'>): PasswordDigests {
  const cached = digestsByInfo.get(info);
  if (cached !== undefined && cached.moderatorPW === info.moderatorPW && cached.attendeePW === info.attendeePW)
    return cached;
  const fresh: PasswordDigests = {
    moderatorPW: info.moderatorPW,
    attendeePW: info.attendeePW,
    moderator: info.moderatorPW === '' ? undefined : keptDigest(info.moderatorPW),
    attendee: info.attendeePW === '' ? undefined : keptDigest(info.attendeePW),
  };
  digestsByInfo.set(info, fresh);
  return fresh;
}

/** A digest that lives as long as its cache entry: 32 bytes of its own, not a slice that holds a pool's 8 KB (secrets.ts). */
function keptDigest(password: string): Uint8Array {
  return new Uint8Array(sha256(password));
}
