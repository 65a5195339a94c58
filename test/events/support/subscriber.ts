import { createClient as createSseClient } from 'graphql-sse';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { MeetingEventStreamSubscription } from '../../generated/graphql.js';
import { MEETING_EVENT_STREAM } from '../../helpers/operations.js';

export type StreamedEvent = MeetingEventStreamSubscription['meetingEvents'];

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
}

/** What one subscription received, and ways to await it (each arrival wakes the waiters; no polling). */
export class Subscription {
  readonly events: StreamedEvent[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  private waiters: Waiter[] = [];

  constructor(private readonly stop: () => void) {}

  /** Resolves once `n` events arrived in all (or the subscription failed or ended, so the caller sees what came). */
  count(n: number): Promise<StreamedEvent[]> {
    return this.until(() => this.events.length >= n).then(() => this.events);
  }

  /** Resolves once an error (or the end) arrived. */
  failed(): Promise<unknown[]> {
    return this.until(() => this.errors.length > 0).then(() => this.errors);
  }

  until(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const w = { done: () => done() || this.errors.length > 0 || this.completed, resolve };
      if (w.done()) resolve();
      else this.waiters.push(w);
    });
  }

  push(e: StreamedEvent): void {
    this.events.push(e);
    this.wake();
  }

  fail(err: unknown): void {
    this.errors.push(err);
    this.wake();
  }

  complete(): void {
    this.completed = true;
    this.wake();
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => (w.done() ? (w.resolve(), false) : true));
  }

  unsubscribe(): void {
    this.stop();
  }
}

export type StreamVariables = { meetingId?: string; types?: string[]; after?: string };

interface WsClientOptions {
  /** The token in the upgrade request's Authorization header instead of connectionParams. */
  header?: boolean;
  retry?: boolean;
  /** connectionParams as given (the token is then wherever they put it). */
  params?: Record<string, unknown>;
}

/** A real graphql-ws client (the `ws` WebSocket) on the gateway's /graphql; `connectionParams.authorization` is the token. */
export class WsClient {
  readonly client: Client;
  /** Close codes and reasons the client saw. */
  readonly closes: Array<{ code: number; reason: string }> = [];
  private closedWaiters: Array<() => void> = [];

  constructor(baseUrl: string, token: string | undefined, options: WsClientOptions = {}) {
    const url = `${baseUrl.replace(/^http/, 'ws')}/graphql`;
    const headers = options.header && token !== undefined ? { authorization: `Bearer ${token}` } : undefined;
    class HeaderSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, headers ? { headers } : {});
      }
    }
    this.client = createClient({
      url,
      webSocketImpl: HeaderSocket,
      connectionParams: options.params ?? (options.header || token === undefined ? {} : { authorization: token }),
      retryAttempts: options.retry ? 5 : 0,
      shouldRetry: () => options.retry === true,
      retryWait: async () => undefined,
      on: {
        closed: (e) => {
          const ev = e as { code: number; reason: string };
          this.closes.push({ code: ev.code, reason: String(ev.reason) });
          for (const w of this.closedWaiters.splice(0)) w();
        },
      },
    });
  }

  subscribe(variables: StreamVariables = {}, query = MEETING_EVENT_STREAM): Subscription {
    let dispose = () => {};
    const sub = new Subscription(() => dispose());
    dispose = this.client.subscribe<MeetingEventStreamSubscription>(
      { query, variables },
      {
        next: (r) => (r.errors ? sub.fail(r.errors) : sub.push(r.data!.meetingEvents)),
        error: (err) => sub.fail(err),
        complete: () => sub.complete(),
      },
    );
    return sub;
  }

  /** Resolves with the first close the client sees (after `after` closes it saw before). */
  closed(after = 0): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => {
      const check = () => (this.closes.length > after ? resolve(this.closes[after]!) : this.closedWaiters.push(check));
      check();
    });
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

/** A real GraphQL-over-SSE client (graphql-sse, distinct connections) on /graphql/stream. */
export function sseSubscribe(
  baseUrl: string,
  token: string,
  variables: StreamVariables = {},
  options: { retry?: boolean } = {},
): Subscription & { client: ReturnType<typeof createSseClient> } {
  const client = createSseClient({
    url: `${baseUrl}/graphql/stream`,
    headers: { authorization: token },
    retryAttempts: options.retry ? 5 : 0,
    retry: async () => undefined,
  });
  let dispose = () => {};
  const sub = new Subscription(() => {
    dispose();
    client.dispose();
  });
  dispose = client.subscribe<MeetingEventStreamSubscription>(
    { query: MEETING_EVENT_STREAM, variables },
    {
      next: (r) => (r.errors ? sub.fail(r.errors) : sub.push(r.data!.meetingEvents)),
      error: (err) => sub.fail(err),
      complete: () => sub.complete(),
    },
  );
  return Object.assign(sub, { client });
}
