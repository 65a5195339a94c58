import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RecordedRequest {
  method: string;
  /** The request target exactly as it arrived on the wire (path and raw query). */
  url: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

/** A real HTTP listener on 127.0.0.1 that records every request and answers through a replaceable handler. */
export interface LocalServer {
  /** Base URL as `bbb-conf --secret` prints it, e.g. `http://127.0.0.1:PORT/bigbluebutton/`. */
  baseUrl: string;
  origin: string;
  requests: RecordedRequest[];
  /** Sets the handler and forgets recorded requests; `attempt` counts requests since then, from 1. */
  reset(handler: Handler): void;
  close(): Promise<void>;
}

/** Starts a LocalServer on port 0 (the OS picks a free port); stop it with close() in afterAll. */
export async function startLocalServer(): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  let handler: Handler = (_req, res) => xml(res, '<response><returncode>SUCCESS</returncode></response>');
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/bigbluebutton/`,
    origin,
    requests,
    reset(next) {
      requests.length = 0;
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** Answers like bbb-web: HTTP 200 (unless told otherwise), `text/xml`. */
export function xml(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/xml;charset=utf-8', 'cache-control': 'no-cache' });
  res.end(body);
}

/** A port that was just free: a listener was opened on it and closed again, so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
