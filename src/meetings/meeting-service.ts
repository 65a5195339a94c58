import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { BbbClient, BbbRole, CreateMeetingResult, MeetingInfo } from '../bbb/types.js';
import { BbbNotFoundError } from '../bbb/errors.js';
import { GatewayError, meetingNotFound } from '../errors.js';
import { MeetingInfoCache } from './meeting-info-cache.js';
import {
  createMeetingSchema,
  joinMeetingSchema,
  meetingIdSchema,
  validate,
  type CreateMeetingInput,
  type FieldStyle,
  type JoinMeetingInput,
} from './meeting-input.js';

/** Who is calling: the app name of the token, and whether the operator let it see every meeting on the server. */
export interface Caller {
  readonly app: string;
  readonly allMeetings: boolean;
}

/**
 * The metadata key that tags a meeting with the app that created it (sent as `meta_bbb-interface-app`; BBB stores keys
 * lowercased, and this one already is). The tag lives on the BBB server, so any gateway replica can enforce isolation.
 */
export const APP_META_KEY = 'bbb-interface-app';

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
  /** Reuse of getMeetingInfo on the join path; see MeetingInfoCache. */
  joinCache: { ttlMs: number; maxEntries: number };
  /** Also send the password on join, for BBB servers older than 2.4. Default false. */
  sendJoinPassword?: boolean;
}

/** Everything the GraphQL resolvers and the REST routes do with meetings goes through here. */
export class MeetingService {
  private readonly bbb: BbbClient;
  readonly infoCache: MeetingInfoCache;
  private readonly sendJoinPassword: boolean;

  constructor(options: MeetingServiceOptions) {
    this.bbb = options.bbb;
    this.infoCache = new MeetingInfoCache((id) => this.bbb.getMeetingInfo(id), options.joinCache);
    this.sendJoinPassword = options.sendJoinPassword ?? false;
  }

  async createMeeting(caller: Caller, input: CreateMeetingInput, style: FieldStyle = 'camel'): Promise<CreatedMeeting> {
    const valid = validate(createMeetingSchema, input, style);
    const attendeePass = valid.attendeePass ?? generatePassword();
    let moderatorPass = valid.moderatorPass ?? generatePassword();
    while (moderatorPass === attendeePass) moderatorPass = generatePassword();
    const meetingId = randomBytes(16).toString('base64url');
    const raw = await this.bbb.create({
      meetingID: meetingId,
      name: valid.name,
      attendeePW: attendeePass,
      moderatorPW: moderatorPass,
      maxParticipants: valid.maxParticipant ?? undefined,
      logoutURL: valid.redirectAtLogout ?? undefined,
      meta: { [APP_META_KEY]: caller.app },
    });
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

  /**
   * A signed BBB join URL. The password decides the role; the createTime must be the running meeting's, so a link for a
   * meeting that was ended and re-created under the same ID stops working.
   */
  async joinUrl(caller: Caller, input: JoinMeetingInput, style: FieldStyle = 'camel'): Promise<string> {
    const valid = validate(joinMeetingSchema, input, style);
    const info = await this.visibleInfo(caller, valid.meetingId, valid.createTime);
    const role = roleForPassword(valid.password, info);
    if (role === undefined) {
      throw new GatewayError('FORBIDDEN', 'The password matches neither the moderator nor the attendee password of this meeting.');
    }
    if (info.createTime !== valid.createTime) {
      throw new GatewayError(
        'CONFLICT',
        'The createTime does not match the running meeting: it was ended and created again since this createTime was issued. Use the createTime of the current meeting.',
      );
    }
    return this.bbb.joinUrl({
      meetingID: valid.meetingId,
      fullName: valid.name,
      role,
      createTime: info.createTime,
      userID: valid.userId ?? undefined,
      avatarURL: valid.avatar ?? undefined,
      guest: valid.isGuest === true ? true : undefined,
      password: this.sendJoinPassword ? valid.password : undefined,
    });
  }

  /** The meeting's live details, or NOT_FOUND when it is unknown, ended, or belongs to another app. */
  async getMeeting(caller: Caller, meetingId: string): Promise<MeetingInfo> {
    const id = validate(meetingIdSchema, meetingId, 'camel');
    return this.visibleInfo(caller, id, undefined, { fresh: true });
  }

  /** Every meeting on the server this caller may see. */
  async listMeetings(caller: Caller): Promise<MeetingInfo[]> {
    const all = await this.bbb.getMeetings();
    return all.filter((m) => isVisible(caller, m));
  }

  async endMeeting(caller: Caller, meetingId: string): Promise<void> {
    const id = validate(meetingIdSchema, meetingId, 'camel');
    await this.visibleInfo(caller, id, undefined, { fresh: true });
    try {
      await this.bbb.end(id);
    } catch (err) {
      if (err instanceof BbbNotFoundError) throw meetingNotFound();
      throw err;
    } finally {
      this.infoCache.invalidate(id);
    }
  }

  private async visibleInfo(caller: Caller, meetingId: string, expectCreateTime?: string, opts?: { fresh?: boolean }): Promise<MeetingInfo> {
    let info: MeetingInfo;
    try {
      info = opts?.fresh ? await this.bbb.getMeetingInfo(meetingId) : await this.infoCache.get(meetingId, expectCreateTime);
    } catch (err) {
      if (err instanceof BbbNotFoundError) {
        this.infoCache.invalidate(meetingId);
        throw meetingNotFound();
      }
      throw err;
    }
    // Another app's meeting is reported exactly like a missing one, so IDs cannot be probed across apps.
    if (!isVisible(caller, info)) throw meetingNotFound();
    return info;
  }
}

export function isVisible(caller: Caller, info: Pick<MeetingInfo, 'metadata'>): boolean {
  return caller.allMeetings || info.metadata[APP_META_KEY] === caller.app;
}

/** 16 URL-safe characters from 96 random bits; well inside BBB's 2-64. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Compares the presented password with both of the meeting's passwords in constant time (digests of equal length, both
 * always compared), so neither timing nor which comparison ran says anything about the passwords.
 */
export function roleForPassword(presented: string, info: Pick<MeetingInfo, 'moderatorPW' | 'attendeePW'>): BbbRole | undefined {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const p = digest(presented);
  const isModerator = info.moderatorPW !== '' && timingSafeEqual(p, digest(info.moderatorPW));
  const isAttendee = info.attendeePW !== '' && timingSafeEqual(p, digest(info.attendeePW));
  if (isModerator) return 'MODERATOR';
  if (isAttendee) return 'VIEWER';
  return undefined;
}
