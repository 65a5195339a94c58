/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What an access token may do, always on its one meeting. */
export type AccessScope =
  /** joinUrl for the token's meeting, with the role and identity the token fixes. */
  | 'JOIN'
  /** meeting(meetingId) for the token's meeting. */
  | 'READ_MEETING'
  /** meetingEvents (the subscription over graphql-ws or SSE, and the query) for the token's meeting; over graphql-ws the token goes in connection_init's authorization. */
  | 'SUBSCRIBE_EVENTS';

/** What createMeeting needs. Only the name is required; the gateway generates the meeting ID and any missing password. */
export type CreateMeetingInput = {
  /** Let moderators start and stop the recording [allowStartStopRecording]. */
  allowStartStopRecording?: boolean | null | undefined;
  /** Password that joins as VIEWER, 2 to 64 characters. Generated when absent. */
  attendeePass?: string | null | undefined;
  /** Start recording when the first person joins [autoStartRecording]. Needs record. */
  autoStartRecording?: boolean | null | undefined;
  /** Banner text shown to everybody [bannerText]. At most 500 characters, no control characters. */
  bannerText?: string | null | undefined;
  /** Further BigBlueButton create parameters sent as they are, at most 20. Only names the operator allows (BBB_CREATE_PASSTHROUGH); any other is refused, and so is a name a typed option sets. The operator's BBB_CREATE_OVERRIDES still win. */
  bbbParameters?: Array<ParameterInput> | null | undefined;
  /** Features switched off for this meeting [disabledFeatures]. */
  disabledFeatures?: Array<MeetingFeature> | null | undefined;
  /** The meeting ends this many minutes after creation [duration]. 0 or absent: no limit. */
  durationMinutes?: number | null | undefined;
  /** End the meeting when the last moderator has left [endWhenNoModerator]. */
  endWhenNoModerator?: boolean | null | undefined;
  /** Minutes to wait before endWhenNoModerator ends the meeting [endWhenNoModeratorDelayInMinutes]. 0 or more. */
  endWhenNoModeratorDelayMinutes?: number | null | undefined;
  /** What viewers may not do [lockSettings*]. */
  lockSettings?: LockSettingsInput | null | undefined;
  /** Most participants allowed at once (a positive whole number). Unlimited when absent. */
  maxParticipant?: number | null | undefined;
  /** The meeting ends when nobody joined within this many minutes of creation [meetingExpireIfNoUserJoinedInMinutes]. BigBlueButton's default is 5. */
  meetingExpireIfNoUserJoinedMinutes?: number | null | undefined;
  /** The layout everybody starts with [meetingLayout]. */
  meetingLayout?: MeetingLayout | null | undefined;
  /** Your application's own metadata (course, term, …), at most 20 entries [meta_<key>]. Reserved keys are refused. */
  metadata?: Array<MetadataInput> | null | undefined;
  /** Message only moderators see [moderatorOnlyMessage]. At most 2000 characters, no control characters. */
  moderatorOnlyMessage?: string | null | undefined;
  /** Password that joins as MODERATOR, 2 to 64 characters, different from attendeePass. Generated when absent. */
  moderatorPass?: string | null | undefined;
  /** Everybody joins muted [muteOnStart]. */
  muteOnStart?: boolean | null | undefined;
  /** The meeting's name, 2 to 256 characters. */
  name: string;
  /** Ask every participant to acknowledge that the meeting is recorded [notifyRecordingIsOn]. */
  notifyRecordingIsOn?: boolean | null | undefined;
  /** Slides BigBlueButton downloads on create, at most 10. */
  presentations?: Array<PresentationInput> | null | undefined;
  /** Allow recording this meeting [record]. Without it nothing is recorded, whatever else is set. */
  record?: boolean | null | undefined;
  /** Where participants go after leaving the meeting. http(s) only. */
  redirectAtLogout?: string | null | undefined;
  /** Who waits for a moderator to let them in (BigBlueButton's guestPolicy plus guest=true on the joins of those who wait). Default NONE. */
  waitingRoom?: WaitingRoom | null | undefined;
  /** Only moderators see the viewers' webcams [webcamsOnlyForModerator]. */
  webcamsOnlyForModerator?: boolean | null | undefined;
  /** Welcome message in the chat [welcome]. At most 2000 characters, no control characters; BigBlueButton replaces %%CONFNAME%% and similar keywords. */
  welcome?: string | null | undefined;
};

