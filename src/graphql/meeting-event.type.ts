import { Field, ID, InterfaceType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { EVENT_TYPES, type EventType, type GatewayEvent, type MeetingSummaryData } from '../events/types.js';
import { PageInfo, pageInfoOf } from './recording.type.js';

/** The webhook types in GraphQL's capitals; the values are the webhook `type`s, so they pass to the log unchanged. */
export enum MeetingEventType {
  MEETING_CREATED = 'meeting.created',
  MEETING_ENDED = 'meeting.ended',
  RECORDING_READY = 'recording.ready',
  MEETING_SUMMARY = 'meeting.summary',
}
registerEnumType(MeetingEventType, {
  name: 'MeetingEventType',
  description: 'The kinds of meeting event; each is also a webhook `type` (`MEETING_ENDED` is `meeting.ended`).',
});

@InterfaceType({
  description:
    "Something that happened to one of your application's meetings. `id` is the webhook's `webhook-id`: pass it as `after` to resume after it.",
})
export abstract class MeetingEvent {
  @Field(() => ID, { description: 'The event ID, the same as the `webhook-id` of its webhook.' })
  id!: string;

  @Field(() => MeetingEventType, { description: 'What happened.' })
  type!: MeetingEventType;

  @Field(() => DateTimeResolver, { description: 'When it happened (or when the gateway learnt of it).' })
  occurredAt!: Date;

  @Field(() => ID, { description: 'The meeting (your meetingId).' })
  meetingId!: string;
}

@ObjectType({ implements: MeetingEvent, description: 'createMeeting created the meeting on BigBlueButton.' })
class MeetingCreatedEvent extends MeetingEvent {
  @Field(() => String, { nullable: true, description: "BigBlueButton's internal ID of this meeting session." })
  internalMeetingId!: string | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When BigBlueButton created it (its createTime), when it reported a readable one.',
  })
  createdAt!: Date | null;
}

@ObjectType({
  implements: MeetingEvent,
  description: 'The meeting ended: endMeeting, the last participant left, or BigBlueButton ended it.',
})
class MeetingEndedEvent extends MeetingEvent {
  @Field(() => String, {
    nullable: true,
    description:
      "BigBlueButton's internal ID of the session, when known (endMeeting knows it; BBB's callback does not).",
  })
  internalMeetingId!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether recording marks were set, when BigBlueButton says so; null when it does not.',
  })
  recordingMarks!: boolean | null;
}

@ObjectType({ implements: MeetingEvent, description: 'A recording of the meeting is published and can be played.' })
class RecordingReadyEvent extends MeetingEvent {
  @Field(() => ID, { description: 'The recording, as recordings(…) lists it.' })
  recordId!: string;

  @Field(() => String, { nullable: true, description: "BigBlueButton's internal ID of the recorded session." })
  internalMeetingId!: string | null;
}

@ObjectType({ description: "One participant's activity in a meeting summary." })
class AttendeeEngagement {
  @Field(() => Int, { description: 'Chat messages sent.' })
  chats!: number;

  @Field(() => Int, { description: 'Times the participant started talking.' })
  talks!: number;

  @Field(() => Int, { description: 'Hands raised.' })
  raiseHands!: number;

  @Field(() => Int, { description: 'Emojis (reactions) set.' })
  emojis!: number;

  @Field(() => Int, { description: 'Poll votes.' })
  pollVotes!: number;

  @Field(() => Int, { description: 'Talk time in seconds.' })
  talkTimeSeconds!: number;
}

@ObjectType({ description: 'A participant of a summarised meeting.' })
class MeetingAttendee {
  @Field(() => String, { nullable: true, description: 'The userId your application gave on join, if any.' })
  userId!: string | null;

  @Field({ description: 'The name shown in the meeting.' })
  name!: string;

  @Field({ description: 'Whether the participant was a moderator.' })
  moderator!: boolean;

  @Field(() => Int, { description: 'Time spent in the meeting, in seconds.' })
  durationSeconds!: number;

  @Field(() => [DateTimeResolver], { description: 'When the participant joined (each time).' })
  joins!: Date[];

  @Field(() => [DateTimeResolver], { description: 'When the participant left (each time).' })
  leaves!: Date[];

  @Field(() => AttendeeEngagement, { description: 'What the participant did.' })
  engagement!: AttendeeEngagement;
}

@ObjectType({
  implements: MeetingEvent,
  description:
    "BigBlueButton's summary of a finished meeting (its analytics callback): who attended, how long, what they did.",
})
class MeetingSummaryEvent extends MeetingEvent {
  @Field(() => String, { nullable: true, description: "BigBlueButton's internal ID of the session." })
  internalMeetingId!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the meeting started.' })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the meeting ended.' })
  endedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'How long the meeting lasted, in seconds.' })
  durationSeconds!: number | null;

  @Field(() => [MeetingAttendee], { description: 'Everyone who attended.' })
  attendees!: MeetingAttendee[];

  @Field(() => Int, { description: 'Polls held.' })
  pollCount!: number;

  @Field(() => Int, { description: 'Presentation files uploaded.' })
  fileCount!: number;
}

