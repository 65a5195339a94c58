import { Field, ID, InputType, Int } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS } from '../auth/access-tokens.js';
import { AccessScope } from './access-token.type.js';
import { Role } from './meeting.type.js';

@InputType({ description: 'The access token to mint: one meeting, what it may do there, and who the holder is.' })
export class IssueAccessTokenInput {
  @Field(() => ID, { description: 'The meetingId createMeeting returned; the meeting must be running and yours.' })
  meetingId!: string;

  @Field(() => [AccessScope], { description: 'What the token may do (at least one).' })
  scopes!: AccessScope[];

  @Field(() => Role, {
    nullable: true,
    description:
      'Fixes the role of a join made with this token; the join then needs no password. Without it, joinUrl asks for the meeting password.',
  })
  role?: Role;

  @Field({ nullable: true, description: "Fixes the participant's name: joinUrl uses it and refuses another." })
  name?: string;

  @Field({
    nullable: true,
    description: "Fixes your application's ID for this user: joinUrl uses it and refuses another.",
  })
  userId?: string;

  @Field(() => URLResolver, {
    nullable: true,
    description: 'Fixes the avatar URL: joinUrl uses it and refuses another. http(s) only.',
  })
  avatar?: URL | string;

  @Field({
    nullable: true,
    description:
      'Whether the holder joins as a guest, whom a GUESTS waiting room holds back until a moderator admits them. Default false; the browser cannot change it.',
  })
  isGuest?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: `Lifetime in seconds, 1 to ${MAX_TTL_SECONDS}. Default ${DEFAULT_TTL_SECONDS}.`,
  })
  ttlSeconds?: number;
}
