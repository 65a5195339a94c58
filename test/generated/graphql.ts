/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What createMeeting needs. Only the name is required; the gateway generates the meeting ID and any missing password. */
export type CreateMeetingInput = {
  /** Password that joins as VIEWER, 2 to 64 characters. Generated when absent. */
  attendeePass?: string | null | undefined;
  /** Most participants allowed at once (a positive whole number). Unlimited when absent. */
  maxParticipant?: number | null | undefined;
  /** Password that joins as MODERATOR, 2 to 64 characters, different from attendeePass. Generated when absent. */
  moderatorPass?: string | null | undefined;
  /** The meeting's name, 2 to 256 characters. */
  name: string;
  /** Where participants go after leaving the meeting. http(s) only. */
  redirectAtLogout?: string | null | undefined;
};

/** Who joins which meeting. The password decides the role. */
export type JoinMeetingInput = {
  /** URL of the user's avatar image. http(s) only. */
  avatar?: string | null | undefined;
  /** The createTime createMeeting returned. A link for an earlier meeting with the same ID is refused with CONFLICT. */
  createTime: string;
  /** True to join as a guest (subject to the meeting's guest policy). */
  isGuest?: boolean | null | undefined;
  /** The meetingId createMeeting returned. */
  meetingId: string | number;
  /** The participant's full name as the others will see it. */
  name: string;
  /** The meeting's moderator password (joins as MODERATOR) or attendee password (joins as VIEWER). */
  password: string;
  /** Your application's ID for this user; BigBlueButton reports it back in the attendee list. */
  userId?: string | null | undefined;
};

/** What a participant may do in the meeting. The password used to join decides it. */
export type Role =
  /** Joined with the moderator password: can mute, remove, record and end. */
  | 'MODERATOR'
  /** Joined with the attendee password. */
  | 'VIEWER';

export type CreateMeetingMutationVariables = Exact<{
  input: CreateMeetingInput;
}>;


export type CreateMeetingMutation = { createMeeting: { meetingId: string, name: string, attendeePass: string, moderatorPass: string, createTime: string, createdAt: string } };

export type JoinUrlQueryVariables = Exact<{
  input: JoinMeetingInput;
}>;


export type JoinUrlQuery = { joinUrl: string };

export type MeetingQueryVariables = Exact<{
  meetingId: string | number;
}>;


export type MeetingQuery = { meeting: { meetingId: string, name: string, createTime: string, createdAt: string, running: boolean, hasUserJoined: boolean, recording: boolean, participantCount: number, moderatorCount: number, listenerCount: number, voiceParticipantCount: number, videoCount: number, maxParticipant: number | null, attendees: Array<{ userId: string, name: string, role: Role, isPresenter: boolean, hasJoinedVoice: boolean, isListeningOnly: boolean, hasVideo: boolean, clientType: string }>, metadata: Array<{ key: string, value: string }> } };

export type MeetingsQueryVariables = Exact<{ [key: string]: never; }>;


export type MeetingsQuery = { meetings: Array<{ meetingId: string, name: string, running: boolean, participantCount: number }> };

export type EndMeetingMutationVariables = Exact<{
  meetingId: string | number;
}>;


export type EndMeetingMutation = { endMeeting: boolean };


export const CreateMeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMeeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"attendeePass"}},{"kind":"Field","name":{"kind":"Name","value":"moderatorPass"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<CreateMeetingMutation, CreateMeetingMutationVariables>;
export const JoinUrlDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JoinUrl"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JoinMeetingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"joinUrl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<JoinUrlQuery, JoinUrlQueryVariables>;
export const MeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Meeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createTime"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"hasUserJoined"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"participantCount"}},{"kind":"Field","name":{"kind":"Name","value":"moderatorCount"}},{"kind":"Field","name":{"kind":"Name","value":"listenerCount"}},{"kind":"Field","name":{"kind":"Name","value":"voiceParticipantCount"}},{"kind":"Field","name":{"kind":"Name","value":"videoCount"}},{"kind":"Field","name":{"kind":"Name","value":"maxParticipant"}},{"kind":"Field","name":{"kind":"Name","value":"attendees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"isPresenter"}},{"kind":"Field","name":{"kind":"Name","value":"hasJoinedVoice"}},{"kind":"Field","name":{"kind":"Name","value":"isListeningOnly"}},{"kind":"Field","name":{"kind":"Name","value":"hasVideo"}},{"kind":"Field","name":{"kind":"Name","value":"clientType"}}]}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<MeetingQuery, MeetingQueryVariables>;
export const MeetingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"meetingId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"participantCount"}}]}}]}}]} as unknown as DocumentNode<MeetingsQuery, MeetingsQueryVariables>;
export const EndMeetingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EndMeeting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endMeeting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"meetingId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"meetingId"}}}]}]}}]} as unknown as DocumentNode<EndMeetingMutation, EndMeetingMutationVariables>;