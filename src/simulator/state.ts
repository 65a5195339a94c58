/**
 * The simulated bbb-web memory: meetings (keyed by internal ID, as BBB keys them), join sessions and recordings.
 * Time-based transitions (expiry, removal of ended meetings) are applied lazily by `sweep`, which every entry point
 * calls first: state is only observable through requests, and no timer can then outlive `close()`.
 */
import type { RecordingStateName, SeedRecording, SimRecording, SimulatedUser } from './types.js';
import { formatJavaDate } from './java-date.js';
import { randomLowerAlnum, randomPassword, randomVoiceBridge, sha1Hex } from './ids.js';

export interface Attendee {
  userID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  isPresenter: boolean;
  customdata: Array<[string, string]>;
  /** Epoch ms the client entered (the analytics callback's join time). */
  joinedAt: number;
}

/** One `<document>` of a presentation module, as BBB would fetch it. */
export interface SimDocument {
  url: string;
  filename: string;
  downloadable: boolean;
  current: boolean;
}

export interface Meeting {
  /** Every create parameter as received (checksum excluded), first value of each name. */
  params: Record<string, string>;
  /** Documents from create's XML body and from insertDocument. */
  documents: SimDocument[];
  isBreakout: boolean;
  /** Messages posted with sendChatMessage. */
  chat: Array<{ userName: string; message: string; at: number }>;
  /** The serverURL the meeting was created through, for the playback URLs of its recording. */
  origin: string;
  meetingID: string;
  internalMeetingID: string;
  name: string;
  attendeePW: string;
  moderatorPW: string;
  createTime: number;
  createDate: string;
  voiceBridge: string;
  dialNumber: string;
  /** Minutes; 0 is unlimited. */
  duration: number;
  maxParticipants: number;
  logoutURL: string;
  welcome: string;
  record: boolean;
  metadata: Array<[string, string]>;
  expireIfNoUserJoinedMs: number;
  startTime: number;
  endTime: number;
  hasUserJoined: boolean;
  attendees: Attendee[];
  /** External user IDs that went through join, for maxParticipants. */
  joinedUserIDs: Set<string>;
  /** Set once the meeting has ended (end call or expiry); it lingers as "forcibly ended" until removed. */
  endedAt?: number;
}

export interface JoinSession {
  sessionToken: string;
  authToken: string;
  internalUserID: string;
  externalUserID: string;
  fullName: string;
  role: 'MODERATOR' | 'VIEWER';
  internalMeetingID: string;
  customdata: Array<[string, string]>;
  /** The join carried guest=true. */
  guest?: boolean;
  /** WAIT until a moderator admits the guest (guestPolicy ASK_MODERATOR), then ALLOW. */
  guestStatus?: 'ALLOW' | 'WAIT';
}

export interface StateConfig {
  expireIfNoUserJoinedMs: number;
  endedMeetingLingerMs: number;
  timeZone: string;
  /** A new recording stays `processing` this long (the server publishes it); 0: published at once. */
  recordingProcessingMs?: number;
  /**
   * Told when a meeting ends (end call or expiry), with the attendees it had at the end, and when a recording was made of
   * it (callbacks.ts acts on these).
   */
  onEnded?: (meeting: Meeting, attendees: readonly Attendee[]) => void;
  onRecorded?: (meeting: Meeting, recording: SimRecording) => void;
}

export interface NewMeeting {
  params?: Record<string, string>;
  documents?: SimDocument[];
  isBreakout?: boolean;
  origin?: string;
  meetingID: string;
  name: string;
  attendeePW?: string;
  moderatorPW?: string;
  voiceBridge?: string;
  dialNumber?: string;
  duration: number;
  maxParticipants: number;
  logoutURL: string;
  welcome: string;
  record: boolean;
  metadata: Array<[string, string]>;
  expireIfNoUserJoinedMs?: number;
}

const DEFAULT_DIAL_NUMBER = '613-555-1234';

