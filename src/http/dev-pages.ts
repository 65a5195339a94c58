import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AccessScope, AccessTokens } from '../auth/access-tokens.js';
import type { MeetingService } from '../meetings/meeting-service.js';

/**
 * Development pages the gateway serves itself, from files on disk and npm packages, never from a CDN: the offline GraphQL
 * explorer (GraphiQL) and the browser example (examples/browser/).
 */

const EXPLORER_PATH = '/graphiql';
const EXAMPLE_PATH = '/examples/browser/';

/** Pages that run only their own scripts and talk only to their own origin (the example may name another gateway). */
const PAGE_CSP = (connect: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src ${connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function send(reply: FastifyReply, body: string, type: string, connect = "'self'"): FastifyReply {
  return reply
    .header('content-security-policy', PAGE_CSP(connect))
    .header('cache-control', 'no-cache')
    .type(type)
    .send(body);
}

/** The directory of an installed package, or undefined when it is not installed (e.g. `npm ci --omit=dev`). */
function packageDir(name: string): string | undefined {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    const isIt = (d: string) =>
      existsSync(join(d, 'package.json')) &&
      (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string }).name === name;
    while (!isIt(dir)) {
      const up = dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * GraphiQL at /graphiql, with React and GraphiQL's UMD builds read from node_modules: works without internet, where
 * Apollo Sandbox (loaded from Apollo's CDN) cannot. Returns false when the packages are not installed.
 */
function registerExplorer(app: FastifyInstance, graphqlPath: string): boolean {
  const [graphiql, react, reactDom] = ['graphiql', 'react', 'react-dom'].map(packageDir);
  if (!graphiql || !react || !reactDom) return false;
  const assets: Record<string, string> = {
    'react.js': join(react, 'umd/react.production.min.js'),
    'react-dom.js': join(reactDom, 'umd/react-dom.production.min.js'),
    'graphiql.js': join(graphiql, 'graphiql.min.js'),
    'graphiql.css': join(graphiql, 'graphiql.min.css'),
  };
  if (!Object.values(assets).every((p) => existsSync(p))) return false;
  const cache = new Map<string, string>();
  const asset = (name: string) => {
    if (!cache.has(name)) cache.set(name, readFileSync(assets[name]!, 'utf8'));
    return cache.get(name)!;
  };
  const html =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>bbb-interface GraphiQL</title>\n' +
    `<link rel="stylesheet" href="${EXPLORER_PATH}/assets/graphiql.css">\n` +
    '<style>html,body,#graphiql{height:100%;margin:0}</style>\n</head>\n<body>\n<div id="graphiql">Loading GraphiQL…</div>\n' +
    ['react.js', 'react-dom.js', 'graphiql.js', 'init.js']
      .map((f) => `<script src="${EXPLORER_PATH}/assets/${f}"></script>`)
      .join('\n') +
    '\n</body>\n</html>\n';
  const init =
    `const fetcher = GraphiQL.createFetcher({ url: new URL(${JSON.stringify(graphqlPath)}, location.href).href });\n` +
    'ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, {\n' +
    '  fetcher, defaultEditorToolsVisibility: "headers", shouldPersistHeaders: false,\n' +
    '  defaultHeaders: JSON.stringify({ Authorization: "<your API token or access token>" }, null, 2),\n' +
    '}));\n';
  app.get(EXPLORER_PATH, (_req, reply) => send(reply, html, TYPES['.html']!));
  app.get<{ Params: { file: string } }>(`${EXPLORER_PATH}/assets/:file`, (req, reply) => {
    const file = req.params.file;
    if (file === 'init.js') return send(reply, init, TYPES['.js']!);
    if (!(file in assets)) return reply.callNotFound();
    return send(reply, asset(file), file.endsWith('.css') ? TYPES['.css']! : TYPES['.js']!);
  });
  return true;
}

/** examples/browser/ in the repository (found from this file, in src/ or dist/src/), or undefined. */
function exampleDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'examples/browser/index.html'))) return join(dir, 'examples/browser');
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

interface ExampleOptions {
  /**
   * Plays the app's backend for the demo link: creates a meeting and mints an access token for it. Only `main.ts` on the
   * embedded simulator passes it.
   */
  demoToken?: () => Promise<string>;
}

/** The browser example at /examples/browser/ (index.html, app.js), plus /examples/browser/demo when a demo minter is given. */
function registerBrowserExample(app: FastifyInstance, options: ExampleOptions = {}): boolean {
  const dir = exampleDir();
  if (!dir) return false;
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');
  // The page may be pointed at another gateway (#gateway=…), so it may connect anywhere over http(s).
  app.get(EXAMPLE_PATH, (_req, reply) => send(reply, file('index.html'), TYPES['.html']!, 'http: https:'));
  app.get(`${EXAMPLE_PATH}app.js`, (_req, reply) => send(reply, file('app.js'), TYPES['.js']!, 'http: https:'));
  const { demoToken } = options;
  if (demoToken) {
    // The token travels in the fragment, which the browser never sends to a server, so it reaches no access log.
    app.get(`${EXAMPLE_PATH}demo`, async (_req, reply) =>
      reply.header('cache-control', 'no-store').redirect(`${EXAMPLE_PATH}#token=${await demoToken()}`, 303),
    );
  }
  return true;
}

/**
 * The explorer with the sandbox (GRAPHQL_SANDBOX), and in development the browser example, with its demo token when a
 * demo app is named and access tokens are on.
 */
export function registerDevPages(
  app: FastifyInstance,
  options: {
    graphql: { sandbox: boolean };
    nodeEnv: string;
    graphqlPath: string;
    meetings: MeetingService;
    accessTokens: AccessTokens | undefined;
    demoApp: string | undefined;
  },
): void {
  const { meetings, accessTokens, demoApp } = options;
  if (options.graphql.sandbox && !registerExplorer(app, options.graphqlPath))
    app.log.debug('GraphiQL is not installed; the offline explorer is off');
  if (options.nodeEnv !== 'development') return;
  registerBrowserExample(app, {
    demoToken: demoApp !== undefined && accessTokens ? demoTokenIssuer(meetings, accessTokens, demoApp) : undefined,
  });
}

/** The demo's token: a meeting created for `app` and a ten-minute JOIN + READ_MEETING access token for a student in it. */
function demoTokenIssuer(meetings: MeetingService, accessTokens: AccessTokens, app: string): () => Promise<string> {
  return async () => {
    const created = await meetings.createMeeting({ app, allMeetings: false }, { name: 'Browser example' });
    const { meetingId, createTime } = created;
    const grant = {
      app,
      meetingId,
      createTime,
      scopes: ['JOIN', 'READ_MEETING'] as AccessScope[],
      role: 'VIEWER' as const,
    };
    return (
      await accessTokens.issue(
        { ...grant, name: 'Demo student', userId: undefined, avatar: undefined, isGuest: false },
        600,
      )
    ).token;
  };
}
