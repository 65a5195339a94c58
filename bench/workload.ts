import { randomBytes } from 'node:crypto';
import type { Simulator } from '../src/simulator/index.js';
import type { BenchRequest } from './load-generator.js';

/** The bench's API token for the app `lms`; a fresh one per run. */
const TOKEN = `bench-${randomBytes(18).toString('base64url')}`;

const JOIN_QUERY = 'query JoinUrl($input: JoinMeetingInput!) { joinUrl(input: $input) }';
const CREATE_MUTATION =
  'mutation CreateMeeting($input: CreateMeetingInput!) { createMeeting(input: $input) { meetingId attendeePass moderatorPass createTime } }';

export interface SeededMeeting {
  meetingId: string;
  attendeePass: string;
  moderatorPass: string;
  createTime: string;
}

/**
 * The gateway's environment for the bench: production mode, info-level logs (written to /dev/null by the harness), and a
 * rate limit far above what the bench sends, so the limiter still runs on every request but never refuses one.
 */
export function gatewayEnv(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    BBB_URL: sim.url,
    BBB_SECRET: sim.secret,
    API_TOKENS: `lms:${TOKEN}`,
    LOG_LEVEL: 'info',
    RATE_LIMIT_POINTS: '10000000',
    ...extra,
  };
}

const headers = { 'content-type': 'application/json', authorization: TOKEN };

/** The bench app's API token (for clients that do not go through `headers`, such as graphql-ws). */
export function benchToken(): string {
  return TOKEN;
}

/** Answered by the gateway once its schema, auth and routes are ready: `{ __typename }` with the bench token. */
export async function gatewayAnswers(url: string): Promise<boolean> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: '{"query":"{ __typename }"}' });
  await res.text();
  return res.status === 200;
}

/** Any answer below 500 from the baselines' one route. */
export function answersPost(path: string, body: string): (url: string) => Promise<boolean> {
  return async (url) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers, body, redirect: 'manual' });
    await res.text();
    return res.status < 500;
  };
}

/** Creates `count` meetings through the gateway's REST /create, `concurrency` at a time. */
export async function seedMeetings(url: string, count: number, concurrency = 16): Promise<SeededMeeting[]> {
  const out: SeededMeeting[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}/create`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `Lecture ${i}` }),
      });
      const body = (await res.json()) as Record<string, string>;
      if (res.status !== 200) throw new Error(`seeding: POST /create answered ${res.status}: ${JSON.stringify(body)}`);
      out[i] = {
        meetingId: body.meeting_id!,
        attendeePass: body.attendee_pass!,
        moderatorPass: body.moderator_pass!,
        createTime: body.create_time!,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** Participant `i` of a meeting: a distinct name and user id; one in 50 is the moderator. */
function participant(m: SeededMeeting, i: number) {
  return { name: `Student ${i} Example`, password: i % 50 === 0 ? m.moderatorPass : m.attendeePass, userId: `u${i}` };
}

export function restJoin(m: SeededMeeting, i: number): BenchRequest {
  const p = participant(m, i);
  return {
    method: 'POST',
    path: '/join',
    headers,
    body: JSON.stringify({
      name: p.name,
      meeting_id: m.meetingId,
      password: p.password,
      create_time: m.createTime,
      user_id: p.userId,
    }),
  };
}

export function graphqlJoin(m: SeededMeeting, i: number): BenchRequest {
  const p = participant(m, i);
  return {
    method: 'POST',
    path: '/graphql',
    headers,
    body: JSON.stringify({
      query: JOIN_QUERY,
      operationName: 'JoinUrl',
      variables: {
        input: {
          name: p.name,
          meetingId: m.meetingId,
          password: p.password,
          createTime: m.createTime,
          userId: p.userId,
        },
      },
    }),
  };
}

export function graphqlCreate(i: number): BenchRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers,
    body: JSON.stringify({
      query: CREATE_MUTATION,
      operationName: 'CreateMeeting',
      variables: { input: { name: `Bench lecture ${i}` } },
    }),
  };
}

/** `count` requests spread over the meetings: participant i joins meeting i mod n. */
export function joinPool(
  meetings: readonly SeededMeeting[],
  count: number,
  make: (m: SeededMeeting, i: number) => BenchRequest,
): BenchRequest[] {
  return Array.from({ length: count }, (_, i) => make(meetings[i % meetings.length]!, i));
}

/** Counts the simulator's API calls of one kind received since `since` (epoch ms); `truncated` when its log ran over. */
export function bbbCallsSince(sim: Simulator, call: string, since: number): { count: number; truncated: boolean } {
  let count = 0;
  for (const r of sim.received) if (r.at >= since && r.call === call) count++;
  const oldest = sim.received[0];
  return { count, truncated: sim.received.length >= 10_000 && oldest !== undefined && oldest.at >= since };
}
