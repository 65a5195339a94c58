import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { deriveAppSecret } from '../../../src/events/signing.js';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What `standardwebhooks` made of it: the parsed payload, or the error it threw. */
  readonly verified: unknown;
  readonly error?: string;
}

/** A webhook as standardwebhooks verified it: the payload the gateway signed. */
export interface VerifiedWebhook {
  type: string;
  timestamp?: string;
  data: Record<string, unknown>;
}

export interface Answer {
  /** Never answer (the connection is closed with the receiver): the sender's timeout has to fire. */
  hang?: boolean;
  status: number;
  headers?: Record<string, string>;
  /** Answer the status, then send a body that never ends (until the sender hangs up, which `closedEarly` counts). */
  endlessBody?: boolean;
  /** Answer only once this settles (a request held open while a test looks at the sender). */
  after?: Promise<void>;
}

/**
 * A PostCatcher-style receiver (bigbluebutton/bbb-webhooks:test/utils/post-catcher.js): records every request, verifies it
 * with the standardwebhooks library (the independent oracle) and answers from a script, then 200.
 */
export class Receiver {
  readonly received: Received[] = [];
  /** Answers whose endless body the sender cut off by closing the connection. */
  closedEarly = 0;
  private readonly server: Server;
  private script: Answer[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(private readonly secret: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let verified: unknown;
        let error: string | undefined;
        try {
          verified = new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
        } catch (err) {
          error = (err as Error).message;
        }
        this.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body,
          verified,
          ...(error !== undefined ? { error } : {}),
        });
        const answer = this.script.shift() ?? { status: 200 };
        if (answer.endlessBody) {
          res.writeHead(answer.status, answer.headers);
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const pump = () => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          res.on('close', () => (this.closedEarly += 1));
          pump();
        } else if (answer.after) void answer.after.then(() => res.writeHead(answer.status, answer.headers).end());
        else if (!answer.hang) res.writeHead(answer.status, answer.headers).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** The webhooks about `meetingId`, in the order they arrived. */
  eventsFor(meetingId: string): VerifiedWebhook[] {
    return this.received.map((x) => x.verified as VerifiedWebhook).filter((v) => v.data['meetingId'] === meetingId);
  }

  /** The types of the webhooks about `meetingId`, in the order they arrived. */
  typesFor(meetingId: string): string[] {
    return this.eventsFor(meetingId).map((v) => v.type);
  }

  /** Resolves once `pred` holds, checked now and after each request that arrives. */
  async until(pred: () => boolean): Promise<void> {
    while (!pred()) await this.waitForRequests(this.received.length + 1);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** Collects AttemptReports and lets a test await the one it needs instead of sleeping. */
export class Reports<T> {
  readonly all: T[] = [];
  private waiters: { pred: (all: T[]) => boolean; resolve: () => void }[] = [];
  readonly push = (r: T): void => {
    this.all.push(r);
    this.waiters = this.waiters.filter((w) => (w.pred(this.all) ? (w.resolve(), false) : true));
  };
  until(pred: (all: T[]) => boolean): Promise<void> {
    if (pred(this.all)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
}

/** The two apps the events tests use, each with its own receiver verifying with that app's derived secret (key version 1). */
export interface AppReceivers {
  readonly lms: Receiver;
  readonly portal: Receiver;
  /** The WEBHOOK_ENDPOINTS value that points each app at its receiver. */
  readonly endpoints: string;
  close(): Promise<void>;
}

export async function startAppReceivers(signingKey: string): Promise<AppReceivers> {
  const lms = new Receiver(deriveAppSecret(signingKey, 'lms', 1));
  const portal = new Receiver(deriveAppSecret(signingKey, 'portal', 1));
  const endpoints = `lms=${await lms.start()}/lms,portal=${await portal.start()}/portal`;
  return {
    lms,
    portal,
    endpoints,
    async close() {
      await lms.close();
      await portal.close();
    },
  };
}
