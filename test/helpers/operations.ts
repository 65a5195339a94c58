import { print } from 'graphql';
import {
  CreateMeetingDocument,
  CreateMeetingLiveDocument,
  DeleteRecordingsDocument,
  EndMeetingDocument,
  IssueAccessTokenDocument,
  JoinUrlDocument,
  MeetingDocument,
  MeetingEventsDocument,
  MeetingEventStreamDocument,
  MeetingsDocument,
  PublishRecordingsDocument,
  RecordingsDocument,
  UnpublishRecordingsDocument,
  UpdateRecordingMetadataDocument,
  SendTestWebhookDocument,
  WebhookDeliveriesDocument,
  RedeliverWebhookDocument,
  WebhookEndpointDocument,
} from '../generated/graphql.js';

/** The tests' GraphQL operations as query strings, printed once from the typed documents codegen generates. */
export const CREATE = print(CreateMeetingDocument);
export const CREATE_LIVE = print(CreateMeetingLiveDocument);
export const DELETE = print(DeleteRecordingsDocument);
export const END = print(EndMeetingDocument);
export const ISSUE_TOKEN = print(IssueAccessTokenDocument);
export const JOIN = print(JoinUrlDocument);
export const MEETING = print(MeetingDocument);
export const MEETINGS = print(MeetingsDocument);
export const MEETING_EVENTS = print(MeetingEventsDocument);
export const MEETING_EVENT_STREAM = print(MeetingEventStreamDocument);
export const PUBLISH = print(PublishRecordingsDocument);
export const RECORDINGS = print(RecordingsDocument);
export const UNPUBLISH = print(UnpublishRecordingsDocument);
export const UPDATE = print(UpdateRecordingMetadataDocument);
export const WEBHOOK_ENDPOINT = print(WebhookEndpointDocument);
export const SEND_TEST_WEBHOOK = print(SendTestWebhookDocument);
export const WEBHOOK_DELIVERIES = print(WebhookDeliveriesDocument);
export const REDELIVER_WEBHOOK = print(RedeliverWebhookDocument);
