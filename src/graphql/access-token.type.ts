import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

export enum AccessScope {
  JOIN = 'JOIN',
  READ_MEETING = 'READ_MEETING',
  SUBSCRIBE_EVENTS = 'SUBSCRIBE_EVENTS',
}
registerEnumType(AccessScope, {
  name: 'AccessScope',
  description: 'What an access token may do, always on its one meeting.',
  valuesConfig: {
    JOIN: { description: "joinUrl for the token's meeting, with the role and identity the token fixes." },
    READ_MEETING: { description: "meeting(meetingId) for the token's meeting." },
    SUBSCRIBE_EVENTS: {
      description:
        "meetingEvents (the subscription over graphql-ws or SSE, and the query) for the token's meeting; over graphql-ws the token goes in connection_init's authorization.",
    },
  },
});

@ObjectType({
  description: 'A short-lived token for a browser: send it as `Authorization: Bearer <token>` to /graphql.',
})
export class AccessToken {
  @Field({
    description:
      'The compact JWT. Treat it like a password until it expires: never log it or put it in a URL a server sees.',
  })
  token!: string;

  @Field(() => DateTimeResolver, { description: 'When it stops working.' })
  expiresAt!: Date;
}
