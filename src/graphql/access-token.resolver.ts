import { Arg, Ctx, Extensions, Mutation, Resolver } from 'type-graphql';
import { z } from 'zod';
import { ACCESS_SCOPES, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, type AccessTokens } from '../auth/access-tokens.js';
import { GatewayError } from '../errors.js';
import { joinMeetingSchema } from '../meetings/meeting-input.js';
import { meetingIdSchema, validate } from '../validation.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import type { GatewayContext } from './context.js';
import { IssueAccessTokenInput } from './access-token.inputs.js';
import { AccessToken } from './access-token.type.js';
import { BBB_CALLS_EXTENSION } from './limits.js';
import { callerOf } from './access-scopes.js';

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
  isGuest: z.boolean().nullish(),
  ttlSeconds: z
    .number()
    .int('must be a whole number')
    .min(1, `must be 1 to ${MAX_TTL_SECONDS}`)
    .max(MAX_TTL_SECONDS, `must be 1 to ${MAX_TTL_SECONDS} (tokens are short-lived; mint a new one instead)`)
    .nullish(),
});

@Resolver(() => AccessToken)
export class AccessTokenResolver {
  constructor(
    private readonly meetings: MeetingService,
    private readonly tokens: AccessTokens | undefined,
  ) {}

  // getMeetingInfo: the meeting must be the caller's and running.
  @Extensions({ [BBB_CALLS_EXTENSION]: 1 })
  @Mutation(() => AccessToken, {
    description:
      "Mints a short-lived access token for a browser, limited to one of your meetings and the given scopes. Needs the app's API token: an access token cannot mint another.",
  })
  async issueAccessToken(
    @Arg('input', () => IssueAccessTokenInput, { description: 'The token to mint.' }) input: IssueAccessTokenInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<AccessToken> {
    const caller = callerOf(ctx);
    const valid = validate(issueSchema, { ...input, avatar: input.avatar?.toString() }, 'camel');
    if (!this.tokens) {
      throw new GatewayError(
        'FORBIDDEN',
        'Access tokens are switched off on this gateway: the operator enables them by setting ACCESS_TOKEN_SIGNING_KEY.',
      );
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
        isGuest: valid.isGuest === true,
      },
      valid.ttlSeconds ?? DEFAULT_TTL_SECONDS,
    );
    return Object.assign(new AccessToken(), issued);
  }
}
