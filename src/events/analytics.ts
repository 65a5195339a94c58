import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { GatewayError, ownBodyLimit } from '../errors.js';
import { eventId, type CallbackClaims, type CallbackKind } from './callback-token.js';
import type { GatewayEvent, MeetingSummaryData } from './types.js';

/**
 * The analytics callback (events.md §1, §5.2): BBB's post_events script POSTs the bbbevents summary of a meeting created with
 * `meetingKeepEvents=true` and `meta_analytics-callback-url`, once, as JSON with `Authorization: Bearer <JWT HS512 {exp}>`
 * signed with the shared secret (BBBLB re-signs with HS256; Scalelite re-posts with HS512 and adds fields). The body itself
 * is not signed: the Bearer JWT and the callback token together are the proof, so both are checked before the body is read.
 */

/**
 * The largest analytics body read. A summary grows with attendees × (joins + leaves) and polls; 4 MiB holds several thousand
 * attendees, far above BODY_LIMIT_BYTES (100 KiB by default), which stays the limit of every other route.
 */
export const ANALYTICS_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const count = z.number().finite().nonnegative().catch(0);
const attendeeSchema = z.object({
  // bbbevents' @extUserId, snake-cased by the post_events script; older bbbevents versions have none.
  ext_user_id: z.string().nullish().catch(null),
  name: z.string().catch(''),
  moderator: z.boolean().catch(false),
  duration: count,
  joins: z.array(z.unknown()).max(100_000).catch([]),
  leaves: z.array(z.unknown()).max(100_000).catch([]),
  engagement: z
    .object({
      chats: count,
      talks: count,
      raisehand: count,
      emojis: count,
      poll_votes: count,
      talk_time: count,
    })
    .partial()
    .catch({}),
});
/** The script's body `{version:"1.0", meeting_id, internal_meeting_id, data}`; unknown fields (Scalelite's) are ignored. */
const analyticsBodySchema = z.object({
  version: z.string().optional(),
  meeting_id: z.string(),
  internal_meeting_id: z.string(),
  data: z.object({
    duration: z.number().finite().nonnegative().nullish(),
    start: z.unknown(),
    finish: z.unknown(),
    attendees: z.array(attendeeSchema).max(100_000),
    files: z.array(z.unknown()).max(100_000).catch([]),
    polls: z.array(z.unknown()).max(100_000).catch([]),
  }),
});
type AnalyticsBody = z.infer<typeof analyticsBodySchema>;

/** bbbevents' times are Ruby Times as JSON (`2026-12-02T14:00:00.000+00:00`); also epoch ms. ISO UTC, or null if unreadable. */
function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function isoTimes(values: readonly unknown[]): string[] {
  return values.map(isoTime).filter((t): t is string => t !== null);
}

/** The summary's event data (shape agreed in issue 14's summary-shape.md); `meetingId` is the token's, never BBB's field. */
function summaryData(meetingId: string, body: AnalyticsBody): MeetingSummaryData {
  const { data } = body;
  return {
    meetingId,
    internalMeetingId: body.internal_meeting_id,
    startedAt: isoTime(data.start),
    endedAt: isoTime(data.finish),
    durationSeconds: data.duration ?? null,
    attendees: data.attendees.map((a) => ({
      userId: a.ext_user_id ?? null,
      name: a.name,
      moderator: a.moderator,
      durationSeconds: a.duration,
      joins: isoTimes(a.joins),
      leaves: isoTimes(a.leaves),
      engagement: {
        chats: a.engagement.chats ?? 0,
        talks: a.engagement.talks ?? 0,
        raiseHands: a.engagement.raisehand ?? 0,
        emojis: a.engagement.emojis ?? 0,
        pollVotes: a.engagement.poll_votes ?? 0,
        talkTimeSeconds: a.engagement.talk_time ?? 0,
      },
    })),
    pollCount: data.polls.length,
    fileCount: data.files.length,
  };
}

export interface AnalyticsRouteOptions {
  readonly path: string;
  readonly bbbSecret: string | undefined;
  readonly emit: (event: GatewayEvent) => Promise<void>;
  /** The token's claims for `kind`; throws the 401 (shared with the other callback routes). */
  readonly claimsOf: (token: string | undefined, kind: CallbackKind) => CallbackClaims;
  /** Counts a refused callback and returns the 401 to throw. */
  readonly rejected: (kind: CallbackKind) => GatewayError;
  readonly timestamp: () => string;
  readonly onCallback?: (kind: CallbackKind, outcome: 'accepted' | 'rejected') => void;
}

/** `POST <path>?t=<token>`: token and Bearer JWT checked on arrival (before the body is read), then one meeting.summary. */
export function registerAnalyticsRoute(scope: FastifyInstance, opts: AnalyticsRouteOptions): void {
  const claimsOf = new WeakMap<FastifyRequest, CallbackClaims>();
  const secret = opts.bbbSecret === undefined ? undefined : new TextEncoder().encode(opts.bbbSecret);

  scope.post<{ Querystring: Record<string, string | undefined> }>(
    opts.path,
    {
      bodyLimit: ANALYTICS_BODY_LIMIT_BYTES,
      onRequest: async (req) => {
        const claims = opts.claimsOf(req.query.t, 'analytics');
        if (secret === undefined)
          throw new GatewayError('BBB_UNAVAILABLE', 'The gateway cannot check analytics callbacks yet.');
        const header = req.headers.authorization;
        const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
        try {
          if (bearer === undefined) throw new joseErrors.JWTInvalid('no Bearer token');
          // BBB signs HS512 with {exp: now + 24 h}; BBBLB re-signs HS256 (events.md §1.1). A token without exp never expires: refused.
          await jwtVerify(bearer, secret, { algorithms: ['HS512', 'HS256'], requiredClaims: ['exp'] });
        } catch (err) {
          if (!(err instanceof joseErrors.JOSEError)) throw err;
          throw opts.rejected('analytics');
        }
        claimsOf.set(req, claims);
      },
      errorHandler: ownBodyLimit('analytics body', ANALYTICS_BODY_LIMIT_BYTES),
    },
    async (req, reply) => {
      const claims = claimsOf.get(req);
      if (!claims) throw opts.rejected('analytics');
      const parsed = analyticsBodySchema.safeParse(req.body);
      if (!parsed.success) {
        opts.onCallback?.('analytics', 'rejected');
        throw new GatewayError(
          'BAD_USER_INPUT',
          'Send the analytics summary as JSON: {version, meeting_id, internal_meeting_id, data: {attendees, …}}.',
        );
      }
      // The body is not signed: its meeting must be the token's (a balancer's scoped or re-encoded ID does not match).
      if (parsed.data.meeting_id !== claims.meetingId) throw opts.rejected('analytics');
      await opts.emit({
        // One summary per session: BBB sends it once, and a re-run of post_events or a balancer's duplicate collapses.
        id: eventId('meeting.summary', claims.app, claims.meetingId, claims.nonce),
        app: claims.app,
        type: 'meeting.summary',
        timestamp: opts.timestamp(),
        data: { ...summaryData(claims.meetingId, parsed.data) },
      });
      opts.onCallback?.('analytics', 'accepted');
      return reply.code(204).send();
    },
  );
}
