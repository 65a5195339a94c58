import Fastify from 'fastify';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';

/**
 * Baseline (b): Apollo Server on Fastify with a resolver answering a constant, no logger, no plugins of ours. Its
 * joinUrl field takes the same input type as the gateway's, so it receives (and parses, validates and coerces) the same
 * document and variables the gateway does; only the resolver's work is missing.
 */
const typeDefs = `#graphql
  input JoinMeetingInput {
    name: String!
    meetingId: ID!
    password: String!
    createTime: String!
    userId: String
    avatar: String
    isGuest: Boolean
  }
  type Query {
    hello: String!
    joinUrl(input: JoinMeetingInput!): String!
  }
`;
const CONSTANT_URL =
  'http://127.0.0.1/bigbluebutton/api/join?fullName=x&meetingID=y&role=VIEWER&createTime=1&checksum=0';
const resolvers = { Query: { hello: () => 'world', joinUrl: () => CONSTANT_URL } };

const app = Fastify();
const apollo = new ApolloServer({ typeDefs, resolvers, plugins: [fastifyApolloDrainPlugin(app)] });
await apollo.start();
await app.register(fastifyApollo(apollo));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
