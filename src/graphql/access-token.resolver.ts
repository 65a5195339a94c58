import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import { z } from 'zod';
import { ACCESS_SCOPES, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, type AccessTokens } from '../auth/access-tokens.js';
import { GatewayError } from '../errors.js';
import { joinMeetingSchema, meetingIdSchema, validate } from '../meetings/meeting-input.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import type { GatewayContext } from './context.js';
import { callerOf } from './meeting.resolver.js';
import { Role } from './meeting.type.js';

export enum AccessScope {
  JOIN = 'JOIN',
  READ_MEETING = 'READ_MEETING',
  SUBSCRIBE_EVENTS = 'SUBSCRIBE_EVENTS',
}
registerEnumType(AccessScope, {
  name: 'AccessScope',
  description: 'What an access token may do, always on its one meeting.',
  valuesConfig: {
    JOIN: { description: 'joinUrl for the token\'s meeting, with the role and identity the token fixes.' },
    READ_MEETING: { description: 'meeting(meetingId) for the token\'s meeting.' },
    SUBSCRIBE_EVENTS: { description: 'Reserved for the meeting-event subscriptions (graphql-ws) still to come; grants nothing yet.' },
  },
});

@InputType({ description: 'The access token to mint: one meeting, what it may do there, and who the holder is.' })
export class IssueAccessTokenInput {
  @Field(() => ID, { description: 'The meetingId createMeeting returned; the meeting must be running and yours.' })
  meetingId!: string;

  @Field(() => [AccessScope], { description: 'What the token may do (at least one).' })
  scopes!: AccessScope[];

  @Field(() => Role, { nullable: true, description: 'Fixes the role of a join made with this token; the join then needs no password. Without it, joinUrl asks for the meeting password.' })
  role?: Role;

  @Field({ nullable: true, description: 'Fixes the participant\'s name: joinUrl uses it and refuses another.' })
  name?: string;

  @Field({ nullable: true, description: 'Fixes your application\'s ID for this user: joinUrl uses it and refuses another.' })
  userId?: string;

  @Field(() => URLResolver, { nullable: true, description: 'Fixes the avatar URL: joinUrl uses it and refuses another. http(s) only.' })
  avatar?: URL | string;

  @Field(() => Int, { nullable: true, description: `Lifetime in seconds, 1 to ${MAX_TTL_SECONDS}. Default ${DEFAULT_TTL_SECONDS}.` })
  ttlSeconds?: number;
}

@ObjectType({ description: 'A short-lived token for a browser: send it as `Authorization: Bearer <token>` to /graphql.' })
export class AccessToken {
  @Field({ description: 'The compact JWT. Treat it like a password until it expires: never log it or put it in a URL a server sees.' })
  token!: string;

  @Field(() => DateTimeResolver, { description: 'When it stops working.' })
  expiresAt!: Date;
}

const issueSchema = z.object({
  meetingId: meetingIdSchema,
  scopes: z
    .array(z.enum(ACCESS_SCOPES))
    .min(1, 'must name at least one scope')
    .refine((s) => new Set(s).size === s.length, 'must not name a scope twice'),
  role: z.enum(['MODERATOR', 'VIEWER']).nullish(),
  name: joinMeetingSchema.shape.name.nullish(),
  userId: joinMeetingSchema.shape.userId,
  avatar: joinMeetingSchema.shape.avatar,
  ttlSeconds: z.number().int('must be a whole number').min(1, `must be 1 to ${MAX_TTL_SECONDS}`).max(MAX_TTL_SECONDS, `must be 1 to ${MAX_TTL_SECONDS} (tokens are short-lived; mint a new one instead)`).nullish(),
});

@Resolver(() => AccessToken)
export class AccessTokenResolver {
  constructor(
    private readonly meetings: MeetingService,
    private readonly tokens: AccessTokens | undefined,
  ) {}

  @Mutation(() => AccessToken, {
    description:
      'Mints a short-lived access token for a browser, limited to one of your meetings and the given scopes. Needs the app\'s API token: an access token cannot mint another.',
  })
  async issueAccessToken(@Arg('input', () => IssueAccessTokenInput, { description: 'The token to mint.' }) input: IssueAccessTokenInput, @Ctx() ctx: GatewayContext): Promise<AccessToken> {
    const caller = callerOf(ctx);
    const valid = validate(issueSchema, { ...input, avatar: input.avatar?.toString() }, 'camel');
    if (!this.tokens) {
      throw new GatewayError('FORBIDDEN', 'Access tokens are switched off on this gateway: the operator enables them by setting ACCESS_TOKEN_SIGNING_KEY.');
    }
    // The meeting must be the caller's and running; its createTime goes into the token, so a re-created meeting is another.
    const info = await this.meetings.getMeeting(caller, valid.meetingId);
    const issued = await this.tokens.issue(
      {
        app: caller.app,
        meetingId: valid.meetingId,
        createTime: info.createTime,
        scopes: valid.scopes,
        role: valid.role ?? undefined,
        name: valid.name ?? undefined,
        userId: valid.userId ?? undefined,
        avatar: valid.avatar ?? undefined,
      },
      valid.ttlSeconds ?? DEFAULT_TTL_SECONDS,
    );
    return Object.assign(new AccessToken(), issued);
  }
}
