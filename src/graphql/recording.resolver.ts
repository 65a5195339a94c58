import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from '../recordings/recording-input.js';
import { maxListRecordingsCalls, type RecordingService } from '../recordings/recording-service.js';
import type { GatewayContext } from './context.js';
import { BBB_CALLS_EXTENSION, type BbbCallsEstimate } from './limits.js';
import { callerOf } from './access-scopes.js';
import { MetadataInput } from './recording.inputs.js';
import { Recording, RecordingConnection, RecordingState } from './recording.type.js';

const recordingsCalls: BbbCallsEstimate = (args) =>
  maxListRecordingsCalls(typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE, args.after != null);

@Resolver(() => Recording)
export class RecordingResolver {
  constructor(private readonly service: RecordingService) {}

  @Extensions({ [BBB_CALLS_EXTENSION]: recordingsCalls })
  @Query(() => RecordingConnection, {
    description:
      "Your application's recordings, a page at a time, in the server's order. Continue with after: pageInfo.endCursor while pageInfo.hasNextPage is true; this works behind Scalelite too, which ignores BigBlueButton's offset and limit.",
  })
  async recordings(
    @Arg('meetingId', () => ID, { nullable: true, description: 'Only the recordings of this meeting.' })
    meetingId: string | null | undefined,
    @Arg('states', () => [RecordingState], {
      nullable: true,
      description:
        'Only recordings in these states. Default (null or empty): PUBLISHED and UNPUBLISHED, as BigBlueButton does.',
    })
    states: RecordingState[] | null | undefined,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: 'Page size, 1 to 100.' }) first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: "The endCursor (or an edge's cursor) of the previous page; leave it out for the first page.",
    })
    after: string | null | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<RecordingConnection> {
    return RecordingConnection.from(
      await this.service.listRecordings(callerOf(ctx), { meetingId, states, first, after }),
    );
  }

  // getRecordings (are they the caller's?), publishRecordings, getRecordings (as they are now).
  @Extensions({ [BBB_CALLS_EXTENSION]: 3 })
  @Mutation(() => [Recording], {
    description:
      "Publishes recordings, so their playback URLs work. Returns them as they are now. NOT_FOUND when any of them is unknown, deleted, or another application's; nothing is changed then.",
  })
  async publishRecordings(
    @Arg('recordIds', () => [ID], { description: '1 to 100 recordIds.' }) recordIds: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Recording[]> {
    return (await this.service.publishRecordings(callerOf(ctx), recordIds, true)).map((r) => Recording.from(r));
  }

  @Extensions({ [BBB_CALLS_EXTENSION]: 3 })
  @Mutation(() => [Recording], {
    description:
      'Unpublishes recordings: they stay on the server but their playback URLs stop working. Returns them as they are now. NOT_FOUND as for publishRecordings.',
  })
  async unpublishRecordings(
    @Arg('recordIds', () => [ID], { description: '1 to 100 recordIds.' }) recordIds: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Recording[]> {
    return (await this.service.publishRecordings(callerOf(ctx), recordIds, false)).map((r) => Recording.from(r));
  }

  // getRecordings, deleteRecordings.
  @Extensions({ [BBB_CALLS_EXTENSION]: 2 })
  @Mutation(() => Boolean, {
    description:
      "Deletes recordings for good. Returns true. NOT_FOUND when any of them is unknown, already deleted, or another application's; nothing is deleted then.",
  })
  async deleteRecordings(
    @Arg('recordIds', () => [ID], { description: '1 to 100 recordIds.' }) recordIds: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<boolean> {
    await this.service.deleteRecordings(callerOf(ctx), recordIds);
    return true;
  }

  // getRecordings, updateRecordings, getRecordings.
  @Extensions({ [BBB_CALLS_EXTENSION]: 3 })
  @Mutation(() => [Recording], {
    description:
      'Sets metadata keys on recordings (an empty value removes the key; keys not named are kept). Returns them as they are now. `bbb-interface-app` cannot be changed. NOT_FOUND as for publishRecordings.',
  })
  async updateRecordingMetadata(
    @Arg('recordIds', () => [ID], { description: '1 to 100 recordIds.' }) recordIds: string[],
    @Arg('metadata', () => [MetadataInput], { description: '1 to 20 keys to set or (with an empty value) remove.' })
    metadata: MetadataInput[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Recording[]> {
    const entries = metadata.map((m) => ({ key: m.key, value: m.value }));
    return (await this.service.updateRecordingMetadata(callerOf(ctx), { recordIds, metadata: entries })).map((r) =>
      Recording.from(r),
    );
  }
}
