import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { GatewayError } from '../errors.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import type { JoinMeetingInput as JoinInput } from '../meetings/meeting-input.js';
import type { GatewayContext } from './context.js';
import { BBB_CALLS_EXTENSION } from './limits.js';
import { CreateMeetingInput, JoinMeetingInput } from './meeting.inputs.js';
import { Meeting } from './meeting.type.js';
import { accessCaller, callerOf, pinnedJoin, type TokenJoinRequest } from './access-scopes.js';
import { PresentationInput, presentationsOf } from './meeting-options.js';

const str = (v: URL | string | null | undefined) => (v == null ? v : v.toString());

@Resolver(() => Meeting)
export class MeetingResolver {
  constructor(private readonly service: MeetingService) {}

  // create, and getMeetingInfo once when a live field (running, attendees, …) is selected.
  @Extensions({ [BBB_CALLS_EXTENSION]: 2 })
  @Mutation(() => Meeting, {
    description:
      'Creates a BigBlueButton meeting. The gateway generates the meeting ID and any password you leave out.',
  })
  async createMeeting(
    @Arg('input', () => CreateMeetingInput, { description: 'The meeting to create.' }) input: CreateMeetingInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Meeting> {
    const caller = callerOf(ctx);
    const created = await this.service.createMeeting(caller, {
      ...input,
      redirectAtLogout: str(input.redirectAtLogout),
      presentations: presentationsOf(input.presentations),
    });
    return Meeting.fromCreated(created, () => this.service.getMeeting(caller, created.meetingId));
  }

  // getMeetingInfo, unless the join cache has the meeting.
  @Extensions({ [BBB_CALLS_EXTENSION]: 1 })
  @Query(() => URLResolver, {
    description:
      "A signed BigBlueButton join link for one person. Open it in that person's browser. The role, or the password, decides the role; the createTime must be the running meeting's. In a meeting with a waiting room, viewers who must wait get a link that waits for a moderator. With an access token (scope JOIN): only for its meeting, and the role, name, userId and avatar it fixes cannot be changed.",
  })
  async joinUrl(
    @Arg('input', () => JoinMeetingInput, { description: 'Who joins which meeting.' }) input: JoinMeetingInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<string> {
    if (ctx.access) {
      const caller = accessCaller(ctx.access, ctx.caller, 'joinUrl', input.meetingId);
      // pinnedJoin takes left-out and null alike; its answer is a fresh object, so the role or password goes onto it.
      const { input: join, password } = pinnedJoin(ctx.access, givenFields(input) as unknown as TokenJoinRequest);
      return this.service.joinUrl(
        caller,
        Object.assign(join, ctx.access.role !== undefined ? { role: ctx.access.role } : { password }),
      );
    }
    // Left-out and null mean the same; the service then names a missing name, password or createTime as required.
    return this.service.joinUrl(callerOf(ctx), givenFields(input) as JoinInput);
  }

  @Extensions({ [BBB_CALLS_EXTENSION]: 1 })
  @Query(() => Meeting, {
    description:
      "A running meeting of your application, with its live state. NOT_FOUND when it is unknown, ended, or another application's.",
  })
  async meeting(
    @Arg('meetingId', () => ID, { description: 'The meetingId createMeeting returned.' }) meetingId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<Meeting> {
    const caller = ctx.access ? accessCaller(ctx.access, ctx.caller, 'meeting', meetingId) : callerOf(ctx);
    const info = await this.service.getMeeting(caller, meetingId);
    // A token is for one session: a meeting ended and created again under the same ID is another one (joinUrl pins it too).
    if (ctx.access && info.createTime !== ctx.access.createTime) {
      throw new GatewayError(
        'FORBIDDEN',
        'This access token is for an earlier session of this meeting (it was ended and created again); ask your backend for a new one.',
      );
    }
    return Meeting.fromInfo(info);
  }

  // One getMeetings; the meetings' live fields come from its answer.
  @Extensions({ [BBB_CALLS_EXTENSION]: 1 })
  @Query(() => [Meeting], {
    description:
      "Your application's meetings that exist on the BigBlueButton server now (running or waiting for the first participant). Always empty behind a Scalelite with GET_MEETINGS_API_DISABLED; meeting(meetingId) still works there.",
  })
  async meetings(@Ctx() ctx: GatewayContext): Promise<Meeting[]> {
    return (await this.service.listMeetings(callerOf(ctx))).map((info) => Meeting.fromInfo(info));
  }

  // getMeetingInfo (is it the caller's?), then insertDocument.
  @Extensions({ [BBB_CALLS_EXTENSION]: 2 })
  @Mutation(() => Boolean, {
    description:
      "Adds slides to a running meeting (BigBlueButton's insertDocument, 2.5+). BigBlueButton downloads them. NOT_FOUND when the meeting is unknown, ended, or another application's.",
  })
  async insertDocument(
    @Arg('meetingId', () => ID, { description: 'The meetingId createMeeting returned.' }) meetingId: string,
    @Arg('presentations', () => [PresentationInput], { description: '1 to 10 documents.' })
    presentations: PresentationInput[],
    @Ctx() ctx: GatewayContext,
  ): Promise<boolean> {
    await this.service.insertDocument(callerOf(ctx), { meetingId, presentations: presentationsOf(presentations)! });
    return true;
  }

  // getMeetingInfo (is it the caller's?), then sendChatMessage.
  @Extensions({ [BBB_CALLS_EXTENSION]: 2 })
  @Mutation(() => Boolean, {
    description:
      "Posts a message to a running meeting's public chat (BigBlueButton 3.0's sendChatMessage). BBB_ERROR saying that BigBlueButton 3.0 is needed against an older server or Scalelite.",
  })
  async sendChatMessage(
    @Arg('meetingId', () => ID, { description: 'The meetingId createMeeting returned.' }) meetingId: string,
    @Arg('message', { description: '1 to 500 characters, no control characters.' }) message: string,
    @Arg('userName', () => String, {
      nullable: true,
      description: 'The sender\'s name shown in the chat; BigBlueButton\'s default is "System".',
    })
    userName: string | null | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<boolean> {
    await this.service.sendChatMessage(callerOf(ctx), { meetingId, message, userName });
    return true;
  }

  // getMeetingInfo (is it the caller's?), then end.
  @Extensions({ [BBB_CALLS_EXTENSION]: 2 })
  @Mutation(() => Boolean, {
    description:
      "Ends a meeting for everyone. Its join links stop working. NOT_FOUND when it is unknown, ended, or another application's.",
  })
  async endMeeting(
    @Arg('meetingId', () => ID, { description: 'The meetingId createMeeting returned.' }) meetingId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<boolean> {
    await this.service.endMeeting(callerOf(ctx), meetingId);
    return true;
  }
}

/**
 * The fields of a join that were given (left-out and null mean the same), its URLs as strings. A loop, not
 * Object.entries of a spread: that was 1.7 against 0.2 µs per join on Node 20 (bench/README.md).
 */
function givenFields(input: JoinMeetingInput): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(input) as (keyof JoinMeetingInput)[]) {
    const value = key === 'avatar' || key === 'errorRedirectUrl' ? str(input[key]) : input[key];
    if (value != null) given[key] = value;
  }
  return given;
}
