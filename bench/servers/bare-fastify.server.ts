import Fastify from 'fastify';

/**
 * Baseline (a): Fastify with one route answering a constant, no logger, no hooks. It receives the same bytes as the
 * gateway's POST /join (the body is parsed, then ignored) and answers the same way (303 + Location).
 */
const CONSTANT_LOCATION =
  'http://127.0.0.1/bigbluebutton/api/join?fullName=x&meetingID=y&role=VIEWER&createTime=1&checksum=0';

const app = Fastify();
app.post('/join', async (_req, reply) => reply.code(303).header('location', CONSTANT_LOCATION).send());
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