/** The access token to mint: one meeting, what it may do there, and who the holder is. */
export type IssueAccessTokenInput = {
  /** Fixes the avatar URL: joinUrl uses it and refuses another. http(s) only. */
  avatar?: string | null | undefined;
  /** Whether the holder joins as a guest, whom a GUESTS waiting room holds back until a moderator admits them. Default false; the browser cannot change it. */
  isGuest?: boolean | null | undefined;
  /** The meetingId createMeeting returned; the meeting must be running and yours. */
  meetingId: string | number;
  /** Fixes the participant's name: joinUrl uses it and refuses another. */
  name?: string | null | undefined;
  /** Fixes the role of a join made with this token; the join then needs no password. Without it, joinUrl asks for the meeting password. */
  role?: Role | null | undefined;
  /** What the token may do (at least one). */
  scopes: Array<AccessScope>;
  /** Lifetime in seconds, 1 to 3600. Default 300. */
  ttlSeconds?: number | null | undefined;
  /** Fixes your application's ID for this user: joinUrl uses it and refuses another. */
  userId?: string | null | undefined;
};

/** Who joins which meeting, and as what: send exactly one of role (BigBlueButton 3.0's way) and password. */
export type JoinMeetingInput = {
  /** URL of the user's avatar image. http(s) only. */
  avatar?: string | null | undefined;
  /** The createTime createMeeting returned. A link for an earlier meeting with the same ID is refused with CONFLICT. Required, unless an access token fixes it. */
  createTime?: string | null | undefined;
  /** A layout this participant cannot change [enforceLayout]; BigBlueButton 3.0. */
  enforceLayout?: MeetingLayout | null | undefined;
  /** Where BigBlueButton sends the browser when the join fails [errorRedirectUrl]. http(s) only. */
  errorRedirectUrl?: string | null | undefined;
  /** Leave this participant out of the learning dashboard [excludeFromDashboard]. */
  excludeFromDashboard?: boolean | null | undefined;
  /** True to join as a guest. In a meeting whose waitingRoom is GUESTS, guests wait for a moderator; in ALL_VIEWERS every viewer waits anyway. */
  isGuest?: boolean | null | undefined;
  /** The meetingId createMeeting returned. */
  meetingId: string | number;
  /** The participant's full name as the others will see it. Required, unless an access token fixes it. */
  name?: string | null | undefined;
  /** The meeting's moderator password (joins as MODERATOR) or attendee password (joins as VIEWER). Deprecated in BigBlueButton 3.0: send role instead. Exactly one of password and role (neither with an access token that fixes the role). */
  password?: string | null | undefined;
  /** The role to join with, decided by your application (sent to BigBlueButton as role). Exactly one of password and role. */
  role?: Role | null | undefined;
  /** Your application's ID for this user; BigBlueButton reports it back in the attendee list. */
  userId?: string | null | undefined;
  /** Per-user client settings, sent as userdata-<key> (e.g. bbb_skip_check_audio, bbb_override_default_locale, bbb_custom_style_url), at most 30. */
  userdata?: Array<UserdataInput> | null | undefined;
};

/** What viewers may not do. Each flag is sent as BigBlueButton's `lockSettings<Name>`; an absent flag keeps the server's default. */
export type LockSettingsInput = {
  /** Viewers cannot share a webcam [lockSettingsDisableCam]. */
  disableCam?: boolean | null | undefined;
  /** Viewers cannot use their microphone [lockSettingsDisableMic]. */
  disableMic?: boolean | null | undefined;
  /** Viewers cannot edit the shared notes [lockSettingsDisableNotes]. */
  disableNotes?: boolean | null | undefined;
  /** Viewers cannot chat privately [lockSettingsDisablePrivateChat]. */
  disablePrivateChat?: boolean | null | undefined;
  /** Viewers cannot use the public chat [lockSettingsDisablePublicChat]. */
  disablePublicChat?: boolean | null | undefined;
  /** Viewers see only moderators in the user list [lockSettingsHideUserList]. */
  hideUserList?: boolean | null | undefined;
  /** Viewers do not see each other's whiteboard cursors [lockSettingsHideViewersCursor]. */
  hideViewersCursor?: boolean | null | undefined;
  /** Apply the locks as soon as a viewer joins [lockSettingsLockOnJoin]. */
  lockOnJoin?: boolean | null | undefined;
  /** Let viewers change lockOnJoin [lockSettingsLockOnJoinConfigurable]. */
  lockOnJoinConfigurable?: boolean | null | undefined;
};

