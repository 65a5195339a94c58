/** The event types the gateway emits to apps (Standard Webhooks style dotted names). */
export const EVENT_TYPES = ['meeting.created', 'meeting.ended', 'recording.ready', 'meeting.summary'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent only by sendTestWebhook, to the app's endpoint whatever types it asked for; never queued or retried. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** One configured receiver: the app (token name) it belongs to, its URL, and the types it wants (all when empty). */
export interface WebhookEndpoint {
  readonly app: string;
  readonly url: string;
  readonly types: readonly EventType[];
}

/** One event as apps receive it: `id` is the `webhook-id` (deterministic, stable across retries). */
export interface GatewayEvent {
  readonly id: string;
  readonly app: string;
  readonly type: EventType | typeof TEST_EVENT_TYPE;
  /** ISO 8601 time at which the event happened. */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * `data` of a `meeting.summary` event (the analytics callback, WEBHOOK_ANALYTICS_APPS): the shape agreed with the GraphQL
 * subscriptions (MeetingSummaryEvent). Times ISO 8601 UTC, durations in seconds.
 */
export interface MeetingSummaryData {
  /** The gateway's (app's) meeting ID, from the callback token — never BBB's field. */
  meetingId: string;
  internalMeetingId: string;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  attendees: Array<{
    /** The app's userID on join (bbbevents' ext_user_id). */
    userId: string | null;
    name: string;
    moderator: boolean;
    durationSeconds: number;
    joins: string[];
    leaves: string[];
    engagement: {
      chats: number;
      talks: number;
      raiseHands: number;
      emojis: number;
      pollVotes: number;
      talkTimeSeconds: number;
    };
  }>;
  pollCount: number;
  fileCount: number;
}
