import cors from '@fastify/cors';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * An API answers JSON and redirects, never pages: nothing may load, frame or submit from its responses (the OWASP REST
 * header set).
 */
const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * The Apollo Sandbox landing page (GET /graphql as HTML) carries its own nonce-based CSP in a meta tag that allows
 * exactly its CDN scripts, styles and iframe. A header policy is intersected with it, so this one only adds what a meta
 * tag cannot say.
 */
const LANDING_PAGE_CSP = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/** http://localhost:5173, http://127.0.0.1:3000, http://[::1]:8080 and the like: what dev servers of frontends use. */
const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Request headers a preflight allows: the credential, JSON, and what the popular GraphQL clients add (Apollo Client's
 * client awareness and CSRF headers, urql's and graphql-request's accept), plus our request id.
 */
const GRAPHQL_CLIENT_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

export interface SecurityOptions {
  /** Browser origins allowed to call the API; empty switches CORS off (no CORS headers, preflights unanswered). */
  corsOrigins: readonly string[];
  /** Also allow any http://localhost, 127.0.0.1 or [::1] origin, on any port (development without CORS_ORIGINS). */
  corsLocalhost?: boolean;
  /** The GraphQL path: its HTML answer is the Sandbox page, and none of its answers may be stored by a cache. */
  graphqlPath: string;
}

/** Security headers on every answer (helmet), and CORS for an allow-list of browser frontends. Register before routes. */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const headers = await helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(headers);
    done();
  });

  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.routeOptions.url === options.graphqlPath) {
      if (req.method === 'GET' && String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
        void reply.header('content-security-policy', LANDING_PAGE_CSP);
      // A GraphQL answer (join links, passwords) is never stored by a cache: the `no-store` Apollo's cache-control
      // plugin set on every answer of this schema (it has no cache hints), set here at no cost per field (graphql/server.ts).
      else if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });

  if (options.corsOrigins.length > 0 || options.corsLocalhost) {
    await app.register(cors, {
      origin: [...options.corsOrigins, ...(options.corsLocalhost ? [LOCALHOST_ORIGIN] : [])],
      methods: ['GET', 'POST'],
      allowedHeaders: GRAPHQL_CLIENT_HEADERS,
      exposedHeaders: [
        'retry-after',
        'x-request-id',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
        'location',
      ],
      // Tokens travel in the Authorization header, never in cookies.
      credentials: false,
      maxAge: 600,
    });
  }
}

/**
 * The headers helmet sets with these options, worked out once. @fastify/helmet builds helmet's middleware again on every
 * request (parsing the CSP directives each time) for headers that never change here (what that costs: the performance
 * report, `npm run bench`). So the plugin answers one request on a private instance, and its headers are reused as a block.
 */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const answer = async (withHelmet: boolean) => {
    const probe = Fastify();
    if (withHelmet) await probe.register(helmet, options);
    probe.get('/', async () => '');
    const res = await probe.inject('/');
    await probe.close();
    return res.headers;
  };
  const [plain, helmeted] = [await answer(false), await answer(true)];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(helmeted)) {
    if (plain[name] === undefined && typeof value === 'string') headers[name] = value;
  }
  return headers;
}
