/**
 * The simulator's HTTP side: routing, request recording, latency and faults, and turning replies into bytes. node:http
 * rather than a framework, because faults need to drop sockets and send arbitrary bytes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ApiContext, Reply } from './api-context.js';
import { xml } from './api-context.js';
import { isChecksumValid, type ChecksumPolicy } from './checksum.js';
import { CallbackSender } from './callbacks.js';
import { unrefTimer } from './clock.js';
import { resolveConfig, type SimulatorConfig } from './config.js';
import { FaultBook, GARBAGE, HTML_PAGE, nginxErrorPage } from './faults.js';
import {
  ADMIT_PATH,
  BACKEND_PREFIX,
  GUEST_WAIT_PATH,
  JOIN_PAGE_PATH,
  handleJoin,
  handleScaleliteJoin,
} from './join-api.js';
import { renderJoinPage, renderLandingPage } from './join-page.js';
import {
  handleCreate,
  handleEnd,
  handleGetMeetingInfo,
  handleGetMeetings,
  handleGetSessions,
  handleInsertDocument,
  handleSendChatMessage,
  handleIsMeetingRunning,
} from './meetings-api.js';
import { MSG, failed, success } from './messages.js';
import { firstValues, parseParamList, type ParamList } from './query.js';
import {
  handleDeleteRecordings,
  handleGetRecordings,
  handlePublishRecordings,
  handleUpdateRecordings,
} from './recordings-api.js';
import { SimulatorState } from './state.js';
import type {
  CallbackKind,
  FiredCallback,
  FaultRule,
  MeetingDetails,
  ReceivedRequest,
  SeedRecording,
  SimRecording,
  SimulatedUser,
  Simulator,
  SimulatorClock,
  SimulatorOptions,
} from './types.js';
import { el, renderXml } from './xml.js';

const API_ROOT = '/bigbluebutton/api';
// nginx's default client_max_body_size in BBB's config is about 2 MB.
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const FORM_TYPE = 'application/x-www-form-urlencoded';
// A simulator behind `npm start` can run for days; tests never come near this many requests.
const MAX_RECEIVED = 10_000;
const POST_CONTENT_TYPES = [FORM_TYPE, 'multipart/form-data', 'application/xml', 'text/xml'];

interface Route {
  handle: (ctx: ApiContext, sim: SimulatorCore) => Reply;
  /** Whether the call also accepts POST (with a form body; the checksum still covers only the URL query). */
  post: boolean;
  /** Recording endpoints still use BBB's legacy checksum check and its wording. */
  legacyChecksum?: boolean;
  /** join reports a bad checksum itself, because in redirect mode the error is a 302. */
  ownChecksum?: boolean;
  /** insertDocument accepts POST only. */
  postOnly?: boolean;
  /** The BBB major version that added the call; an older simulated server has no such route. */
  since?: number;
  /** Scalelite does not implement the call and answers unsupportedRequest. */
  notOnScalelite?: boolean;
}

const ROUTES: Record<string, Route> = {
  create: { handle: (ctx) => handleCreate(ctx), post: true },
  join: {
    handle: (ctx, sim) => (ctx.mode === 'scalelite' ? handleScaleliteJoin(ctx, sim.backendSecret) : handleJoin(ctx)),
    post: false,
    ownChecksum: true,
  },
  getMeetingInfo: { handle: (ctx) => handleGetMeetingInfo(ctx), post: true },
  isMeetingRunning: { handle: (ctx) => handleIsMeetingRunning(ctx), post: true },
  end: { handle: (ctx) => handleEnd(ctx), post: true },
  getMeetings: { handle: (ctx, sim) => handleGetMeetings(ctx, sim.config.getMeetingsDisabled), post: true },
  getRecordings: { handle: (ctx) => handleGetRecordings(ctx), post: true, legacyChecksum: true },
  publishRecordings: { handle: (ctx) => handlePublishRecordings(ctx), post: false, legacyChecksum: true },
  deleteRecordings: { handle: (ctx) => handleDeleteRecordings(ctx), post: false, legacyChecksum: true },
  updateRecordings: { handle: (ctx) => handleUpdateRecordings(ctx), post: true, legacyChecksum: true },
  insertDocument: { handle: (ctx) => handleInsertDocument(ctx), post: true, postOnly: true },
  sendChatMessage: { handle: (ctx) => handleSendChatMessage(ctx), post: false, since: 3, notOnScalelite: true },
  getSessions: { handle: (ctx) => handleGetSessions(ctx), post: false, since: 3, notOnScalelite: true },
};

class Cancelled extends Error {
  override readonly name = 'Cancelled';
}

