import { Field, ID, InputType, Int } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';

@InputType({ description: 'What createMeeting needs. Only the name is required; the gateway generates the meeting ID and any missing password.' })
export class CreateMeetingInput {
  @Field({ description: 'The meeting\'s name, 2 to 256 characters.' })
  name!: string;

  @Field({ nullable: true, description: 'Password that joins as VIEWER, 2 to 64 characters. Generated when absent.' })
  attendeePass?: string;

  @Field({ nullable: true, description: 'Password that joins as MODERATOR, 2 to 64 characters, different from attendeePass. Generated when absent.' })
  moderatorPass?: string;

  @Field(() => Int, { nullable: true, description: 'Most participants allowed at once (a positive whole number). Unlimited when absent.' })
  maxParticipant?: number;

  @Field(() => URLResolver, { nullable: true, description: 'Where participants go after leaving the meeting. http(s) only.' })
  redirectAtLogout?: URL | string;
}

@InputType({ description: 'Who joins which meeting. The password decides the role.' })
export class JoinMeetingInput {
  @Field({ nullable: true, description: 'The participant\'s full name as the others will see it. Required, unless an access token fixes it.' })
  name?: string;

  @Field(() => ID, { description: 'The meetingId createMeeting returned.' })
  meetingId!: string;

  @Field({ nullable: true, description: 'The meeting\'s moderator password (joins as MODERATOR) or attendee password (joins as VIEWER). Not needed with an access token that fixes the role.' })
  password?: string;

  @Field({ nullable: true, description: 'The createTime createMeeting returned. A link for an earlier meeting with the same ID is refused with CONFLICT. Required, unless an access token fixes it.' })
  createTime?: string;

  @Field({ nullable: true, description: 'Your application\'s ID for this user; BigBlueButton reports it back in the attendee list.' })
  userId?: string;

  @Field(() => URLResolver, { nullable: true, description: 'URL of the user\'s avatar image. http(s) only.' })
  avatar?: URL | string;

  @Field({ nullable: true, description: 'True to join as a guest (subject to the meeting\'s guest policy).' })
  isGuest?: boolean;
}