/** The kinds of meeting event; each is also a webhook `type` (`MEETING_ENDED` is `meeting.ended`). */
export type MeetingEventType =
  | 'MEETING_CREATED'
  | 'MEETING_ENDED'
  | 'MEETING_SUMMARY'
  | 'RECORDING_READY';

/** A feature BigBlueButton can switch off for a meeting (create's `disabledFeatures`, sent under BigBlueButton's own names). Some need 2.6, 2.7 or 3.0; an older server ignores names it does not know. */
export type MeetingFeature =
  | 'BREAKOUT_ROOMS'
  | 'CAMERA_AS_CONTENT'
  | 'CAPTIONS'
  | 'CHAT'
  | 'CHAT_EMOJI_PICKER'
  | 'CHAT_MESSAGE_REACTIONS'
  | 'CUSTOM_VIRTUAL_BACKGROUNDS'
  | 'DELETE_CHAT_MESSAGE'
  | 'DOWNLOAD_PRESENTATION_CONVERTED_TO_PDF'
  | 'DOWNLOAD_PRESENTATION_ORIGINAL_FILE'
  | 'DOWNLOAD_PRESENTATION_WITH_ANNOTATIONS'
  | 'EDIT_CHAT_MESSAGE'
  | 'EXTERNAL_VIDEOS'
  | 'IMPORT_PRESENTATION_WITH_ANNOTATIONS_FROM_BREAKOUT_ROOMS'
  | 'IMPORT_SHARED_NOTES_FROM_BREAKOUT_ROOMS'
  | 'INFINITE_WHITEBOARD'
  | 'LAYOUTS'
  | 'LEARNING_DASHBOARD'
  | 'LEARNING_DASHBOARD_DOWNLOAD_SESSION_DATA'
  | 'LIVE_TRANSCRIPTION'
  | 'POLLS'
  | 'PRESENTATION'
  | 'PRIVATE_CHAT'
  | 'QUIZZES'
  | 'RAISE_HAND'
  | 'REPLY_CHAT_MESSAGE'
  | 'SCREENSHARE'
  | 'SHARED_NOTES'
  | 'SNAPSHOT_OF_CURRENT_SLIDE'
  | 'TIMER'
  | 'USER_REACTIONS'
  | 'VIRTUAL_BACKGROUNDS';

/** BigBlueButton's layouts (`meetingLayout` on create, `enforceLayout` on join). The last four need BigBlueButton 3.0. */
export type MeetingLayout =
  | 'CAMERAS_ONLY'
  | 'CUSTOM_LAYOUT'
  | 'MEDIA_ONLY'
  | 'PARTICIPANTS_AND_CHAT_ONLY'
  | 'PRESENTATION_FOCUS'
  | 'PRESENTATION_ONLY'
  | 'SMART_LAYOUT'
  | 'VIDEO_FOCUS';

/** One metadata key/value pair, sent to BigBlueButton as `meta_<key>` (createMeeting, updateRecordingMetadata). On a recording an empty value removes the key. */
export type MetadataInput = {
  /** Metadata key: a letter, then letters, digits or dashes, at most 64 characters (BigBlueButton drops other keys and lowercases the rest). Reserved and refused: the gateway's own keys (`bbb-interface-*`, among them `bbb-interface-app`, which tells applications apart) and callback keys (`endCallbackUrl`, `*-recording-ready-url`, `*-callback-url`). */
  key: string;
  /** The value, at most 1000 characters, no control characters; on a recording an empty string removes the key. */
  value: string;
};

/** One raw BigBlueButton create parameter, for what the typed options do not cover. */
export type ParameterInput = {
  /** BigBlueButton's own parameter name, e.g. allowModsToUnmuteUsers. Only names the operator listed in BBB_CREATE_PASSTHROUGH are accepted. */
  name: string;
  /** The value as BigBlueButton expects it, at most 2000 characters, no control characters. */
  value: string;
};