export class SimulatorState {
  readonly meetings = new Map<string, Meeting>();
  readonly sessions = new Map<string, JoinSession>();
  readonly recordings = new Map<string, SimRecording>();
  private lastCreateTime = 0;

  constructor(private readonly config: StateConfig) {}

  reset(): void {
    this.meetings.clear();
    this.sessions.clear();
    this.recordings.clear();
  }

  /** Ends meetings whose timers ran out and removes ended meetings whose linger window is over. */
  sweep(now: number): void {
    for (const meeting of this.meetings.values()) {
      if (meeting.endedAt === undefined) {
        const expiry = this.expiryOf(meeting);
        if (expiry !== undefined && now >= expiry) this.markEnded(meeting, expiry);
      }
      if (meeting.endedAt !== undefined && now >= meeting.endedAt + this.config.endedMeetingLingerMs) {
        this.remove(meeting);
      }
    }
  }

  private expiryOf(meeting: Meeting): number | undefined {
    const candidates: number[] = [];
    // 0 disables the timer, as BBB's 0 does for its expiry properties.
    if (!meeting.hasUserJoined && meeting.expireIfNoUserJoinedMs > 0) {
      candidates.push(meeting.createTime + meeting.expireIfNoUserJoinedMs);
    }
    if (meeting.duration > 0) candidates.push(meeting.createTime + meeting.duration * 60_000);
    return candidates.length ? Math.min(...candidates) : undefined;
  }

  private markEnded(meeting: Meeting, at: number): void {
    meeting.endedAt = at;
    meeting.endTime = at;
    const present = meeting.attendees;
    meeting.attendees = [];
    // BBB records only a meeting created with record=true that somebody joined; processing is instant here.
    // BBB calls the end URL at once; the recording follows (after processing).
    this.config.onEnded?.(meeting, present);
    if (meeting.record && meeting.hasUserJoined) this.recordEnded(meeting, at);
  }

  private recordEnded(meeting: Meeting, at: number): void {
    const metadata = Object.fromEntries(meeting.metadata);
    const rec = this.seedRecording(
      {
        meetingID: meeting.meetingID,
        name: meeting.name,
        startTime: meeting.startTime,
        endTime: at,
        participants: meeting.joinedUserIDs.size,
        isBreakout: meeting.isBreakout,
        metadata: {},
      },
      meeting.origin,
      at,
    );
    // seedRecording derives the recordID from startTime; BBB's recordID is the session's internalMeetingID.
    const stored = this.recordings.get(rec.recordID)!;
    this.recordings.delete(rec.recordID);
    stored.recordID = meeting.internalMeetingID;
    stored.internalMeetingID = meeting.internalMeetingID;
    stored.metadata = { ...metadata, ...stored.metadata };
    if ((this.config.recordingProcessingMs ?? 0) > 0) {
      stored.state = 'processing';
      stored.published = false;
    }
    this.recordings.set(stored.recordID, stored);
    this.config.onRecorded?.(meeting, stored);
  }

  /** The end of processing: a recording still `processing` becomes `published`; false if it is gone or was changed. */
  publishProcessed(recordID: string): boolean {
    const r = this.recordings.get(recordID);
    if (!r || r.state !== 'processing') return false;
    r.state = 'published';
    r.published = true;
    return true;
  }

