import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import type { PlaybackFormat as BbbPlaybackFormat, PlaybackImage, Recording as BbbRecording } from '../bbb/types.js';
import type { RecordingEdge as ServiceEdge, RecordingPage } from '../recordings/recording-service.js';
import { withoutCallbackKeys } from '../isolation.js';
import { MetadataEntry } from './meeting.type.js';

/** GraphQL names in capitals; the values are BBB's own state words, so they pass to the adapter unchanged. */
export enum RecordingState {
  PROCESSING = 'processing',
  PROCESSED = 'processed',
  PUBLISHED = 'published',
  UNPUBLISHED = 'unpublished',
  DELETED = 'deleted',
}
registerEnumType(RecordingState, {
  name: 'RecordingState',
  description: "Where a recording is in BigBlueButton's pipeline.",
  valuesConfig: {
    PROCESSING: { description: 'The meeting has ended and BigBlueButton is still building the recording.' },
    PROCESSED: { description: 'Built, but not yet published or unpublished.' },
    PUBLISHED: { description: 'Viewable through its playback URLs.' },
    UNPUBLISHED: { description: 'Kept on the server, but its playback URLs do not work until it is published again.' },
    DELETED: { description: 'Deleted; listed only when asked for with states: [DELETED].' },
  },
});

const STATES = new Set<string>(Object.values(RecordingState));

@ObjectType({ description: 'A preview image (slide thumbnail) of a playback format.' })
export class PreviewImage {
  @Field(() => URLResolver, { description: 'Where the image is served.' })
  url!: string;

  @Field(() => Int, { nullable: true, description: 'Width in pixels, when BigBlueButton reports it.' })
  width!: number | null;

  @Field(() => Int, { nullable: true, description: 'Height in pixels, when BigBlueButton reports it.' })
  height!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Alternative text (usually the slide title), when BigBlueButton reports it.',
  })
  alt!: string | null;
}

@ObjectType({ description: 'One way to play a recording back, e.g. `presentation` or `video`.' })
export class PlaybackFormat {
  @Field({
    description:
      "The format's name as BigBlueButton reports it, e.g. `presentation`, `video`, `podcast`, `screenshare`.",
  })
  type!: string;

  @Field(() => URLResolver, {
    description: 'Where the recording plays in this format. It works only while the recording is PUBLISHED.',
  })
  url!: string;

  @Field(() => Int, { description: 'Length of the recording in minutes, as BigBlueButton reports it.' })
  lengthMinutes!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'How long BigBlueButton took to build this format, in milliseconds, when reported.',
  })
  processingTimeMs!: number | null;

  @Field(() => [PreviewImage], { description: 'Preview images (slide thumbnails); empty when the format has none.' })
  previewImages!: PreviewImage[];
}

@ObjectType({
  description: 'A recording of a meeting of your application, as BigBlueButton (or Scalelite) reports it.',
})
export class Recording {
  @Field(() => ID, {
    description:
      "The recording's ID. Use it with publishRecordings, unpublishRecordings, deleteRecordings and updateRecordingMetadata.",
  })
  recordId!: string;

  @Field(() => ID, { description: 'The meetingId of the meeting that was recorded.' })
  meetingId!: string;

  @Field({
    description: "BigBlueButton's internal ID of the recorded session (one meetingId can have several sessions).",
  })
  internalMeetingId!: string;

  @Field({ description: "The meeting's name at the time of recording." })
  name!: string;

  @Field(() => RecordingState, { description: "Where the recording is in BigBlueButton's pipeline." })
  state!: RecordingState;

  @Field({ description: 'True when the playback URLs work.' })
  published!: boolean;

