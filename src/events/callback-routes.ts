import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';
import { ANALYTICS_CALLBACK_META_KEY, RECORDING_READY_META_KEY } from '../isolation.js';
import { GatewayError, ownBodyLimit } from '../errors.js';
import {
  eventId,
  mintCallbackToken,
  newNonce,
  verifyCallbackToken,
  type CallbackClaims,
  type CallbackKind,
} from './callback-token.js';
import { registerAnalyticsRoute } from './analytics.js';
import type { GatewayEvent } from './types.js';

const CALLBACK_PREFIX = '/bbb/callbacks/v1';
/** The largest recording-ready body read: a `signed_parameters` JWT (a few hundred bytes), as a form or in JSON. */
export const RECORDING_READY_BODY_LIMIT_BYTES = 64 * 1024;
/**
 * The token travels in the query (`?t=`), not the path as in events.md §5.2: request logs keep the path and drop the query,
 * so the token never reaches a log line, and Fastify's 100-character path-parameter limit does not apply.
 */
export const CALLBACK_ROUTES = new Set([
  `${CALLBACK_PREFIX}/ended`,
  `${CALLBACK_PREFIX}/recording-ready`,
  `${CALLBACK_PREFIX}/analytics`,
]);

/** The URL to register on BBB for one callback (PUBLIC_URL without a trailing slash). */
export function callbackUrl(publicUrl: string, kind: CallbackKind, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PREFIX}/${kind}?t=${encodeURIComponent(token)}`;
}

export interface CallbackRouteOptions {
  /** The keys callback tokens verify with: the current one first, then WEBHOOK_SIGNING_KEY_PREVIOUS's. */
  readonly tokenKeys: readonly Uint8Array[];
  /** The secret BBB (or the balancer) signs recording-ready JWTs with: the gateway's own BBB_SECRET. */
  readonly bbbSecret: string | undefined;
  /** Adds the event to the delivery queue; answers quickly (BBB waits for the answer). */
  readonly emit: (event: GatewayEvent) => Promise<void>;
  readonly now?: () => Date;
  /** Called once per callback with whether it became an event (for metrics). */
  readonly onCallback?: (kind: CallbackKind, outcome: 'accepted' | 'rejected' | 'unconfirmed') => void;
  /** Called after an accepted end callback (the recording poll starts from here for recorded meetings). */
  readonly onEnded?: (claims: CallbackClaims) => void;
  /**
   * Asks BBB whether the token's session has really ended (end-confirmation.ts): an unsigned end callback is only a claim,
   * and a leaked URL must not announce an end that has not happened. Throws when BBB cannot be asked.
   */
  readonly confirmEnded?: (claims: CallbackClaims, req: FastifyRequest) => Promise<boolean>;
  /** Logs why a callback was not accepted (never the token); the answer to BBB says less. */
  readonly onProblem?: (kind: CallbackKind, what: string, err?: unknown) => void;
}

/**
 * The parameters `createMeeting` adds to BBB's create (through MeetingEvents.register): `meetingEndedURL`, never
 * `meta_endCallbackUrl`, whose value is copied into metadata and recordings (events.md §1); for recorded meetings the
 * recording-ready URL, which is visible in metadata but useless without BBB's JWT; for apps in WEBHOOK_ANALYTICS_APPS
 * `meetingKeepEvents=true` and the analytics URL (also useless without BBB's Bearer JWT). The tokens share one nonce and
 * one issue time: the session's.
 */
export function callbackCreateParams(
  publicUrl: string,
  tokenKey: Uint8Array,
  meeting: { app: string; meetingId: string; record: boolean; analytics?: boolean },
  nonce = newNonce(),
  issuedAtMs = Date.now(),
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
        issuedAtMs,
      }),
    );
  return {
    meetingEndedURL: url('ended'),
    ...(meeting.record ? { [`meta_${RECORDING_READY_META_KEY}`]: url('recording-ready') } : {}),
    ...(meeting.analytics
      ? { meetingKeepEvents: 'true', [`meta_${ANALYTICS_CALLBACK_META_KEY}`]: url('analytics') }
      : {}),
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

    // Refusals are thrown: the gateway's error handler answers them from the one table (errors.ts), as JSON {"message"}.
    const rejected = (kind: CallbackKind) => {
      opts.onCallback?.(kind, 'rejected');
      return new GatewayError('UNAUTHENTICATED', UNAUTHORIZED);
    };
    const now = opts.now ?? (() => new Date());
    const claimsOf = (token: string | undefined, kind: CallbackKind) => {
      const claims =
        typeof token === 'string' ? verifyCallbackToken(opts.tokenKeys, token, kind, now().getTime()) : undefined;
      if (!claims) throw rejected(kind);
      return claims;
    };
    const timestamp = () => now().toISOString();

    registerAnalyticsRoute(scope, {
      path: `${CALLBACK_PREFIX}/analytics`,
      bbbSecret: opts.bbbSecret,
      emit: opts.emit,
      claimsOf,
      rejected,
      timestamp,
      ...(opts.onCallback ? { onCallback: opts.onCallback } : {}),
    });

    scope.get<{ Querystring: Record<string, string | undefined> }>(`${CALLBACK_PREFIX}/ended`, async (req, reply) => {
      const claims = claimsOf(req.query.t, 'ended');
      if (opts.confirmEnded) {
        let ended: boolean;
        try {
          ended = await opts.confirmEnded(claims, req);
        } catch (err) {
          // BBB retries an end callback that did not get a 2xx (five attempts over ~8.5 min): the next one may get through.
          opts.onCallback?.('ended', 'unconfirmed');
          // The error handler logs it with its cause (a 503: the gateway's problem, not BBB's retry's).
          throw new GatewayError(
            'BBB_UNAVAILABLE',
            'The gateway could not confirm the end with BBB; try again later.',
            {
              cause: err,
            },
          );
        }
        if (!ended) {
          opts.onCallback?.('ended', 'unconfirmed');
          opts.onProblem?.('ended', 'an end callback arrived for a session BBB reports as running: no event');
          throw new GatewayError('CONFLICT', 'BBB reports this meeting as still running: no end was announced.');
        }
      }
      // The same event ID as endedByGateway's, whose data may add internalMeetingId (BBB's callback does not carry it; asking
      // BBB for it is no use once the meeting is gone): both optional in docs/webhooks.md, whichever comes first is sent.
      // recordingmarks is sent only by meta_endCallbackUrl-style registrations; a hint, never an identity.
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

    const recordingClaims = new WeakMap<FastifyRequest, CallbackClaims>();
    scope.post<{ Querystring: Record<string, string | undefined> }>(
      `${CALLBACK_PREFIX}/recording-ready`,
      {
        bodyLimit: RECORDING_READY_BODY_LIMIT_BYTES,
        // The token is checked on arrival: an unauthenticated body is never read.
        onRequest: async (req) => {
          recordingClaims.set(req, claimsOf(req.query.t, 'recording-ready'));
        },
        errorHandler: ownBodyLimit('recording-ready body', RECORDING_READY_BODY_LIMIT_BYTES),
      },
      async (req, reply) => {
        const claims = recordingClaims.get(req);
        if (!claims) throw rejected('recording-ready');
        const signed = (req.body as { signed_parameters?: unknown } | undefined)?.signed_parameters;
        if (typeof signed !== 'string' || signed === '') {
          throw new GatewayError(
            'BAD_USER_INPUT',
            'Send signed_parameters (a JWT) as a form field or in a JSON object.',
          );
        }
        if (opts.bbbSecret === undefined)
          throw new GatewayError('BBB_UNAVAILABLE', 'The gateway cannot check recording callbacks yet.');
        let payload: Record<string, unknown>;
        try {
          // Scalelite may sign with HS512, BBB and BBBLB with HS256 (events.md §1.1); BBB's token has no exp.
          payload = (
            await jwtVerify(signed, new TextEncoder().encode(opts.bbbSecret), {
              algorithms: ['HS256', 'HS384', 'HS512'],
            })
          ).payload;
        } catch (err) {
          if (err instanceof joseErrors.JOSEError) throw rejected('recording-ready');
          throw err;
        }
        if (
          payload.meeting_id !== claims.meetingId ||
          typeof payload.record_id !== 'string' ||
          payload.record_id === ''
        )
          throw rejected('recording-ready');
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
