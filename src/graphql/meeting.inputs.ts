import { Field, ID, InputType, Int } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { Role } from './meeting.type.js';
import {
  LockSettingsInput,
  MeetingFeature,
  MeetingLayout,
  MetadataInput,
  ParameterInput,
  PresentationInput,
  WaitingRoom,
} from './meeting-options.js';

@InputType({
  description:
    'What createMeeting needs. Only the name is required; the gateway generates the meeting ID and any missing password.',
})
export class CreateMeetingInput {
  @Field({ description: "The meeting's name, 2 to 256 characters." })
  name!: string;

  @Field({ nullable: true, description: 'Password that joins as VIEWER, 2 to 64 characters. Generated when absent.' })
  attendeePass?: string;

  @Field({
    nullable: true,
    description:
      'Password that joins as MODERATOR, 2 to 64 characters, different from attendeePass. Generated when absent.',
  })
  moderatorPass?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Most participants allowed at once (a positive whole number). Unlimited when absent.',
  })
  maxParticipant?: number;

  @Field(() => URLResolver, {
    nullable: true,
    description: 'Where participants go after leaving the meeting. http(s) only.',
  })
  redirectAtLogout?: URL | string;

  @Field({
    nullable: true,
    description: 'Allow recording this meeting [record]. Without it nothing is recorded, whatever else is set.',
  })
  record?: boolean;

  @Field({
    nullable: true,
    description: 'Start recording when the first person joins [autoStartRecording]. Needs record.',
  })
  autoStartRecording?: boolean;

  @Field({ nullable: true, description: 'Let moderators start and stop the recording [allowStartStopRecording].' })
  allowStartStopRecording?: boolean;

  @Field({
    nullable: true,
    description: 'Ask every participant to acknowledge that the meeting is recorded [notifyRecordingIsOn].',
  })
  notifyRecordingIsOn?: boolean;

  @Field({
    nullable: true,
    description: `Welcome message in the chat [welcome]. At most 2000 characters, no control characters; BigBlueButton replaces %%CONFNAME%% and similar keywords.`,
  })
  welcome?: string;

  @Field({
    nullable: true,
    description: 'Message only moderators see [moderatorOnlyMessage]. At most 2000 characters, no control characters.',
  })
  moderatorOnlyMessage?: string;

  @Field({
    nullable: true,
    description: 'Banner text shown to everybody [bannerText]. At most 500 characters, no control characters.',
  })
  bannerText?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The meeting ends this many minutes after creation [duration]. 0 or absent: no limit.',
  })
  durationMinutes?: number;

  @Field({ nullable: true, description: 'Everybody joins muted [muteOnStart].' })
  muteOnStart?: boolean;

  @Field({ nullable: true, description: "Only moderators see the viewers' webcams [webcamsOnlyForModerator]." })
  webcamsOnlyForModerator?: boolean;

  @Field({ nullable: true, description: 'End the meeting when the last moderator has left [endWhenNoModerator].' })
  endWhenNoModerator?: boolean;

  @Field(() => Int, {
    nullable: true,
    description:
      'Minutes to wait before endWhenNoModerator ends the meeting [endWhenNoModeratorDelayInMinutes]. 0 or more.',
  })
  endWhenNoModeratorDelayMinutes?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "The meeting ends when nobody joined within this many minutes of creation [meetingExpireIfNoUserJoinedInMinutes]. BigBlueButton's default is 5.",
  })
  meetingExpireIfNoUserJoinedMinutes?: number;

  @Field(() => MeetingLayout, { nullable: true, description: 'The layout everybody starts with [meetingLayout].' })
  meetingLayout?: MeetingLayout;

  @Field(() => LockSettingsInput, { nullable: true, description: 'What viewers may not do [lockSettings*].' })
  lockSettings?: LockSettingsInput;

  @Field(() => [MeetingFeature], {
    nullable: true,
    description: 'Features switched off for this meeting [disabledFeatures].',
  })
  disabledFeatures?: string[];

  @Field(() => WaitingRoom, {
    nullable: true,
    description:
      "Who waits for a moderator to let them in (BigBlueButton's guestPolicy plus guest=true on the joins of those who wait). Default NONE.",
  })
  waitingRoom?: WaitingRoom;

  @Field(() => [MetadataInput], {
    nullable: true,
    description:
      "Your application's own metadata (course, term, …), at most 20 entries [meta_<key>]. Reserved keys are refused.",
  })
  metadata?: MetadataInput[];

  @Field(() => [PresentationInput], {
    nullable: true,
    description: 'Slides BigBlueButton downloads on create, at most 10.',
  })
  presentations?: PresentationInput[];

  @Field(() => [ParameterInput], {
    nullable: true,
    description:
      "Further BigBlueButton create parameters sent as they are, at most 20. Only names the operator allows (BBB_CREATE_PASSTHROUGH); any other is refused, and so is a name a typed option sets. The operator's BBB_CREATE_OVERRIDES still win.",
  })
  bbbParameters?: ParameterInput[];
}

