import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors.js';

/** The draining state of one gateway: off until `start`, then every request is answered 503 and closes its connection. */
export interface Drain {
  /** Every answer sent while draining closes its connection (register early: it applies to every answer). */
  closeConnectionsWhileDraining(): void;
  /** A request that reaches a draining gateway is refused with 503 SHUTTING_DOWN (register where it should be observed). */
  refuseRequestsWhileDraining(): void;
  /** Starts draining and resolves when every connection is gone or `drainMs` has passed. */
  start(drainMs: number): Promise<void>;
}

export function createDrain(app: FastifyInstance): Drain {
  let draining = false;
  return {
    // server.close() reaps only the keep-alive sockets idle at that moment; a socket busy with a request would stay open
    // after its answer and hold the shutdown up, so every answer sent while draining closes its connection.
    closeConnectionsWhileDraining() {
      app.addHook('onSend', (_req, reply, payload, done) => {
        if (draining) reply.header('connection', 'close');
        done(null, payload);
      });
    },
    // A request that reaches a draining gateway (over a keep-alive connection) is answered, never reset: 503 and
    // `Connection: close`, so a load balancer retries it on another replica.
    refuseRequestsWhileDraining() {
      app.addHook('onRequest', (_req, _reply, done) => {
        if (!draining) return done();
        done(
          new GatewayError(
            'SHUTTING_DOWN',
            'This gateway instance is shutting down; send the request again (another instance will answer it).',
          ),
        );
      });
    },
    async start(drainMs) {
      draining = true;
      await drainServer(app.server, drainMs);
    },
  };
}

/**
 * Stops listening but, unlike http.Server#close, does not reap idle keep-alive connections at once: a client may be
 * sending its next request over one at that very moment, and would see a reset. Every request that arrives is answered
 * (503 while draining) with `Connection: close`, so connections end one by one; those still idle after `drainMs` are
 * closed then. Resolves when every connection is gone or `drainMs` has passed; requests still running carry on.
 */
async function drainServer(server: Server, drainMs: number): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.closeIdleConnections();
      resolve();
    }, drainMs);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
