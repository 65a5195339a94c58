import { Args, ArgsType, Ctx, Extensions, Field, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { errorAnswer, GatewayError } from '../errors.js';
import type { Events } from '../events/index.js';
import { readEvents, UnknownEventError, type EventFilter } from '../events/event-stream.js';
import type { GatewayEvent } from '../events/types.js';
import { accessCaller } from './access-scopes.js';
import type { GatewayContext } from './context.js';
import { toGraphQLError } from './errors.js';
import { BBB_CALLS_EXTENSION } from './limits.js';
import { callerOf } from './access-scopes.js';
import {
  eventTypesOf,
  MeetingEvent,
  MeetingEventConnection,
  meetingEventOf,
  MeetingEventType,
} from './meeting-event.type.js';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** Longer than any event id the gateway makes (`evt_` + 32 hex); longer input is refused before the log is asked. */
const MAX_ID_LENGTH = 200;

@ArgsType()
class MeetingEventStreamArgs {
  @Field(() => ID, { nullable: true, description: 'Only the events of this meeting (your meetingId).' })
  meetingId?: string | null;

  @Field(() => [MeetingEventType], { nullable: true, description: 'Only events of these types; all when left out.' })
  types?: MeetingEventType[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'An event id (a `webhook-id`, or the id of an event you received): start right after it. Left out: from the oldest (query) or from now on (subscription).',
  })
  after?: string | null;
}

@ArgsType()
class MeetingEventPageArgs extends MeetingEventStreamArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE, description: `Page size, 1 to ${MAX_PAGE}.` })
  first!: number;
}

/**
 * Summaries name every attendee (name, userId, engagement): for the app's backend, not for a browser's access token.
 */
const APP_ONLY_TYPES = ['meeting.summary'];

/**
 * The app whose events are read, and what an access token confines them to: its meeting, the instance of it the token
 * was minted for (a re-created meeting under the same ID is another), and no meeting.summary.
 */
function eventsCaller(ctx: GatewayContext, args: MeetingEventStreamArgs): { app: string } & Omit<EventFilter, 'types'> {
  if (args.after != null && args.after.length > MAX_ID_LENGTH)
    throw new GatewayError('BAD_USER_INPUT', `after is not an event id (at most ${MAX_ID_LENGTH} characters).`);
  if (ctx.access) {
    const meetingId = args.meetingId ?? ctx.access.meetingId;
    return {
      app: accessCaller(ctx.access, ctx.caller, 'meetingEvents', meetingId).app,
      meetingId,
      createTime: ctx.access.createTime,
      excludeTypes: APP_ONLY_TYPES,
    };
  }
  return { app: callerOf(ctx).app, meetingId: args.meetingId ?? undefined };
}

const NOT_OVER_HTTP =
  'Subscriptions run over graphql-ws (WebSocket on /graphql) or GraphQL over SSE (/graphql/stream), not over plain HTTP.';

function unknownAfter(): GatewayError {
  return new GatewayError(
    'BAD_USER_INPUT',
    'after names no event of your application in the event log: it is not one of your event ids, or it is older than the log keeps (EVENT_LOG_MAX_EVENTS, EVENT_LOG_MAX_AGE_S). Leave after out to start with the oldest event kept.',
  );
}

/** Runs before the first event: a refusal is the operation's error (graphql-ws `error`/`next`), never a closed socket. */
async function subscribe({
  args,
  context,
}: SubscribeResolverData<unknown, MeetingEventStreamArgs, GatewayContext>): Promise<AsyncIterable<GatewayEvent>> {
  try {
    const { app, ...confined } = eventsCaller(context, args);
    if (!context.openEvents) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
    return await context.openEvents(app, {
      ...confined,
      types: eventTypesOf(args.types),
      after: args.after ?? undefined,
    });
  } catch (err) {
    if (err instanceof UnknownEventError) throw toGraphQLError(unknownAfter());
    // Nothing unexpected (a Redis error, say) reaches the client as it is: masked, and logged with its cause.
    const answer = errorAnswer(err);
    if (answer.serverSide)
      context.log.error({ err: answer.cause, code: answer.code }, 'opening a meeting-event stream failed');
    throw toGraphQLError(err);
  }
}

/** The event log and the live stream of the calling app's meeting events (app token, or an access token with SUBSCRIBE_EVENTS). */
@Resolver()
export class MeetingEventResolver {
  constructor(private readonly events: Events | undefined) {}

  // No BBB call: the log is in Redis or in this process.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Query(() => MeetingEventConnection, {
    description:
      "Your application's meeting events, oldest first: the same events as its webhooks, under the same ids, kept for EVENT_LOG_MAX_AGE_S (7 days) and at most EVENT_LOG_MAX_EVENTS. Continue with after: pageInfo.endCursor (an event id) while pageInfo.hasNextPage is true. An access token with SUBSCRIBE_EVENTS reads its own meeting's.",
  })
  async meetingEvents(
    @Args(() => MeetingEventPageArgs) args: MeetingEventPageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<MeetingEventConnection> {
    const { app, ...confined } = eventsCaller(ctx, args);
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE)
      throw new GatewayError('BAD_USER_INPUT', `first must be 1 to ${MAX_PAGE}.`);
    const after = args.after ?? undefined;
    if (!this.events) {
      if (after !== undefined) throw unknownAfter();
      return MeetingEventConnection.from([], false, false);
    }
    try {
      const page = await readEvents(this.events.log, app, {
        first: args.first,
        after,
        ...confined,
        types: eventTypesOf(args.types),
      });
      return MeetingEventConnection.from(page.events, page.hasNextPage, after !== undefined);
    } catch (err) {
      throw err instanceof UnknownEventError ? unknownAfter() : err;
    }
  }

  // No BBB call: events arrive from the log's tail.
  @Extensions({ [BBB_CALLS_EXTENSION]: 0 })
  @Subscription(() => MeetingEvent, {
    name: 'meetingEvents',
    subscribe,
    description:
      "Your application's meeting events as they happen, over graphql-ws (WebSocket on /graphql) or SSE (/graphql/stream). With after (an event id), first the events logged after it, then live ones, with no gap and no duplicate. An access token with SUBSCRIBE_EVENTS gets its own meeting's.",
  })
  meetingEventStream(
    @Root() event: GatewayEvent,
    @Args(() => MeetingEventStreamArgs) _args: MeetingEventStreamArgs,
  ): MeetingEvent {
    // Apollo runs a subscription sent over HTTP as a query: there is no event then, only this resolver.
    if (event === undefined) throw new GatewayError('BAD_USER_INPUT', NOT_OVER_HTTP);
    return meetingEventOf(event);
  }
}