/** Delays that `close()` can cancel, so a pending latency never keeps the process alive. */
class Sleeper {
  private readonly pending = new Set<{ timer: unknown; reject: (e: Error) => void }>();

  constructor(private readonly clock: SimulatorClock) {}

  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        timer: this.clock.setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.pending.add(entry);
    });
  }

  cancelAll(): void {
    for (const entry of this.pending) {
      this.clock.clearTimeout(entry.timer);
      entry.reject(new Cancelled('The simulator was closed.'));
    }
    this.pending.clear();
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** What a Spring app behind bbb-web answers for a path or method it has no mapping for. */
function springError(status: 404 | 405, path: string, now: number): string {
  const error = status === 404 ? 'Not Found' : 'Method Not Allowed';
  return (
    `<Map><timestamp>${now}</timestamp><status>${status}</status><error>${error}</error>` +
    `<message>No message available</message><path>${path.replace(/[<>&]/g, '')}</path></Map>`
  );
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    // A client that goes away mid-body must not leave the handler waiting forever.
    req.on('close', () => {
      if (!ended) reject(new Cancelled('The client closed the connection.'));
    });
    req.on('error', reject);
  });
}

/** Node hands the request target over as latin1; percent-escapes and any raw bytes are UTF-8. */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

class SimulatorCore implements Simulator {
  readonly received: ReceivedRequest[] = [];
  readonly backendSecret = randomBytes(16).toString('hex');
  private readonly state: SimulatorState;
  private readonly faults = new FaultBook();
  private readonly clock: SimulatorClock;
  private readonly sleeper: Sleeper;
  private readonly sockets = new Set<Socket>();
  private latencyMs: number;
  private closing?: Promise<void>;
  private server!: Server;
  private baseOrigin = '';
  private readonly sender: CallbackSender;
  /** Recordings still processing, each published (and announced) when its timer fires. */
  private readonly processing = new Set<unknown>();
  private processingWaiters: Array<() => void> = [];
  /** Fires at the next meeting expiry, so BBB's end callback follows an expiry without waiting for a request. */
  private expiryTimer: unknown;

  constructor(readonly config: SimulatorConfig) {
    this.clock = config.clock;
    this.sleeper = new Sleeper(config.clock);
    this.latencyMs = config.latencyMs;
    // Scalelite re-signs recording-ready; this simulator always uses HS512 there, BBB's own script HS256 (events.md §1.1).
    this.sender = new CallbackSender({
      secret: config.secret,
      jwtAlgorithm: config.mode === 'scalelite' ? 'HS512' : 'HS256',
      retryScheduleMs: config.callbackRetryScheduleMs,
      clock: config.clock,
      scalelite: config.mode === 'scalelite',
      // BBB's post_events step runs once the meeting's events are archived: here after the recording processing time.
      analyticsDelayMs: config.recordingProcessingMs,
    });
    this.state = new SimulatorState({
      expireIfNoUserJoinedMs: config.expireIfNoUserJoinedMs,
      endedMeetingLingerMs: config.endedMeetingLingerMs,
      timeZone: config.timeZone,
      recordingProcessingMs: config.recordingProcessingMs,
      onEnded: (m, attendees) => {
        this.sender.meetingEnded({
          meetingID: m.meetingID,
          isBreakout: m.isBreakout,
          params: m.params,
          metadata: m.metadata,
          recordingMarks: m.record && m.hasUserJoined,
        });
        this.sender.analytics(m, attendees);
      },
      onRecorded: (m, rec) => this.recorded(m.meetingID, rec.recordID, rec.metadata),
    });
  }

  get callbacks(): readonly FiredCallback[] {
    return this.sender.fired;
  }

