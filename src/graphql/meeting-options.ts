import { Field, InputType, registerEnumType } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { BBB_FEATURES, featureEnumName, MEETING_LAYOUTS } from '../meetings/meeting-input.js';

export { MetadataInput } from './recording.inputs.js';

/** GraphQL enums and input objects of the createMeeting / joinUrl options; the rules live in meetings/meeting-input.ts. */

export const MeetingLayout = Object.fromEntries(MEETING_LAYOUTS.map((l) => [l, l])) as {
  [K in (typeof MEETING_LAYOUTS)[number]]: K;
};
export type MeetingLayout = (typeof MEETING_LAYOUTS)[number];
registerEnumType(MeetingLayout, {
  name: 'MeetingLayout',
  description:
    "BigBlueButton's layouts (`meetingLayout` on create, `enforceLayout` on join). The last four need BigBlueButton 3.0.",
});

/** Enum value (`BREAKOUT_ROOMS`) → BBB's own name (`breakoutRooms`); the enum's values are BBB's names. */
export const MeetingFeature = Object.fromEntries(BBB_FEATURES.map((f) => [featureEnumName(f), f])) as Record<
  string,
  string
>;
registerEnumType(MeetingFeature, {
  name: 'MeetingFeature',
  description:
    "A feature BigBlueButton can switch off for a meeting (create's `disabledFeatures`, sent under BigBlueButton's own names). Some need 2.6, 2.7 or 3.0; an older server ignores names it does not know.",
});

export enum WaitingRoom {
  NONE = 'NONE',
  GUESTS = 'GUESTS',
  ALL_VIEWERS = 'ALL_VIEWERS',
}
registerEnumType(WaitingRoom, {
  name: 'WaitingRoom',
  description: 'Who waits for a moderator to let them in. Moderators never wait.',
  valuesConfig: {
    NONE: { description: 'Nobody waits (BigBlueButton guestPolicy ALWAYS_ACCEPT).' },
    GUESTS: {
      description:
        'Only joins made with isGuest: true wait (guestPolicy ASK_MODERATOR; the gateway marks those joins guest=true).',
    },
    ALL_VIEWERS: {
      description: 'Every VIEWER waits (guestPolicy ASK_MODERATOR; the gateway marks every viewer join guest=true).',
    },
  },
});

@InputType({
  description:
    "What viewers may not do. Each flag is sent as BigBlueButton's `lockSettings<Name>`; an absent flag keeps the server's default.",
})
export class LockSettingsInput {
  @Field({ nullable: true, description: 'Viewers cannot share a webcam [lockSettingsDisableCam].' })
  disableCam?: boolean;
  @Field({ nullable: true, description: 'Viewers cannot use their microphone [lockSettingsDisableMic].' })
  disableMic?: boolean;
  @Field({ nullable: true, description: 'Viewers cannot chat privately [lockSettingsDisablePrivateChat].' })
  disablePrivateChat?: boolean;
  @Field({ nullable: true, description: 'Viewers cannot use the public chat [lockSettingsDisablePublicChat].' })
  disablePublicChat?: boolean;
  @Field({ nullable: true, description: 'Viewers cannot edit the shared notes [lockSettingsDisableNotes].' })
  disableNotes?: boolean;
  @Field({ nullable: true, description: 'Viewers see only moderators in the user list [lockSettingsHideUserList].' })
  hideUserList?: boolean;
  @Field({ nullable: true, description: 'Apply the locks as soon as a viewer joins [lockSettingsLockOnJoin].' })
  lockOnJoin?: boolean;
  @Field({ nullable: true, description: 'Let viewers change lockOnJoin [lockSettingsLockOnJoinConfigurable].' })
  lockOnJoinConfigurable?: boolean;
  @Field({
    nullable: true,
    description: "Viewers do not see each other's whiteboard cursors [lockSettingsHideViewersCursor].",
  })
  hideViewersCursor?: boolean;
}

@InputType({ description: "A document BigBlueButton downloads and shows as slides. Sent in BigBlueButton's XML body." })
export class PresentationInput {
  @Field(() => URLResolver, { description: 'Where BigBlueButton downloads the document from. http(s) only.' })
  url!: URL | string;
  @Field({ nullable: true, description: 'The file name shown in the client, e.g. `slides.pdf`.' })
  filename?: string;
  @Field({ nullable: true, description: 'Whether participants may download it.' })
  downloadable?: boolean;
  @Field({ nullable: true, description: 'Whether it is the document shown first.' })
  current?: boolean;
}

const urlString = (v: URL | string | null | undefined) => (v == null ? v : v.toString());

/** GraphQL's PresentationInput with its URL scalar turned back into the string the shared validation checks. */
export function presentationsOf(list: PresentationInput[] | null | undefined) {
  return list?.map((p) => ({ ...p, url: urlString(p.url) as string }));
}

@InputType({ description: 'One raw BigBlueButton create parameter, for what the typed options do not cover.' })
export class ParameterInput {
  @Field({
    description:
      "BigBlueButton's own parameter name, e.g. allowModsToUnmuteUsers. Only names the operator listed in BBB_CREATE_PASSTHROUGH are accepted.",
  })
  name!: string;
  @Field({ description: 'The value as BigBlueButton expects it, at most 2000 characters, no control characters.' })
  value!: string;
}