/** A document BigBlueButton downloads and shows as slides. Sent in BigBlueButton's XML body. */
export type PresentationInput = {
  /** Whether it is the document shown first. */
  current?: boolean | null | undefined;
  /** Whether participants may download it. */
  downloadable?: boolean | null | undefined;
  /** The file name shown in the client, e.g. `slides.pdf`. */
  filename?: string | null | undefined;
  /** Where BigBlueButton downloads the document from. http(s) only. */
  url: string;
};

/** Where a recording is in BigBlueButton's pipeline. */
export type RecordingState =
  /** Deleted; listed only when asked for with states: [DELETED]. */
  | 'DELETED'
  /** Built, but not yet published or unpublished. */
  | 'PROCESSED'
  /** The meeting has ended and BigBlueButton is still building the recording. */
  | 'PROCESSING'
  /** Viewable through its playback URLs. */
  | 'PUBLISHED'
  /** Kept on the server, but its playback URLs do not work until it is published again. */
  | 'UNPUBLISHED';

/** What a participant may do in the meeting. Decided by the role or the password sent to joinUrl. */
export type Role =
  /** Can mute, remove, record and end (role MODERATOR, or the moderator password). */
  | 'MODERATOR'
  /** A participant (role VIEWER, or the attendee password). */
  | 'VIEWER';

/** One userdata-<key>=value join parameter. */
export type UserdataInput = {
  /** A letter, then letters, digits and underscores, at most 64 characters (BigBlueButton drops keys with dashes), e.g. bbb_skip_check_audio. */
  key: string;
  /** At most 1000 characters, no control characters. */
  value: string;
};

/** Who waits for a moderator to let them in. Moderators never wait. */
export type WaitingRoom =
  /** Every VIEWER waits (guestPolicy ASK_MODERATOR; the gateway marks every viewer join guest=true). */
  | 'ALL_VIEWERS'
  /** Only joins made with isGuest: true wait (guestPolicy ASK_MODERATOR; the gateway marks those joins guest=true). */
  | 'GUESTS'
  /** Nobody waits (BigBlueButton guestPolicy ALWAYS_ACCEPT). */
  | 'NONE';

/** Where one webhook delivery stands. */
export type WebhookDeliveryStatus =
  /** Your endpoint answered 2xx. */
  | 'DELIVERED'
  /** No attempt follows: the retry schedule is used up, or your endpoint answered 410 (deliveries to it are stopped until the operator enables it again). */
  | 'FAILED'
  /** Waiting for its first attempt or for a retry, or being attempted now. */
  | 'PENDING';

export type IssueAccessTokenMutationVariables = Exact<{
  input: IssueAccessTokenInput;
}>;


export type IssueAccessTokenMutation = { issueAccessToken: { token: string, expiresAt: string } };

type MeetingEventFields_MeetingCreatedEvent_Fragment = { __typename: 'MeetingCreatedEvent', internalMeetingId: string | null, createdAt: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string };

type MeetingEventFields_MeetingEndedEvent_Fragment = { __typename: 'MeetingEndedEvent', internalMeetingId: string | null, recordingMarks: boolean | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string };

type MeetingEventFields_MeetingSummaryEvent_Fragment = { __typename: 'MeetingSummaryEvent', internalMeetingId: string | null, startedAt: string | null, endedAt: string | null, durationSeconds: number | null, pollCount: number, fileCount: number, id: string, type: MeetingEventType, occurredAt: string, meetingId: string, attendees: Array<{ userId: string | null, name: string, moderator: boolean, durationSeconds: number, joins: Array<string>, leaves: Array<string>, engagement: { chats: number, talks: number, raiseHands: number, emojis: number, pollVotes: number, talkTimeSeconds: number } }> };

type MeetingEventFields_RecordingReadyEvent_Fragment = { __typename: 'RecordingReadyEvent', recordId: string, internalMeetingId: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string };

export type MeetingEventFieldsFragment =
  | MeetingEventFields_MeetingCreatedEvent_Fragment
  | MeetingEventFields_MeetingEndedEvent_Fragment
  | MeetingEventFields_MeetingSummaryEvent_Fragment
  | MeetingEventFields_RecordingReadyEvent_Fragment
;