  @Field({ description: 'True when the recording is of a breakout room.' })
  isBreakout!: boolean;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When recording started; null when the server reports no time.',
  })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When recording ended; null when the server reports no time.',
  })
  endedAt!: Date | null;

  @Field(() => Int, { description: 'How many people took part in the recorded meeting.' })
  participants!: number;

  @Field(() => [MetadataEntry], {
    description:
      "The recording's metadata: what the meeting was created with (including `bbb-interface-app`, without the gateway's callback keys), `meetingId`, `meetingName` and `isBreakout` added by BigBlueButton, and what updateRecordingMetadata set.",
  })
  metadata!: MetadataEntry[];

  @Field(() => [PlaybackFormat], { description: 'The formats the recording can be played back in.' })
  formats!: PlaybackFormat[];

  static from(r: BbbRecording): Recording {
    return Object.assign(new Recording(), {
      recordId: r.recordID,
      meetingId: r.meetingID,
      internalMeetingId: r.internalMeetingID,
      name: r.name,
      state: toState(r),
      published: r.published,
      isBreakout: r.isBreakout,
      startedAt: epochMs(r.startTime),
      endedAt: epochMs(r.endTime),
      participants: r.participants,
      metadata: Object.entries(withoutCallbackKeys(r.metadata)).map(([key, value]) =>
        Object.assign(new MetadataEntry(), { key, value }),
      ),
      // A format or image without an absolute URL cannot be played or shown, and the URL scalar would fail the whole list.
      formats: r.playback.filter((f) => isAbsoluteUrl(f.url)).map(toFormat),
    });
  }
}

@ObjectType({ description: 'One recording in a page, with the cursor to continue after it.' })
export class RecordingEdge {
  @Field({ description: 'Opaque cursor of this recording; pass it as `after` to get the recordings that follow it.' })
  cursor!: string;

  @Field(() => Recording, { description: 'The recording.' })
  node!: Recording;
}

@ObjectType({ description: 'Where a page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when more recordings follow; ask again with after: endCursor.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when this page was asked for with `after`, so recordings come before it.' })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first recording of this page; null when the page is empty.',
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Cursor of the last recording of this page; pass it as `after` for the next page. Null when the page is empty.',
  })
  endCursor!: string | null;
}

/** A page's PageInfo from its edges (each with its cursor). */
export function pageInfoOf(
  edges: ReadonlyArray<{ cursor: string }>,
  hasNextPage: boolean,
  hasPreviousPage: boolean,
): PageInfo {
  return Object.assign(new PageInfo(), {
    hasNextPage,
    hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  });
}

@ObjectType({
  description:
    "A page of recordings (Relay cursor connection). Use `nodes` for the recordings alone, `edges` for each one's cursor.",
})
export class RecordingConnection {
  @Field(() => [RecordingEdge], { description: 'The recordings of this page, each with its cursor.' })
  edges!: RecordingEdge[];

  @Field(() => [Recording], { description: 'The recordings of this page.' })
  nodes!: Recording[];

  @Field(() => PageInfo, { description: 'Whether more recordings follow, and the cursor to get them.' })
  pageInfo!: PageInfo;

  static from(page: RecordingPage): RecordingConnection {
    const edges = page.edges.map((e: ServiceEdge) =>
      Object.assign(new RecordingEdge(), { cursor: e.cursor, node: Recording.from(e.recording) }),
    );
    const pageInfo = pageInfoOf(edges, page.hasNextPage, page.hasPreviousPage);
    return Object.assign(new RecordingConnection(), { edges, nodes: edges.map((e) => e.node), pageInfo });
  }
}

function toState(r: BbbRecording): RecordingState {
  const state = r.state.trim().toLowerCase();
  // A state word this gateway does not know (a future BBB or a Scalelite extension) is reported by what it means for viewers.
  if (STATES.has(state)) return state as RecordingState;
  return r.published ? RecordingState.PUBLISHED : RecordingState.UNPUBLISHED;
}

function toFormat(f: BbbPlaybackFormat): PlaybackFormat {
  return Object.assign(new PlaybackFormat(), {
    type: f.type,
    url: f.url,
    lengthMinutes: f.length,
    processingTimeMs: f.processingTime ?? null,
    previewImages: f.preview.filter((img) => isAbsoluteUrl(img.url)).map(toImage),
  });
}

function toImage(img: PlaybackImage): PreviewImage {
  return Object.assign(new PreviewImage(), {
    url: img.url,
    width: img.width !== undefined && Number.isInteger(img.width) ? img.width : null,
    height: img.height !== undefined && Number.isInteger(img.height) ? img.height : null,
    alt: img.alt ?? null,
  });
}

function epochMs(value: string): Date | null {
  const ms = Number(value);
  return /^\d+$/.test(value.trim()) && ms > 0 ? new Date(ms) : null;
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