@InputType({
  description: "Who joins which meeting, and as what: send exactly one of role (BigBlueButton 3.0's way) and password.",
})
export class JoinMeetingInput {
  @Field({
    nullable: true,
    description: "The participant's full name as the others will see it. Required, unless an access token fixes it.",
  })
  name?: string;

  @Field(() => ID, { description: 'The meetingId createMeeting returned.' })
  meetingId!: string;

  @Field({
    nullable: true,
    description:
      "The meeting's moderator password (joins as MODERATOR) or attendee password (joins as VIEWER). Deprecated in BigBlueButton 3.0: send role instead. Exactly one of password and role (neither with an access token that fixes the role).",
  })
  password?: string;

  @Field(() => Role, {
    nullable: true,
    description:
      'The role to join with, decided by your application (sent to BigBlueButton as role). Exactly one of password and role.',
  })
  role?: Role;

  @Field({
    nullable: true,
    description:
      'The createTime createMeeting returned. A link for an earlier meeting with the same ID is refused with CONFLICT. Required, unless an access token fixes it.',
  })
  createTime?: string;

  @Field({
    nullable: true,
    description: "Your application's ID for this user; BigBlueButton reports it back in the attendee list.",
  })
  userId?: string;

  @Field(() => URLResolver, { nullable: true, description: "URL of the user's avatar image. http(s) only." })
  avatar?: URL | string;

  @Field({
    nullable: true,
    description:
      'True to join as a guest. In a meeting whose waitingRoom is GUESTS, guests wait for a moderator; in ALL_VIEWERS every viewer waits anyway.',
  })
  isGuest?: boolean;

  @Field(() => [UserdataInput], {
    nullable: true,
    description:
      'Per-user client settings, sent as userdata-<key> (e.g. bbb_skip_check_audio, bbb_override_default_locale, bbb_custom_style_url), at most 30.',
  })
  userdata?: UserdataInput[];

  @Field(() => URLResolver, {
    nullable: true,
    description: 'Where BigBlueButton sends the browser when the join fails [errorRedirectUrl]. http(s) only.',
  })
  errorRedirectUrl?: URL | string;

  @Field(() => MeetingLayout, {
    nullable: true,
    description: 'A layout this participant cannot change [enforceLayout]; BigBlueButton 3.0.',
  })
  enforceLayout?: MeetingLayout;

  @Field({
    nullable: true,
    description: 'Leave this participant out of the learning dashboard [excludeFromDashboard].',
  })
  excludeFromDashboard?: boolean;
}

@InputType({ description: 'One userdata-<key>=value join parameter.' })
export class UserdataInput {
  @Field({
    description:
      'A letter, then letters, digits and underscores, at most 64 characters (BigBlueButton drops keys with dashes), e.g. bbb_skip_check_audio.',
  })
  key!: string;

  @Field({ description: 'At most 1000 characters, no control characters.' })
  value!: string;
}
