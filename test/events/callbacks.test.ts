import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  callbackKeyFrom,
  eventId,
  mintCallbackToken,
  newNonce,
  verifyCallbackToken,
  CALLBACK_TOKEN_MAX_AGE_MS,
  type CallbackClaims,
} from '../../src/events/callback-token.js';
import { deriveAppSecret, hmacSha256 } from '../../src/events/signing.js';
import {
  callbackCreateParams,
  callbackUrl,
  RECORDING_READY_BODY_LIMIT_BYTES,
} from '../../src/events/callback-routes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { parseLogs, waitFor } from '../ops/support/ops-helpers.js';
import { Receiver } from './support/receiver.js';

const SIGNING_KEY = 'callbacks-test-signing-key-0123456789abcdef';
const key = callbackKeyFrom(SIGNING_KEY);

describe('callback tokens', () => {
  const claims: CallbackClaims = {
    kind: 'ended',
    app: 'lms',
    meetingId: 'room-42',
    nonce: newNonce(),
    issuedAtMs: Date.now(),
  };

  it('round-trips, and names only the kind it was minted for', () => {
    const token = mintCallbackToken(key, claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(verifyCallbackToken(key, token, 'ended')).toEqual(claims);
    expect(verifyCallbackToken(key, token, 'recording-ready')).toBeUndefined();
    expect(verifyCallbackToken(callbackKeyFrom(`${SIGNING_KEY}x`), token, 'ended')).toBeUndefined();
  });

  it('refuses a token whose claims were changed, and garbage', () => {
    const [, mac] = mintCallbackToken(key, claims).split('.');
    const forged = `${Buffer.from(JSON.stringify({ v: 1, k: 'ended', a: 'portal', m: 'room-42', n: claims.nonce })).toString('base64url')}.${mac}`;
    expect(verifyCallbackToken(key, forged, 'ended')).toBeUndefined();
    for (const bad of ['', '.', 'abc', 'a.b.c', `${'a'.repeat(3000)}.b`])
      expect(verifyCallbackToken(key, bad, 'ended')).toBeUndefined();
  });

  it('refuses a token older than CALLBACK_TOKEN_MAX_AGE_MS (a leaked URL is not replayable forever), and one without its issue time', () => {
    const issuedAtMs = Date.UTC(2026, 0, 1);
    const token = mintCallbackToken(key, { ...claims, issuedAtMs });
    expect(verifyCallbackToken(key, token, 'ended', issuedAtMs + CALLBACK_TOKEN_MAX_AGE_MS)).toEqual({
      ...claims,
      issuedAtMs,
    });
    expect(verifyCallbackToken(key, token, 'ended', issuedAtMs + CALLBACK_TOKEN_MAX_AGE_MS + 1)).toBeUndefined();
    const payload = Buffer.from(JSON.stringify({ v: 1, k: 'ended', a: 'lms', m: 'room-42', n: claims.nonce })).toString(
      'base64url',
    );
    const untimed = `${payload}.${hmacSha256(key, payload).toString('base64url')}`;
    expect(verifyCallbackToken(key, untimed, 'ended')).toBeUndefined();
  });

  it('gives the same event ID for the same facts and a different one for any other', () => {
    const id = eventId('meeting.ended', 'lms', 'room-42', 'n1');
    expect(id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(eventId('meeting.ended', 'lms', 'room-42', 'n1')).toBe(id);
    const others = [
      eventId('meeting.ended', 'portal', 'room-42', 'n1'),
      eventId('meeting.ended', 'lms', 'room-43', 'n1'),
      eventId('meeting.ended', 'lms', 'room-42', 'n2'),
      eventId('recording.ready', 'lms', 'room-42', 'n1'),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });
});

describe('callback parameters for create', () => {
  it('uses meetingEndedURL (never meta_endCallbackUrl) and adds the recording-ready URL only for recorded meetings', () => {
    const unrecorded = callbackCreateParams('https://gw.example.org/', key, {
      app: 'lms',
      meetingId: 'room 1',
      record: false,
    });
    expect(Object.keys(unrecorded)).toEqual(['meetingEndedURL']);
    const params = callbackCreateParams(
      'https://gw.example.org/',
      key,
      { app: 'lms', meetingId: 'room 1', record: true },
      'nonce-1',
    );
    expect(Object.keys(params).sort()).toEqual(['meetingEndedURL', 'meta_bbb-recording-ready-url']);
    const ended = new URL(params.meetingEndedURL!);
    expect(ended.origin + ended.pathname).toBe('https://gw.example.org/bbb/callbacks/v1/ended');
    expect(verifyCallbackToken(key, ended.searchParams.get('t')!, 'ended')).toEqual({
      kind: 'ended',
      app: 'lms',
      meetingId: 'room 1',
      nonce: 'nonce-1',
      record: true,
      issuedAtMs: expect.any(Number),
    });
    const rec = new URL(params['meta_bbb-recording-ready-url']!);
    expect(rec.pathname).toBe('/bbb/callbacks/v1/recording-ready');
    expect(verifyCallbackToken(key, rec.searchParams.get('t')!, 'recording-ready')).toEqual({
      kind: 'recording-ready',
      app: 'lms',
      meetingId: 'room 1',
      nonce: 'nonce-1',
      record: true,
      issuedAtMs: expect.any(Number),
    });
  });
});

describe('callback routes (gateway with webhooks, in-process queue)', () => {
  let stack: Stack;
  let lmsReceiver: Receiver;
  let portalReceiver: Receiver;

  beforeAll(async () => {
    lmsReceiver = new Receiver(deriveAppSecret(SIGNING_KEY, 'lms', 1));
    portalReceiver = new Receiver(deriveAppSecret(SIGNING_KEY, 'portal', 1));
    const lmsUrl = await lmsReceiver.start();
    const portalUrl = await portalReceiver.start();
    stack = await startStack({
      env: {
        WEBHOOK_ENDPOINTS: `lms=${lmsUrl}/lms,portal=${portalUrl}/portal`,
        WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        WEBHOOK_RETRY_SCHEDULE_MS: '10',
      },
    });
  });

  afterAll(async () => {
    await stack.close();
    await lmsReceiver.close();
    await portalReceiver.close();
  });

  const token = (
    kind: CallbackClaims['kind'],
    meetingId: string,
    nonce: string,
    app = 'lms',
    issuedAtMs = Date.now(),
  ) => mintCallbackToken(key, { kind, app, meetingId, nonce, issuedAtMs });
  const jwt = (payload: Record<string, unknown>, secret: string, alg = 'HS256') =>
    new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg }).sign(new TextEncoder().encode(secret));
  const postForm = (url: string, form: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('turns the end callback into one meeting.ended for the app the token names, however often BBB retries', async () => {
    const nonce = newNonce();
    const tok = token('ended', 'room-end', nonce);
    const url = callbackUrl(stack.url, 'ended', tok);
    // The receivers are shared with the other tests of this block, which run in any order.
    const before = lmsReceiver.received.length;
    const portalBefore = portalReceiver.received.length;
    // BBB appends nothing to meetingEndedURL; a balancer may append a meetingID, which is ignored.
    for (const u of [url, `${url}&meetingID=someone-else&recordingmarks=false`])
      expect((await fetch(u)).status).toBe(204);
    await lmsReceiver.waitForRequests(before + 1);
    // A later, different event: once it has arrived, the retried callback would have arrived before it had it made a second event.
    expect((await fetch(callbackUrl(stack.url, 'ended', token('ended', 'room-end-2', newNonce())))).status).toBe(204);
    await lmsReceiver.waitForRequests(before + 2);
    const mine = lmsReceiver.received.slice(before);
    const first = mine[0]!;
    expect(first.error).toBeUndefined();
    expect(first.headers['webhook-id']).toBe(eventId('meeting.ended', 'lms', 'room-end', nonce));
    expect(first.verified).toEqual({
      type: 'meeting.ended',
      timestamp: expect.any(String),
      data: { meetingId: 'room-end' },
    });
    expect(mine.map((r) => (r.verified as { data: { meetingId: string } }).data.meetingId)).toEqual([
      'room-end',
      'room-end-2',
    ]);
    expect(portalReceiver.received).toHaveLength(portalBefore);
    // The token is a credential: the request log keeps the path and drops the query it travels in.
    expect(stack.logs.some((l) => l.includes('/bbb/callbacks/v1/ended'))).toBe(true);
    expect(stack.logs.join('\n')).not.toContain(tok);
  });

  it("counts the end callback's confirming getMeetingInfo on the callback request's log line", async () => {
    const url = callbackUrl(stack.url, 'ended', token('ended', 'room-end-logged', newNonce()));
    const before = lmsReceiver.received.length;
    expect((await fetch(url, { headers: { 'x-request-id': 'callback-end-logged' } })).status).toBe(204);
    // Its meeting.ended must have arrived before the next test counts the receivers.
    await lmsReceiver.waitForRequests(before + 1);
    const lineOf = () =>
      parseLogs(stack.logs).find((l) => l.reqId === 'callback-end-logged' && l.msg === 'request completed');
    await waitFor(() => lineOf() !== undefined, 'the log line of the end callback');
    expect(lineOf()).toMatchObject({ status: 204, meetingId: 'room-end-logged', bbbCalls: 1 });
  });

  it('answers 401 to a forged or mismatched token and makes no event', async () => {
    const before = lmsReceiver.received.length + portalReceiver.received.length;
    const portalBefore = portalReceiver.received.length;
    const good = token('ended', 'room-x', newNonce(), 'portal');
    const forged = `${Buffer.from(JSON.stringify({ v: 1, k: 'ended', a: 'lms', m: 'room-x', n: 'n' })).toString('base64url')}.${good.split('.')[1]}`;
    for (const t of [forged, token('recording-ready', 'room-x', 'n'), 'garbage']) {
      const res = await fetch(callbackUrl(stack.url, 'ended', t));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: expect.stringMatching(/token/) });
    }
    const expired = Date.now() - CALLBACK_TOKEN_MAX_AGE_MS - 60_000;
    for (const t of [token('ended', 'room-x', 'n'), token('recording-ready', 'room-x', 'n', 'lms', expired)]) {
      const res = await postForm(callbackUrl(stack.url, 'recording-ready', t), {
        signed_parameters: await jwt({ meeting_id: 'room-x', record_id: 'r' }, stack.sim.secret),
      });
      expect(res.status).toBe(401);
    }
    expect((await fetch(callbackUrl(stack.url, 'ended', token('ended', 'room-x', 'n', 'lms', expired)))).status).toBe(
      401,
    );
    // The portal endpoint gets this one, and it must be the first thing either receiver saw since: nothing else was made.
    expect((await fetch(callbackUrl(stack.url, 'ended', good))).status).toBe(204);
    await portalReceiver.waitForRequests(portalBefore + 1);
    expect(lmsReceiver.received.length + portalReceiver.received.length).toBe(before + 1);
  });

  it('checks the recording-ready token before reading the body, and reads at most RECORDING_READY_BODY_LIMIT_BYTES', async () => {
    // Larger than the gateway's BODY_LIMIT_BYTES (100 KiB): refused for its token, not for its size, so nothing was read.
    const pad = 'x'.repeat(200 * 1024);
    const refused = await postForm(callbackUrl(stack.url, 'recording-ready', token('ended', 'room-big', 'n')), {
      signed_parameters: 'not-read',
      pad,
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: expect.stringMatching(/token/) });
    const tooBig = await postForm(
      callbackUrl(stack.url, 'recording-ready', token('recording-ready', 'room-big', 'n')),
      {
        signed_parameters: await jwt({ meeting_id: 'room-big', record_id: 'r' }, stack.sim.secret),
        pad: pad.slice(0, RECORDING_READY_BODY_LIMIT_BYTES),
      },
    );
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ message: expect.stringContaining(String(RECORDING_READY_BODY_LIMIT_BYTES)) });
  });

  it('verifies recording-ready JWTs (form or JSON, HS256/HS512) with BBB_SECRET and gives one recording.ready per recording', async () => {
    const nonce = newNonce();
    const url = callbackUrl(stack.url, 'recording-ready', token('recording-ready', 'room-rec', nonce));
    const payload = { meeting_id: 'room-rec', record_id: 'abc123-1732000000000' };

    const otherSecret = await postForm(url, { signed_parameters: await jwt(payload, 'not-the-bbb-secret') });
    expect(otherSecret.status).toBe(401);
    const otherMeeting = await postForm(url, {
      signed_parameters: await jwt({ ...payload, meeting_id: 'room-other' }, stack.sim.secret),
    });
    expect(otherMeeting.status).toBe(401);
    const missing = await postForm(url, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: expect.stringMatching(/signed_parameters/) });

    const before = lmsReceiver.received.length;
    expect((await postForm(url, { signed_parameters: await jwt(payload, stack.sim.secret) })).status).toBe(204);
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signed_parameters: await jwt(payload, stack.sim.secret, 'HS512') }),
    });
    expect(json.status).toBe(204);
    await lmsReceiver.waitForRequests(before + 1);
    // A second recording of the same meeting is a second event; it arriving shows the duplicate above made none.
    expect(
      (
        await postForm(url, {
          signed_parameters: await jwt({ ...payload, record_id: 'abc123-1732000999999' }, stack.sim.secret, 'HS384'),
        })
      ).status,
    ).toBe(204);
    await lmsReceiver.waitForRequests(before + 2);
    const got = lmsReceiver.received.slice(before);
    expect(got.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(got[0]!.headers['webhook-id']).toBe(eventId('recording.ready', 'lms', 'room-rec', nonce, payload.record_id));
    expect(got.map((r) => r.verified)).toEqual([
      {
        type: 'recording.ready',
        timestamp: expect.any(String),
        data: { meetingId: 'room-rec', internalMeetingId: payload.record_id, recordId: payload.record_id },
      },
      {
        type: 'recording.ready',
        timestamp: expect.any(String),
        data: { meetingId: 'room-rec', internalMeetingId: 'abc123-1732000999999', recordId: 'abc123-1732000999999' },
      },
    ]);
  });

  it('counts callbacks and delivery attempts in /metrics', async () => {
    const scrape = async () => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      return (line: string) =>
        Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const REJECTED_ENDED = 'bbb_interface_events_received_total{source="bbb-callback",kind="ended",outcome="rejected"}';
    const ACCEPTED_READY =
      'bbb_interface_events_received_total{source="bbb-callback",kind="recording-ready",outcome="accepted"}';
    const DELIVERED = 'bbb_interface_webhook_deliveries_total{app="lms",type="recording.ready",outcome="delivered"}';
    const DURATIONS = 'bbb_interface_webhook_delivery_duration_seconds_count{app="lms",outcome="delivered"}';
    // Counted from what this test sends (the other tests of the block share the gateway and run in any order).
    const before = await scrape();
    expect((await fetch(callbackUrl(stack.url, 'ended', 'garbage'))).status).toBe(401);
    const url = callbackUrl(stack.url, 'recording-ready', token('recording-ready', 'room-metrics', newNonce()));
    const signed = await jwt({ meeting_id: 'room-metrics', record_id: 'metrics-1732000000000' }, stack.sim.secret);
    expect((await postForm(url, { signed_parameters: signed })).status).toBe(204);
    // The delivery is counted once the receiver's answer is back, after the receiver saw the request.
    let after = before;
    await waitFor(async () => (after = await scrape())(DURATIONS) > before(DURATIONS), 'the delivery to be counted');
    const added = (line: string) => after(line) - before(line);
    expect([REJECTED_ENDED, ACCEPTED_READY, DELIVERED, DURATIONS].map(added)).toEqual([1, 1, 1, 1]);
  });
});