  loseCallbacks(kind: CallbackKind, times = 1): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`loseCallbacks: times must be a whole number >= 1, got ${times}.`);
    this.sender.lose(kind, times);
  }

  async callbacksIdle(): Promise<void> {
    if (this.processing.size > 0) await new Promise<void>((resolve) => this.processingWaiters.push(resolve));
    await this.sender.idle();
  }

  private recorded(meetingID: string, recordID: string, metadata: Record<string, string>): void {
    // Published at once without a processing time (state.ts), else when processing ends (unless deleted meanwhile).
    if (this.config.recordingProcessingMs === 0) {
      this.sender.recordingReady(meetingID, recordID, { ...metadata });
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.processing.delete(timer);
      if (this.state.publishProcessed(recordID)) this.sender.recordingReady(meetingID, recordID, { ...metadata });
      if (this.processing.size === 0) {
        const waiters = this.processingWaiters;
        this.processingWaiters = [];
        for (const w of waiters) w();
      }
    }, this.config.recordingProcessingMs);
    this.processing.add(timer);
  }

  /** Arms one timer for the next meeting expiry (BBB ends expired meetings on its own, and calls back). */
  private armExpiry(): void {
    if (this.closing) return;
    const next = this.state.nextExpiry();
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (next === undefined) return;
    this.expiryTimer = this.clock.setTimeout(
      () => {
        this.expiryTimer = undefined;
        this.state.sweep(this.clock.now());
        this.armExpiry();
      },
      Math.max(0, Math.min(next - this.clock.now() + 1, 2_147_483_647)),
    );
    // The expiry timer alone never keeps a process alive.
    unrefTimer(this.expiryTimer);
  }

  get url(): string {
    return `${this.baseOrigin}/bigbluebutton/`;
  }

  get secret(): string {
    return this.config.secret;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => this.onError(error, res));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    // A wildcard bind is not an address a browser can be sent to.
    const host = this.config.host === '0.0.0.0' ? '127.0.0.1' : this.config.host === '::' ? '::1' : this.config.host;
    this.baseOrigin = `http://${hostForUrl(host)}:${port}`;
  }

  /** bbb-web's serverURL. With a wildcard bind, the Host the client used is the better answer. */
  private originFor(req: IncomingMessage): string {
    const wildcard = this.config.host === '0.0.0.0' || this.config.host === '::';
    return wildcard && req.headers.host ? `http://${req.headers.host}` : this.baseOrigin;
  }

  callCount(call: string): number {
    return this.received.filter((r) => r.call === call).length;
  }

  setLatency(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`setLatency: ms must be a number >= 0, got ${ms}.`);
    this.latencyMs = ms;
  }

  injectFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  seedRecording(rec: SeedRecording): SimRecording {
    return this.state.seedRecording(rec, this.baseOrigin, this.clock.now());
  }

  connectUser(meetingID: string, user: SimulatedUser): void {
    const now = this.clock.now();
    this.state.sweep(now);
    const meeting = this.state.findActive(meetingID);
    if (!meeting) throw new Error(`connectUser: no running meeting has the meetingID "${meetingID}".`);
    if (user.role !== 'MODERATOR' && user.role !== 'VIEWER') {
      throw new Error(`connectUser: role must be MODERATOR or VIEWER, got ${String(user.role)}.`);
    }
    this.state.addAttendee(meeting, user, now);
    this.armExpiry();
  }

  admitGuests(meetingID: string): number {
    this.state.sweep(this.clock.now());
    const meeting = this.state.findActive(meetingID);
    if (!meeting) return 0;
    return this.state.waitingGuests(meeting).filter((g) => this.state.admit(g.sessionToken)).length;
  }

  meetingDetails(meetingID: string): MeetingDetails | undefined {
    this.state.sweep(this.clock.now());
    const meeting = this.state.findAny(meetingID);
    if (!meeting) return undefined;
    return structuredClone({
      params: meeting.params,
      documents: meeting.documents,
      chat: meeting.chat.map(({ userName, message }) => ({ userName, message })),
      waitingGuests: this.state.waitingGuests(meeting).map((g) => g.fullName),
    });
  }

  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.received.length = 0;
    this.latencyMs = this.config.latencyMs;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
      for (const t of this.processing) this.clock.clearTimeout(t);
      this.processing.clear();
      for (const w of this.processingWaiters.splice(0)) w();
      void this.sender.close();
      this.sleeper.cancelAll();
      this.faults.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private onError(error: unknown, res: ServerResponse): void {
    if (error instanceof Cancelled) {
      res.socket?.destroy();
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    res.writeHead(500, { 'Content-Type': 'text/plain;charset=utf-8' });
    res.end(`BBB simulator internal error: ${message}\n`);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    const method = req.method ?? 'GET';
    const origin = this.originFor(req);

    if (path === JOIN_PAGE_PATH || path === GUEST_WAIT_PATH || path === ADMIT_PATH) {
      await readBody(req);
      const query = firstValues(parseParamList(utf8(rawQuery)));
      const sessionToken = query['sessionToken'] ?? '';
      if (path === ADMIT_PATH) {
        const moderator = this.state.sessions.get(sessionToken);
        const guest = this.state.sessions.get(query['guest'] ?? '');
        // Only a moderator of the guest's own meeting may admit.
        if (moderator?.role === 'MODERATOR' && guest && guest.internalMeetingID === moderator.internalMeetingID)
          this.state.admit(guest.sessionToken);
        res.writeHead(303, {
          Location: `${JOIN_PAGE_PATH}?sessionToken=${encodeURIComponent(sessionToken)}`,
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      const page = renderJoinPage(this.state, sessionToken, origin, this.clock.now());
      res.writeHead(page.status, { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(page.body);
      return;
    }
    if (path === `${BACKEND_PREFIX}${API_ROOT}/join` && this.config.mode === 'scalelite') {
      await readBody(req);
      this.handleBackendJoin(rawQuery, method, origin, res);
      return;
    }
    if (path === API_ROOT || path.startsWith(`${API_ROOT}/`)) {
      await this.handleApi(req, res, { path, rawQuery, method, origin });
      return;
    }
    await readBody(req);
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      const landing = renderLandingPage(firstValues(parseParamList(utf8(rawQuery)))['errors']);
      res.writeHead(landing.status, { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(method === 'HEAD' ? undefined : landing.body);
      return;
    }
    // bbb-web answers the version document at its root too, without `api/` (bbb-api.md §4.8).
    if ((path === '/bigbluebutton' || path === '/bigbluebutton/') && (method === 'GET' || method === 'HEAD')) {
      const body = renderXml(this.apiRoot(origin), this.config.mode);
      res.writeHead(200, {
        'Content-Type': 'text/xml;charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    if (path.startsWith('/bigbluebutton/')) {
      res.writeHead(404, { 'Content-Type': 'application/xml;charset=UTF-8' });
      res.end(springError(404, path, this.clock.now()));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end(nginxErrorPage(404));
    }
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    { path, rawQuery, method, origin }: { path: string; rawQuery: string; method: string; origin: string },
  ): Promise<void> {
    const call = path === API_ROOT || path === `${API_ROOT}/` ? '' : path.slice(API_ROOT.length + 1);
    const body = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const queryList = parseParamList(utf8(rawQuery));
    const bodyList: ParamList = method === 'POST' && contentType === FORM_TYPE && body ? parseParamList(body) : [];
    const paramList = [...queryList, ...bodyList];
    const rawBody = method === 'POST' && contentType !== FORM_TYPE && body ? body : undefined;
    this.received.push({
      method,
      call,
      path,
      rawQuery,
      params: firstValues(paramList),
      ...(rawBody !== undefined ? { body: rawBody } : {}),
      at: this.clock.now(),
    });
    if (this.received.length > MAX_RECEIVED) this.received.splice(0, this.received.length - MAX_RECEIVED);

    const decision = this.faults.take(call);
    const delayMs = this.latencyMs + decision.delayMs;
    if (delayMs > 0) await this.sleeper.sleep(delayMs);

    if (decision.fault) {
      const fault = decision.fault;
      switch (fault.kind) {
        case 'drop':
          req.socket.destroy();
          return;
        case 'status':
          res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'text/html' });
          res.end(fault.body ?? nginxErrorPage(fault.status));
          return;
        case 'html':
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end(HTML_PAGE);
          return;
        case 'garbage':
          res.writeHead(200, { 'Content-Type': 'text/xml;charset=utf-8' });
          res.end(GARBAGE);
          return;
        case 'empty':
          res.writeHead(200, { 'Content-Type': 'text/xml;charset=utf-8', 'Content-Length': '0' });
          res.end();
          return;
      }
    }
    if (body === undefined) {
      res.writeHead(413, { 'Content-Type': 'text/html' });
      res.end(nginxErrorPage(413));
      return;
    }

    const now = this.clock.now();
    this.state.sweep(now);
    this.send(
      res,
      this.dispatch({
        call,
        method,
        contentType,
        queryList,
        bodyList,
        paramList,
        rawQuery,
        origin,
        now,
        path,
        body: rawBody,
      }),
    );
    this.armExpiry();
  }

  private dispatch(r: {
    call: string;
    method: string;
    contentType: string;
    queryList: ParamList;
    bodyList: ParamList;
    paramList: ParamList;
    rawQuery: string;
    origin: string;
    now: number;
    path: string;
    body?: string | undefined;
  }): Reply {
    const { mode } = this.config;
    if (r.call === '') return xml(this.apiRoot(r.origin));
    const known = Object.prototype.hasOwnProperty.call(ROUTES, r.call) ? ROUTES[r.call] : undefined;
    const route =
      known && (mode === 'scalelite' ? !known.notOnScalelite : (known.since ?? 0) <= this.majorVersion)
        ? known
        : undefined;
    const methodAllowed = route && ((r.method === 'GET' && !route.postOnly) || (r.method === 'POST' && route.post));
    if (!route || !methodAllowed) {
      // Scalelite's catch-all route; bbb-web has no such thing and answers like any Spring app.
      if (mode === 'scalelite') return xml(failed('unsupportedRequest', MSG.unsupportedRequest));
      const status = route ? 405 : 404;
      return {
        type: 'raw',
        status,
        contentType: 'application/xml;charset=UTF-8',
        body: springError(status, r.path, r.now),
      };
    }
    const legacyWording = mode === 'scalelite' || route.legacyChecksum === true;
    const checksumError = xml(failed('checksumError', legacyWording ? MSG.checksumLegacy : MSG.checksumBbb));
    if (r.method === 'POST' && mode === 'bbb' && !POST_CONTENT_TYPES.includes(r.contentType)) {
      return xml(failed('unsupportedContentType', MSG.unsupportedContentType));
    }
    // BBB checks the URL query only, so a parameter sent in both places cannot be trusted.
    const queryNames = new Set(r.queryList.map(([name]) => name));
    if (r.bodyList.some(([name]) => queryNames.has(name))) return checksumError;

    const policy: ChecksumPolicy = {
      secret: this.config.secret,
      algorithms: this.config.algorithms,
      caseSensitive: mode === 'scalelite',
    };
    const checksumValid = isChecksumValid(r.call, r.rawQuery, policy);
    if (!checksumValid && !route.ownChecksum) return checksumError;
    const params = firstValues(r.paramList.filter(([name]) => name !== 'checksum'));
    const ctx: ApiContext = {
      call: r.call,
      method: r.method,
      params,
      paramList: r.paramList.filter(([name]) => name !== 'checksum'),
      mode,
      origin: r.origin,
      now: r.now,
      state: this.state,
      checksumValid,
      ...(r.body !== undefined ? { body: r.body, contentType: r.contentType } : {}),
    };
    return route.handle(ctx, this);
  }

  /** The major version of the BBB the simulator imitates (`serverVersion`), e.g. 3 for `3.0.0`. */
  get majorVersion(): number {
    return Number.parseInt(this.config.serverVersion, 10) || 0;
  }

  private apiRoot(origin: string): ReturnType<typeof success> {
    if (this.config.mode === 'scalelite') return success([el('version', '2.0')]);
    const wsOrigin = origin.replace(/^http/, 'ws');
    return success([
      el('version', '2.0'),
      el('apiVersion', '2.0'),
      el('bbbVersion', this.config.serverVersion),
      ...(this.majorVersion >= 3
        ? [
            el('graphqlWebsocketUrl', `${wsOrigin}/graphql`),
            el('graphqlApiUrl', `${origin}/api/rest`),
            el('html5PluginSdkVersion', '0.0.73'),
          ]
        : []),
    ]);
  }

  /** The BBB server behind the simulated Scalelite: only join reaches it, re-signed with the backend's own secret. */
  private handleBackendJoin(rawQuery: string, method: string, origin: string, res: ServerResponse): void {
    const now = this.clock.now();
    this.state.sweep(now);
    const paramList = parseParamList(utf8(rawQuery)).filter(([name]) => name !== 'checksum');
    const checksumValid = isChecksumValid('join', rawQuery, {
      secret: this.backendSecret,
      algorithms: ['sha256'],
      caseSensitive: false,
    });
    const reply =
      method === 'GET'
        ? handleJoin({
            call: 'join',
            method,
            params: firstValues(paramList),
            paramList,
            mode: 'bbb',
            origin,
            now,
            state: this.state,
            checksumValid,
          })
        : ({
            type: 'raw',
            status: 405,
            contentType: 'application/xml;charset=UTF-8',
            body: springError(405, '/bigbluebutton/api/join', now),
          } as const);
    this.send(res, reply, 'bbb');
  }

  private send(res: ServerResponse, reply: Reply, style: 'bbb' | 'scalelite' = this.config.mode): void {
    switch (reply.type) {
      case 'xml': {
        // Rails' `render xml:` says application/xml; bbb-web's Grails controllers say text/xml.
        const contentType = style === 'scalelite' ? 'application/xml; charset=utf-8' : 'text/xml;charset=utf-8';
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache', ...reply.headers });
        res.end(renderXml(reply.body, style));
        return;
      }
      case 'redirect':
        res.writeHead(302, { Location: reply.location, 'Content-Length': '0', ...reply.headers });
        res.end();
        return;
      case 'raw':
        res.writeHead(reply.status, { 'Content-Type': reply.contentType });
        res.end(reply.body);
        return;
    }
  }
}

/** Starts a simulator listening on `host:port` (default 127.0.0.1, a random port); stop it with `close()`. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const core = new SimulatorCore(resolveConfig(options));
  await core.listen();
  return core;
}