export type MeetingEventsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | number | null | undefined;
  meetingId?: string | number | null | undefined;
  types?: Array<MeetingEventType> | MeetingEventType | null | undefined;
}>;


export type MeetingEventsQuery = { meetingEvents: { edges: Array<{ cursor: string, node:
        | { __typename: 'MeetingCreatedEvent', internalMeetingId: string | null, createdAt: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
        | { __typename: 'MeetingEndedEvent', internalMeetingId: string | null, recordingMarks: boolean | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
        | { __typename: 'MeetingSummaryEvent', internalMeetingId: string | null, startedAt: string | null, endedAt: string | null, durationSeconds: number | null, pollCount: number, fileCount: number, id: string, type: MeetingEventType, occurredAt: string, meetingId: string, attendees: Array<{ userId: string | null, name: string, moderator: boolean, durationSeconds: number, joins: Array<string>, leaves: Array<string>, engagement: { chats: number, talks: number, raiseHands: number, emojis: number, pollVotes: number, talkTimeSeconds: number } }> }
        | { __typename: 'RecordingReadyEvent', recordId: string, internalMeetingId: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
       }>, nodes: Array<
      | { __typename: 'MeetingCreatedEvent', internalMeetingId: string | null, createdAt: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
      | { __typename: 'MeetingEndedEvent', internalMeetingId: string | null, recordingMarks: boolean | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
      | { __typename: 'MeetingSummaryEvent', internalMeetingId: string | null, startedAt: string | null, endedAt: string | null, durationSeconds: number | null, pollCount: number, fileCount: number, id: string, type: MeetingEventType, occurredAt: string, meetingId: string, attendees: Array<{ userId: string | null, name: string, moderator: boolean, durationSeconds: number, joins: Array<string>, leaves: Array<string>, engagement: { chats: number, talks: number, raiseHands: number, emojis: number, pollVotes: number, talkTimeSeconds: number } }> }
      | { __typename: 'RecordingReadyEvent', recordId: string, internalMeetingId: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
    >, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type MeetingEventStreamSubscriptionVariables = Exact<{
  meetingId?: string | number | null | undefined;
  types?: Array<MeetingEventType> | MeetingEventType | null | undefined;
  after?: string | number | null | undefined;
}>;


export type MeetingEventStreamSubscription = { meetingEvents:
    | { __typename: 'MeetingCreatedEvent', internalMeetingId: string | null, createdAt: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
    | { __typename: 'MeetingEndedEvent', internalMeetingId: string | null, recordingMarks: boolean | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
    | { __typename: 'MeetingSummaryEvent', internalMeetingId: string | null, startedAt: string | null, endedAt: string | null, durationSeconds: number | null, pollCount: number, fileCount: number, id: string, type: MeetingEventType, occurredAt: string, meetingId: string, attendees: Array<{ userId: string | null, name: string, moderator: boolean, durationSeconds: number, joins: Array<string>, leaves: Array<string>, engagement: { chats: number, talks: number, raiseHands: number, emojis: number, pollVotes: number, talkTimeSeconds: number } }> }
    | { __typename: 'RecordingReadyEvent', recordId: string, internalMeetingId: string | null, id: string, type: MeetingEventType, occurredAt: string, meetingId: string }
   };

export type CreateMeetingMutationVariables = Exact<{
  input: CreateMeetingInput;
}>;


export type CreateMeetingMutation = { createMeeting: { meetingId: string, name: string, attendeePass: string, moderatorPass: string, createTime: string, createdAt: string } };

export type CreateMeetingLiveMutationVariables = Exact<{
  input: CreateMeetingInput;
}>;


export type CreateMeetingLiveMutation = { createMeeting: { meetingId: string, name: string, createTime: string, running: boolean, hasUserJoined: boolean, participantCount: number, maxParticipant: number | null, attendees: Array<{ userId: string }>, metadata: Array<{ key: string, value: string }> } };

export type JoinUrlQueryVariables = Exact<{
  input: JoinMeetingInput;
}>;


export type JoinUrlQuery = { joinUrl: string };

export type MeetingQueryVariables = Exact<{
  meetingId: string | number;
}>;


export type MeetingQuery = { meeting: { meetingId: string, name: string, createTime: string, createdAt: string, running: boolean, hasUserJoined: boolean, recording: boolean, participantCount: number, moderatorCount: number, listenerCount: number, voiceParticipantCount: number, videoCount: number, maxParticipant: number | null, attendees: Array<{ userId: string, name: string, role: Role, isPresenter: boolean, hasJoinedVoice: boolean, isListeningOnly: boolean, hasVideo: boolean, clientType: string }>, metadata: Array<{ key: string, value: string }> } };

export type MeetingsQueryVariables = Exact<{ [key: string]: never; }>;


export type MeetingsQuery = { meetings: Array<{ meetingId: string, name: string, createTime: string, running: boolean, participantCount: number, attendees: Array<{ userId: string, name: string, role: Role }>, metadata: Array<{ key: string, value: string }> }> };

export type EndMeetingMutationVariables = Exact<{
  meetingId: string | number;
}>;


export type EndMeetingMutation = { endMeeting: boolean };

export type CreateMeetingWithOptionsMutationVariables = Exact<{
  input: CreateMeetingInput;
}>;


export type CreateMeetingWithOptionsMutation = { createMeeting: { meetingId: string, createTime: string, internalMeetingId: string, startedAt: string | null, durationMinutes: number, isBreakout: boolean, recording: boolean, recordingEnabled: boolean, waitingRoom: WaitingRoom, metadata: Array<{ key: string, value: string }> } };

export type InsertDocumentMutationVariables = Exact<{
  meetingId: string | number;
  presentations: Array<PresentationInput> | PresentationInput;
}>;


export type InsertDocumentMutation = { insertDocument: boolean };

export type SendChatMessageMutationVariables = Exact<{
  meetingId: string | number;
  message: string;
  userName?: string | null | undefined;
}>;


export type SendChatMessageMutation = { sendChatMessage: boolean };

export type RecordingFieldsFragment = { recordId: string, meetingId: string, internalMeetingId: string, name: string, state: RecordingState, published: boolean, isBreakout: boolean, startedAt: string | null, endedAt: string | null, participants: number, metadata: Array<{ key: string, value: string }>, formats: Array<{ type: string, url: string, lengthMinutes: number, processingTimeMs: number | null, previewImages: Array<{ url: string, width: number | null, height: number | null, alt: string | null }> }> };

export type RecordingsQueryVariables = Exact<{
  meetingId?: string | number | null | undefined;
  states?: Array<RecordingState> | RecordingState | null | undefined;
  first?: number;
  after?: string | null | undefined;
}>;


export type RecordingsQuery = { recordings: { edges: Array<{ cursor: string, node: { recordId: string, meetingId: string, internalMeetingId: string, name: string, state: RecordingState, published: boolean, isBreakout: boolean, startedAt: string | null, endedAt: string | null, participants: number, metadata: Array<{ key: string, value: string }>, formats: Array<{ type: string, url: string, lengthMinutes: number, processingTimeMs: number | null, previewImages: Array<{ url: string, width: number | null, height: number | null, alt: string | null }> }> } }>, nodes: Array<{ recordId: string }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type PublishRecordingsMutationVariables = Exact<{
  recordIds: Array<string | number> | string | number;
}>;


export type PublishRecordingsMutation = { publishRecordings: Array<{ recordId: string, state: RecordingState, published: boolean }> };

export type UnpublishRecordingsMutationVariables = Exact<{
  recordIds: Array<string | number> | string | number;
}>;


export type UnpublishRecordingsMutation = { unpublishRecordings: Array<{ recordId: string, state: RecordingState, published: boolean }> };

export type DeleteRecordingsMutationVariables = Exact<{
  recordIds: Array<string | number> | string | number;
}>;


export type DeleteRecordingsMutation = { deleteRecordings: boolean };

export type UpdateRecordingMetadataMutationVariables = Exact<{
  recordIds: Array<string | number> | string | number;
  metadata: Array<MetadataInput> | MetadataInput;
}>;


export type UpdateRecordingMetadataMutation = { updateRecordingMetadata: Array<{ recordId: string, metadata: Array<{ key: string, value: string }> }> };

export type WebhookEndpointQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointQuery = { webhookEndpoint: { url: string, types: Array<string>, secret: string } | null };

export type SendTestWebhookMutationVariables = Exact<{ [key: string]: never; }>;


export type SendTestWebhookMutation = { sendTestWebhook: { eventId: string, delivered: boolean, outcome: string, status: number | null, error: string | null, latencyMs: number | null } };

export type WebhookDeliveriesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: WebhookDeliveryStatus | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: { edges: Array<{ cursor: string, node: { eventId: string, deliveryId: string } }>, nodes: Array<{ eventId: string, deliveryId: string, type: string, queuedAt: string, status: WebhookDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastLatencyMs: number | null, lastError: string | null, nextAttemptAt: string | null, attempts: Array<{ attempt: number, at: string, outcome: string, statusCode: number | null, latencyMs: number | null, error: string | null }> }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RedeliverWebhookMutationVariables = Exact<{
  eventId: string | number;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: { eventId: string, deliveryId: string, status: WebhookDeliveryStatus, attemptCount: number } };

export const MeetingEventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingCreatedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEndedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"recordingMarks"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordingReadyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingSummaryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"pollCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"moderator"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"joins"}},{"kind":"Field","name":{"kind":"Name","value":"leaves"}},{"kind":"Field","name":{"kind":"Name","value":"engagement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chats"}},{"kind":"Field","name":{"kind":"Name","value":"talks"}},{"kind":"Field","name":{"kind":"Name","value":"raiseHands"}},{"kind":"Field","name":{"kind":"Name","value":"emojis"}},{"kind":"Field","name":{"kind":"Name","value":"pollVotes"}},{"kind":"Field","name":{"kind":"Name","value":"talkTimeSeconds"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeetingEventFieldsFragment, unknown>;
export const RecordingFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RecordingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Recording"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"published"}},{"kind":"Field","name":{"kind":"Name","value":"isBreakout"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"formats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"lengthMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"processingTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"previewImages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"alt"}}]}}]}}]}}]} as unknown as DocumentNode<RecordingFieldsFragment, unknown>;
export const IssueAccessTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IssueAccessToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IssueAccessTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issueAccessToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<IssueAccessTokenMutation, IssueAccessTokenMutationVariables>;
export const MeetingEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MeetingEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEventType"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingEventFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingEventFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingCreatedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEndedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"recordingMarks"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordingReadyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingSummaryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"pollCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"moderator"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"joins"}},{"kind":"Field","name":{"kind":"Name","value":"leaves"}},{"kind":"Field","name":{"kind":"Name","value":"engagement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chats"}},{"kind":"Field","name":{"kind":"Name","value":"talks"}},{"kind":"Field","name":{"kind":"Name","value":"raiseHands"}},{"kind":"Field","name":{"kind":"Name","value":"emojis"}},{"kind":"Field","name":{"kind":"Name","value":"pollVotes"}},{"kind":"Field","name":{"kind":"Name","value":"talkTimeSeconds"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeetingEventsQuery, MeetingEventsQueryVariables>;
export const MeetingEventStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MeetingEventStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEventType"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MeetingEventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MeetingEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingCreatedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingEndedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"recordingMarks"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordingReadyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MeetingSummaryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"pollCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"moderator"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"joins"}},{"kind":"Field","name":{"kind":"Name","value":"leaves"}},{"kind":"Field","name":{"kind":"Name","value":"engagement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chats"}},{"kind":"Field","name":{"kind":"Name","value":"talks"}},{"kind":"Field","name":{"kind":"Name","value":"raiseHands"}},{"kind":"Field","name":{"kind":"Name","value":"emojis"}},{"kind":"Field","name":{"kind":"Name","value":"pollVotes"}},{"kind":"Field","name":{"kind":"Name","value":"talkTimeSeconds"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeetingEventStreamSubscription, MeetingEventStreamSubscriptionVariables>;
export const CreateMeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMeeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"attendeePass"}},{"kind":"Field","name":{"kind":"Name","value":"moderatorPass"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<CreateMeetingMutation, CreateMeetingMutationVariables>;
export const CreateMeetingLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMeetingLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"hasUserJoined"}},{"kind":"Field","name":{"kind":"Name","value":"participantCount"}},{"kind":"Field","name":{"kind":"Name","value":"maxParticipant"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<CreateMeetingLiveMutation, CreateMeetingLiveMutationVariables>;
export const JoinUrlDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JoinUrl"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JoinMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"joinUrl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<JoinUrlQuery, JoinUrlQueryVariables>;
export const MeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Meeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"hasUserJoined"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participantCount"}},{"kind":"Field","name":{"kind":"Name","value":"moderatorCount"}},{"kind":"Field","name":{"kind":"Name","value":"listenerCount"}},{"kind":"Field","name":{"kind":"Name","value":"voiceParticipantCount"}},{"kind":"Field","name":{"kind":"Name","value":"videoCount"}},{"kind":"Field","name":{"kind":"Name","value":"maxParticipant"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"isPresenter"}},{"kind":"Field","name":{"kind":"Name","value":"hasJoinedVoice"}},{"kind":"Field","name":{"kind":"Name","value":"isListeningOnly"}},{"kind":"Field","name":{"kind":"Name","value":"hasVideo"}},{"kind":"Field","name":{"kind":"Name","value":"clientType"}}]}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<MeetingQuery, MeetingQueryVariables>;
export const MeetingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"participantCount"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<MeetingsQuery, MeetingsQueryVariables>;
export const EndMeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EndMeeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}}]}]}}]} as unknown as DocumentNode<EndMeetingMutation, EndMeetingMutationVariables>;
export const CreateMeetingWithOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMeetingWithOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"isBreakout"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"recordingEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"waitingRoom"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<CreateMeetingWithOptionsMutation, CreateMeetingWithOptionsMutationVariables>;
export const InsertDocumentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InsertDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"presentations"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PresentationInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"insertDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}},{"kind":"Argument","name":{"kind":"Name","value":"presentations"},"value":{"kind":"Variable","name":{"kind":"Name","value":"presentations"}}}]}]}}]} as unknown as DocumentNode<InsertDocumentMutation, InsertDocumentMutationVariables>;
export const SendChatMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendChatMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"message"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendChatMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}},{"kind":"Argument","name":{"kind":"Name","value":"message"},"value":{"kind":"Variable","name":{"kind":"Name","value":"message"}}},{"kind":"Argument","name":{"kind":"Name","value":"userName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userName"}}}]}]}}]} as unknown as DocumentNode<SendChatMessageMutation, SendChatMessageMutationVariables>;
export const RecordingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Recordings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"states"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordingState"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}},{"kind":"Argument","name":{"kind":"Name","value":"states"},"value":{"kind":"Variable","name":{"kind":"Name","value":"states"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RecordingFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RecordingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Recording"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"internalMeetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"published"}},{"kind":"Field","name":{"kind":"Name","value":"isBreakout"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"participants"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"formats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"lengthMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"processingTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"previewImages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}},{"kind":"Field","name":{"kind":"Name","value":"alt"}}]}}]}}]}}]} as unknown as DocumentNode<RecordingsQuery, RecordingsQueryVariables>;
export const PublishRecordingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishRecordings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishRecordings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"recordIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"published"}}]}}]}}]} as unknown as DocumentNode<PublishRecordingsMutation, PublishRecordingsMutationVariables>;
export const UnpublishRecordingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnpublishRecordings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unpublishRecordings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"recordIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"published"}}]}}]}}]} as unknown as DocumentNode<UnpublishRecordingsMutation, UnpublishRecordingsMutationVariables>;
export const DeleteRecordingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRecordings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRecordings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"recordIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}}}]}]}}]} as unknown as DocumentNode<DeleteRecordingsMutation, DeleteRecordingsMutationVariables>;
export const UpdateRecordingMetadataDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateRecordingMetadata"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetadataInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateRecordingMetadata"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"recordIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recordIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"metadata"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordId"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateRecordingMetadataMutation, UpdateRecordingMetadataMutationVariables>;
export const WebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookEndpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookEndpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"types"}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}}]} as unknown as DocumentNode<WebhookEndpointQuery, WebhookEndpointQueryVariables>;
export const SendTestWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendTestWebhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendTestWebhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}}]}}]}}]} as unknown as DocumentNode<SendTestWebhookMutation, SendTestWebhookMutationVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDeliveryStatus"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"queuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"statusCode"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const RedeliverWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeliverWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeliverWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"eventId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}}]}}]}}]} as unknown as DocumentNode<RedeliverWebhookMutation, RedeliverWebhookMutationVariables>;