@ObjectType({ description: 'One event in a page, with the cursor (its id) to continue after it.' })
export class MeetingEventEdge {
  @Field({ description: "The event's id (its `webhook-id`); pass it as `after` to get the events that follow it." })
  cursor!: string;

  @Field(() => MeetingEvent, { description: 'The event.' })
  node!: MeetingEvent;
}

@ObjectType({ description: 'A page of your meeting events, oldest first (Relay cursor connection).' })
export class MeetingEventConnection {
  @Field(() => [MeetingEventEdge], { description: 'The events of this page, each with its cursor.' })
  edges!: MeetingEventEdge[];

  @Field(() => [MeetingEvent], { description: 'The events of this page.' })
  nodes!: MeetingEvent[];

  @Field(() => PageInfo, { description: 'Whether more events follow, and the cursor to get them.' })
  pageInfo!: PageInfo;

  static from(events: readonly GatewayEvent[], hasNextPage: boolean, after: boolean): MeetingEventConnection {
    const edges = events.map((e) => Object.assign(new MeetingEventEdge(), { cursor: e.id, node: meetingEventOf(e) }));
    const pageInfo = pageInfoOf(edges, hasNextPage, after);
    return Object.assign(new MeetingEventConnection(), { edges, nodes: edges.map((e) => e.node), pageInfo });
  }
}

type SummaryAttendee = MeetingSummaryData['attendees'][number];
/** A `meeting.summary` event's data (events/types.ts), read defensively: an event logged by an older replica may lack a field. */
type SummaryData = Partial<Omit<MeetingSummaryData, 'attendees'>> & {
  attendees?: Array<
    Partial<Omit<SummaryAttendee, 'engagement'>> & { engagement?: Partial<SummaryAttendee['engagement']> }
  >;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : 0);
const date = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};
const dates = (v: unknown): Date[] => (Array.isArray(v) ? v.map(date).filter((d): d is Date => d !== null) : []);

/** The typed GraphQL object for one logged event (the test event never enters the log). */
export function meetingEventOf(e: GatewayEvent): MeetingEvent {
  const d = e.data;
  const base = {
    id: e.id,
    type: e.type as EventType as MeetingEventType,
    occurredAt: new Date(e.timestamp),
    meetingId: String(d['meetingId'] ?? ''),
    internalMeetingId: str(d['internalMeetingId']),
  };
  switch (e.type) {
    case 'meeting.created':
      return Object.assign(new MeetingCreatedEvent(), base, { createdAt: date(d['createTime']) });
    case 'meeting.ended':
      return Object.assign(new MeetingEndedEvent(), base, {
        recordingMarks: typeof d['recordingMarks'] === 'boolean' ? d['recordingMarks'] : null,
      });
    case 'recording.ready':
      return Object.assign(new RecordingReadyEvent(), base, { recordId: String(d['recordId'] ?? '') });
    default: {
      const s = d as SummaryData;
      return Object.assign(new MeetingSummaryEvent(), base, {
        startedAt: date(s.startedAt),
        endedAt: date(s.endedAt),
        durationSeconds: typeof s.durationSeconds === 'number' ? Math.round(s.durationSeconds) : null,
        attendees: (Array.isArray(s.attendees) ? s.attendees : []).map((a) =>
          Object.assign(new MeetingAttendee(), {
            userId: str(a.userId),
            name: typeof a.name === 'string' ? a.name : '',
            moderator: a.moderator === true,
            durationSeconds: int(a.durationSeconds),
            joins: dates(a.joins),
            leaves: dates(a.leaves),
            engagement: Object.assign(new AttendeeEngagement(), {
              chats: int(a.engagement?.chats),
              talks: int(a.engagement?.talks),
              raiseHands: int(a.engagement?.raiseHands),
              emojis: int(a.engagement?.emojis),
              pollVotes: int(a.engagement?.pollVotes),
              talkTimeSeconds: int(a.engagement?.talkTimeSeconds),
            }),
          }),
        ),
        pollCount: int(s.pollCount),
        fileCount: int(s.fileCount),
      });
    }
  }
}

/** The log's types for a `types` argument; all of them when it is empty or absent. */
export function eventTypesOf(types: readonly MeetingEventType[] | null | undefined): EventType[] | undefined {
  if (types == null || types.length === 0) return undefined;
  return EVENT_TYPES.filter((t) => (types as readonly string[]).includes(t));
}