  /** When the next meeting expires (epoch ms), for the server's expiry timer. */
  nextExpiry(): number | undefined {
    const times = [...this.meetings.values()]
      .filter((m) => m.endedAt === undefined)
      .map((m) => this.expiryOf(m))
      .filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  private remove(meeting: Meeting): void {
    this.meetings.delete(meeting.internalMeetingID);
    for (const [token, session] of this.sessions) {
      if (session.internalMeetingID === meeting.internalMeetingID) this.sessions.delete(token);
    }
  }

  /** BBB's `getNotEndedMeetingWithId`. */
  findActive(meetingID: string): Meeting | undefined {
    for (const meeting of this.meetings.values()) {
      if (meeting.meetingID === meetingID && meeting.endedAt === undefined) return meeting;
    }
    return undefined;
  }

  /** The not-ended meeting, or else one that ended and still lingers in memory. */
  findAny(meetingID: string): Meeting | undefined {
    const active = this.findActive(meetingID);
    if (active) return active;
    let latest: Meeting | undefined;
    for (const meeting of this.meetings.values()) {
      if (meeting.meetingID === meetingID && (!latest || meeting.createTime > latest.createTime)) latest = meeting;
    }
    return latest;
  }

  /**
   * What getMeetingInfo, end, isMeetingRunning and join look a meeting up by: the external meetingID, or else the
   * internal ID or a prefix of it (BBB's MeetingService falls back to the internal ID). Prefers a not-ended meeting.
   */
  lookup(id: string): Meeting | undefined {
    const byExternal = this.findAny(id);
    if (byExternal) return byExternal;
    let found: Meeting | undefined;
    for (const meeting of this.meetings.values()) {
      if (meeting.internalMeetingID === id || (id.length >= 40 && meeting.internalMeetingID.startsWith(id))) {
        if (
          !found ||
          (found.endedAt !== undefined && meeting.endedAt === undefined) ||
          meeting.createTime > found.createTime
        )
          found = meeting;
      }
    }
    return found;
  }

  /** lookup() restricted to meetings that have not ended. */
  lookupActive(id: string): Meeting | undefined {
    const m = this.lookup(id);
    return m && m.endedAt === undefined ? m : this.findActive(id);
  }

  activeMeetings(): Meeting[] {
    return [...this.meetings.values()]
      .filter((m) => m.endedAt === undefined)
      .sort((a, b) => a.createTime - b.createTime);
  }

  voiceBridgeInUse(voiceBridge: string): boolean {
    return this.activeMeetings().some((m) => m.voiceBridge === voiceBridge);
  }

  private freeVoiceBridge(): string {
    for (;;) {
      const candidate = randomVoiceBridge();
      if (!this.voiceBridgeInUse(candidate)) return candidate;
    }
  }

  create(input: NewMeeting, now: number): Meeting {
    // Two creates in one millisecond would otherwise share an internalMeetingID.
    const createTime = Math.max(now, this.lastCreateTime + 1);
    this.lastCreateTime = createTime;
    const meeting: Meeting = {
      params: input.params ?? {},
      documents: input.documents ?? [],
      isBreakout: input.isBreakout ?? false,
      chat: [],
      origin: input.origin ?? '',
      meetingID: input.meetingID,
      internalMeetingID: `${sha1Hex(input.meetingID)}-${createTime}`,
      name: input.name,
      attendeePW: input.attendeePW || randomPassword(),
      moderatorPW: input.moderatorPW || randomPassword(),
      createTime,
      createDate: formatJavaDate(createTime, this.config.timeZone),
      voiceBridge: input.voiceBridge || this.freeVoiceBridge(),
      dialNumber: input.dialNumber || DEFAULT_DIAL_NUMBER,
      duration: input.duration,
      maxParticipants: input.maxParticipants,
      logoutURL: input.logoutURL,
      welcome: input.welcome,
      record: input.record,
      metadata: input.metadata,
      expireIfNoUserJoinedMs: input.expireIfNoUserJoinedMs ?? this.config.expireIfNoUserJoinedMs,
      // akka-apps reports MeetingStarted a few tens of milliseconds after create.
      startTime: createTime + 38,
      endTime: 0,
      hasUserJoined: false,
      attendees: [],
      joinedUserIDs: new Set(),
    };
    this.meetings.set(meeting.internalMeetingID, meeting);
    return meeting;
  }

  end(meeting: Meeting, now: number): void {
    if (meeting.endedAt === undefined) this.markEnded(meeting, now);
    this.sweep(now);
  }

  registerSession(
    meeting: Meeting,
    user: Omit<JoinSession, 'sessionToken' | 'authToken' | 'internalMeetingID'>,
  ): JoinSession {
    const session: JoinSession = {
      ...user,
      sessionToken: randomLowerAlnum(16),
      authToken: randomLowerAlnum(12),
      internalMeetingID: meeting.internalMeetingID,
    };
    meeting.joinedUserIDs.add(user.externalUserID);
    this.sessions.set(session.sessionToken, session);
    return session;
  }

  /** Sessions of a meeting still waiting for a moderator. */
  waitingGuests(meeting: Meeting): JoinSession[] {
    return [...this.sessions.values()].filter(
      (s) => s.internalMeetingID === meeting.internalMeetingID && s.guestStatus === 'WAIT',
    );
  }

  /** A moderator lets a waiting guest in; false when the token is not a waiting guest. */
  admit(sessionToken: string): boolean {
    const session = this.sessions.get(sessionToken);
    if (!session || session.guestStatus !== 'WAIT') return false;
    session.guestStatus = 'ALLOW';
    return true;
  }

  /** The HTML5 client connected: the user is an attendee and the meeting runs. */
  addAttendee(
    meeting: Meeting,
    user: SimulatedUser & { customdata?: Array<[string, string]> },
    now = Date.now(),
  ): Attendee {
    const userID = user.userID || `w_${randomLowerAlnum(12)}`;
    meeting.joinedUserIDs.add(userID);
    const existing = meeting.attendees.find((a) => a.userID === userID);
    if (existing) return existing;
    // BBB makes the first moderator in the room the presenter.
    const isPresenter = user.role === 'MODERATOR' && !meeting.attendees.some((a) => a.isPresenter);
    const attendee: Attendee = {
      userID,
      fullName: user.fullName,
      role: user.role,
      isPresenter,
      customdata: user.customdata ?? [],
      joinedAt: now,
    };
    meeting.attendees.push(attendee);
    meeting.hasUserJoined = true;
    return attendee;
  }

  seedRecording(seed: SeedRecording, origin: string, now: number): SimRecording {
    const startTime = seed.startTime ?? now - 3_600_000;
    const endTime = seed.endTime ?? startTime + 1_800_000;
    const internalMeetingID = `${sha1Hex(seed.meetingID)}-${startTime}`;
    const state: RecordingStateName = seed.state ?? (seed.published === false ? 'unpublished' : 'published');
    const isBreakout = seed.isBreakout ?? false;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(seed.metadata ?? {})) {
      // The same rule create applies to meta_ names; anything else could not be an XML element name.
      if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test(k))
        throw new Error(`seedRecording: metadata key "${k}" is not a valid BBB meta name.`);
      metadata[k.toLowerCase()] = v;
    }
    // BBB's recording scripts add these three to whatever the create call carried.
    metadata['isBreakout'] ??= String(isBreakout);
    metadata['meetingName'] ??= seed.name;
    metadata['meetingId'] ??= seed.meetingID;
    const lengthMinutes = Math.max(0, Math.round((endTime - startTime) / 60_000));
    const formats = (seed.formats ?? [{ type: 'presentation' }]).map((f) => ({
      type: f.type,
      url: f.url ?? `${origin}/playback/${f.type}/2.3/${internalMeetingID}`,
      processingTime: f.processingTime ?? 7177,
      length: f.length ?? lengthMinutes,
      preview:
        f.preview ??
        (f.type === 'presentation'
          ? ['Welcome', 'Agenda', 'Questions'].map((alt, i) => ({
              url: `${origin}/presentation/${internalMeetingID}/presentation/${sha1Hex(`${internalMeetingID}/slides`)}-${startTime + 10}/thumbnails/thumb-${i + 1}.png`,
              width: 176,
              height: 136,
              alt,
            }))
          : []),
    }));
    const recording: SimRecording = {
      recordID: internalMeetingID,
      meetingID: seed.meetingID,
      internalMeetingID,
      name: seed.name,
      isBreakout,
      published: seed.published ?? state === 'published',
      state,
      startTime,
      endTime,
      participants: seed.participants ?? 1,
      metadata,
      formats,
    };
    this.recordings.set(recording.recordID, recording);
    return structuredClone(recording);
  }
}
