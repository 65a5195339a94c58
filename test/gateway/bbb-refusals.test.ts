import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalServer, xml, type LocalServer } from '../bbb/local-server.js';
import { gql, post, startStack, TOKENS, type Stack } from '../helpers/stack.js';
import { MEETING } from '../helpers/operations.js';
import { parseLogs, waitFor } from '../ops/support/ops-helpers.js';

// What a misconfigured or chatty BBB (or a proxy pretending to be one) may put in <message>: configuration.
const ECHO =
  'Connection to jdbc:postgresql://db.internal:5432/bbb failed for user bbb_admin; see /etc/bigbluebutton/bbb-web.properties';

describe('a BBB FAILED whose message echoes configuration', () => {
  let bbb: LocalServer;
  let stack: Stack;
  beforeAll(async () => {
    bbb = await startLocalServer();
    stack = await startStack({
      env: { BBB_URL: bbb.baseUrl, BBB_SECRET: 'a-secret-for-the-local-server-0123', BBB_RETRIES: '0' },
    });
  });
  afterAll(async () => {
    await stack.close();
    await bbb.close();
  });

  it.each([
    ['a key the gateway knows', 'internalError', /internalError.*failed internally/],
    ['a key the gateway does not know', 'someFutureKey', /someFutureKey/],
    ['a key that is not a key', 'bad key <script>', /unknownError/],
  ])(
    "relays only the gateway's own words for %s, on REST and GraphQL, and logs BBB's message",
    async (_label, key, expected) => {
      bbb.reset((_req, res) =>
        xml(
          res,
          `<response><returncode>FAILED</returncode><messageKey>${key.replace('<', '&lt;')}</messageKey><message>${ECHO}</message></response>`,
        ),
      );
      const rest = await post<{ message: string }>(
        `${stack.url}/create`,
        { name: 'echo' },
        { authorization: TOKENS.lms, 'x-request-id': `refusal-${key.length}` },
      );
      expect(rest.status).toBe(502);
      expect(Object.keys(rest.body)).toEqual(['message']);
      expect(rest.body.message).toMatch(expected);
      const g = await gql(stack, MEETING, { meetingId: 'm1' });
      expect(g.body.errors?.[0]?.extensions?.code).toBe('BBB_ERROR');
      expect(g.body.errors?.[0]?.message).toMatch(/BigBlueButton refused getMeetingInfo/);
      for (const text of [rest.text, g.text]) {
        expect(text).not.toMatch(/jdbc|postgresql|bbb_admin|bbb-web\.properties|<script>/);
      }
      // The operator still finds what BBB said.
      await waitFor(
        () => parseLogs(stack.logs).some((l) => l.reqId === `refusal-${key.length}` && l.msg === 'request failed'),
        'the failure log line',
      );
      expect(stack.logs.some((l) => l.includes(`refusal-${key.length}`) && l.includes('bbb_admin'))).toBe(true);
    },
  );
});
