import type { FastifyInstance, FastifyReply } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';
import {
  eventId,
  mintCallbackToken,
  newNonce,
  verifyCallbackToken,
  type CallbackClaims,
  type CallbackKind,
} from './callback-token.js';
import type { GatewayEvent } from './types.js';

const CALLBACK_PREFIX = '/bbb/callbacks/v1';
/**
 * The token travels in the query (`?t=`), not the path as in events.md §5.2: request logs keep the path and drop the query,
 * so the token never reaches a log line, and Fastify's 100-character path-parameter limit does not apply.
 */
export const CALLBACK_ROUTES = new Set([`${CALLBACK_PREFIX}/ended`, `${CALLBACK_PREFIX}/recording-ready`]);

/** The URL to register on BBB for one callback (PUBLIC_URL without a trailing slash). */
export function callbackUrl(publicUrl: string, kind: CallbackKind, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PREFIX}/${kind}?t=${encodeURIComponent(token)}`;
}

export interface CallbackRouteOptions {
  readonly tokenKey: Uint8Array;
  /** The secret BBB (or the balancer) signs recording-ready JWTs with: the gateway's own BBB_SECRET. */
  readonly bbbSecret: string | undefined;
  /** Adds the event to the delivery queue; answers quickly (BBB waits for the answer). */
  readonly emit: (event: GatewayEvent) => Promise<void>;
  readonly now?: () => Date;
  /** Called once per callback with whether it became an event (for metrics). */
  readonly onCallback?: (kind: CallbackKind, outcome: 'accepted' | 'rejected') => void;
  /** Called after an accepted end callback (the recording poll starts from here for recorded meetings). */
  readonly onEnded?: (claims: CallbackClaims) => void;
}

/**
 * The parameters `createMeeting` adds to BBB's create (through MeetingEvents.createParams): `meetingEndedURL`, never `meta_endCallbackUrl`,
 * whose value is copied into metadata and recordings (events.md §1); and for recorded meetings the recording-ready URL,
 * which is visible in metadata but useless without BBB's JWT. Both tokens share one nonce: the session's.
 */
export function callbackCreateParams(
  publicUrl: string,
  tokenKey: Uint8Array,
  meeting: { app: string; meetingId: string; record: boolean },
  nonce = newNonce(),
): Record<string, string> {
  const url = (kind: CallbackKind) =>
    callbackUrl(
      publicUrl,
      kind,
      mintCallbackToken(tokenKey, {
        kind,
        app: meeting.app,
        meetingId: meeting.meetingId,
        nonce,
        ...(meeting.record ? { record: true } : {}),
      }),
    );
  return {
    meetingEndedURL: url('ended'),
    ...(meeting.record ? { 'meta_bbb-recording-ready-url': url('recording-ready') } : {}),
  };
}

const UNAUTHORIZED = 'The callback token or its signature is not valid.';

/**
 * The routes BBB calls back (no bearer auth: the token in the path is the credential). They check, turn the call into an
 * event with a deterministic ID, queue it and answer 204; delivery happens later.
 */
export async function registerCallbackRoutes(app: FastifyInstance, opts: CallbackRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    // BBB posts recording-ready as a form; b3lb posts JSON (events.md §1.1), which the gateway's JSON parser reads.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const claimsOr401 = (token: string | undefined, kind: CallbackKind, reply: FastifyReply) => {
      const claims = typeof token === 'string' ? verifyCallbackToken(opts.tokenKey, token, kind) : undefined;
      if (!claims) {
        opts.onCallback?.(kind, 'rejected');
        void reply.code(401).type('application/json; charset=utf-8').send({ message: UNAUTHORIZED });
      }
      return claims;
    };
    const timestamp = () => (opts.now ?? (() => new Date()))().toISOString();

    scope.get<{ Querystring: Record<string, string | undefined> }>(`${CALLBACK_PREFIX}/ended`, async (req, reply) => {
      const claims = claimsOr401(req.query.t, 'ended', reply);
      if (!claims) return reply;
      // Sent only by meta_endCallbackUrl-style registrations; a hint, never an identity (the token's meeting is the one).
      const marks = req.query.recordingmarks;
      await opts.emit({
        id: eventId('meeting.ended', claims.app, claims.meetingId, claims.nonce),
        app: claims.app,
        type: 'meeting.ended',
        timestamp: timestamp(),
        data: {
          meetingId: claims.meetingId,
          ...(marks === 'true' || marks === 'false' ? { recordingMarks: marks === 'true' } : {}),
        },
      });
      opts.onCallback?.('ended', 'accepted');
      opts.onEnded?.(claims);
      return reply.code(204).send();
    });

    scope.post<{ Querystring: Record<string, string | undefined> }>(
      `${CALLBACK_PREFIX}/recording-ready`,
      async (req, reply) => {
        const claims = claimsOr401(req.query.t, 'recording-ready', reply);
        if (!claims) return reply;
        const signed = (req.body as { signed_parameters?: unknown } | undefined)?.signed_parameters;
        if (typeof signed !== 'string' || signed === '') {
          return reply
            .code(400)
            .type('application/json; charset=utf-8')
            .send({ message: 'Send signed_parameters (a JWT) as a form field or in a JSON object.' });
        }
        if (opts.bbbSecret === undefined)
          return reply
            .code(503)
            .type('application/json; charset=utf-8')
            .send({ message: 'The gateway cannot check recording callbacks yet.' });
        let payload: Record<string, unknown>;
        try {
          // Scalelite may sign with HS512, BBB and BBBLB with HS256 (events.md §1.1); BBB's token has no exp.
          payload = (
            await jwtVerify(signed, new TextEncoder().encode(opts.bbbSecret), {
              algorithms: ['HS256', 'HS384', 'HS512'],
            })
          ).payload;
        } catch (err) {
          if (err instanceof joseErrors.JOSEError) {
            opts.onCallback?.('recording-ready', 'rejected');
            return reply.code(401).type('application/json; charset=utf-8').send({ message: UNAUTHORIZED });
          }
          throw err;
        }
        if (
          payload.meeting_id !== claims.meetingId ||
          typeof payload.record_id !== 'string' ||
          payload.record_id === ''
        ) {
          opts.onCallback?.('recording-ready', 'rejected');
          return reply.code(401).type('application/json; charset=utf-8').send({ message: UNAUTHORIZED });
        }
        await opts.emit({
          id: eventId('recording.ready', claims.app, claims.meetingId, claims.nonce, payload.record_id),
          app: claims.app,
          type: 'recording.ready',
          timestamp: timestamp(),
          // record_id is BBB's internal meeting ID (docs/development/api.md, "Recording ready callback URL").
          data: { meetingId: claims.meetingId, internalMeetingId: payload.record_id, recordId: payload.record_id },
        });
        opts.onCallback?.('recording-ready', 'accepted');
        return reply.code(204).send();
      },
    );
  });
}
