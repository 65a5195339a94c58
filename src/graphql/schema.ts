import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType, type MiddlewareFn, type NonEmptyArray } from 'type-graphql';
import type { MeetingService } from '../meetings/meeting-service.js';
import type { RecordingService } from '../recordings/recording-service.js';
import type { AccessTokens } from '../auth/access-tokens.js';
import type { Events } from '../events/index.js';
import { mapErrors, toGraphQLError } from './errors.js';
import type { GatewayContext } from './context.js';
import { APP_TOKEN_ONLY_FIELDS, appTokenOnlyField } from './access-scopes.js';
import { MeetingResolver } from './meeting.resolver.js';
import { RecordingResolver } from './recording.resolver.js';
import { AccessTokenResolver } from './access-token.resolver.js';
import { WebhookResolver } from './webhook.resolver.js';
import { MeetingEventResolver } from './meeting-event.resolver.js';

export interface SchemaServices {
  meetings: MeetingService;
  /** Optional only so the schema can be printed without services (`npm run schema`); the gateway always passes it. */
  recordings?: RecordingService;
  /** Signs and verifies access tokens; absent when ACCESS_TOKEN_SIGNING_KEY is unset (issueAccessToken then says so). */
  accessTokens?: AccessTokens;
  /** Meeting events; absent without WEBHOOK_SIGNING_KEY (webhookEndpoint is then null, meetingEvents empty). */
  events?: Events;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const RESOLVERS: NonEmptyArray<new (...args: any[]) => unknown> = [
  MeetingResolver,
  RecordingResolver,
  AccessTokenResolver,
  WebhookResolver,
  MeetingEventResolver,
];

/** The second lock behind the auth plugin: an access token never resolves a field in APP_TOKEN_ONLY_FIELDS. */
const appTokenOnlyFields: MiddlewareFn<GatewayContext> = ({ context, info }, next) => {
  if (context.access && APP_TOKEN_ONLY_FIELDS[info.parentType.name]?.includes(info.fieldName))
    throw toGraphQLError(appTokenOnlyField(info.parentType.name, info.fieldName));
  return next();
};

/**
 * Both as one middleware: type-graphql runs each global middleware on every field (plain properties too) through an async
 * dispatch of its own, so one level instead of two halves that cost (bench/README.md). Errors first, then the lock.
 */
const guardedField: MiddlewareFn<GatewayContext> = (action, next) =>
  mapErrors(action, () => appTokenOnlyFields(action, next));

/** Resolvers get their collaborators through this map: no DI library, one instance per gateway. */
function containerFor(services: SchemaServices): ContainerType {
  const instances = new Map<unknown, unknown>([[MeetingResolver, new MeetingResolver(services.meetings)]]);
  instances.set(AccessTokenResolver, new AccessTokenResolver(services.meetings, services.accessTokens));
  instances.set(WebhookResolver, new WebhookResolver(services.events));
  instances.set(MeetingEventResolver, new MeetingEventResolver(services.events));
  if (services.recordings) instances.set(RecordingResolver, new RecordingResolver(services.recordings));
  return {
    get(someClass) {
      const instance = instances.get(someClass);
      if (!instance)
        throw new Error(`No resolver instance registered for ${String((someClass as { name?: string }).name)}`);
      return instance;
    },
  };
}

/** Builds the executable schema (the class metadata is read once per gateway, not per request). */
export async function buildGatewaySchema(services: SchemaServices): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    container: containerFor(services),
    globalMiddlewares: [guardedField],
    validate: false,
    // Subscription.meetingEvents has its own `subscribe` (the event log's replay and tail); type-graphql wants a PubSub
    // all the same, and none of its topics is ever used.
    pubSub: {
      publish() {
        throw new Error('no PubSub topics: events are published through the event log');
      },
      subscribe() {
        throw new Error('no PubSub topics: subscribe through the event log');
      },
    },
  });
}

/** The SDL committed as schema/schema.graphql; a test fails when it is stale. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
