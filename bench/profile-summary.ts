import { readFileSync } from 'node:fs';

/**
 * Summarises a `node --cpu-prof` profile: busy time per cost category, per package (or source file) and per function,
 * optionally only inside a time window. CLI: `node dist/bench/profile-summary.js <file.cpuprofile> [top]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Cost {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  /** Sampled time that was not idle, in milliseconds. */
  busyMs: number;
  byCategory: Cost[];
  byModule: Cost[];
  byFunction: Cost[];
}

/**
 * `windowUs`: only samples between these two CLOCK_MONOTONIC microsecond timestamps (what `process.hrtime.bigint()/1000n`
 * gives in any process on the machine, and what V8 stamps profiles with).
 */
export function summarise(profile: CpuProfile, windowUs?: readonly [number, number]): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (windowUs && (t < windowUs[0] || t > windowUs[1])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  const cat = new Map<string, number>();
  let busy = 0;
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += us;
    const module = moduleOf(node);
    add(fn, label(node), us);
    add(mod, module, us);
    add(cat, categoryOf(module, node.callFrame.functionName), us);
  }
  const sorted = (m: Map<string, number>): Cost[] =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000 }));
  return { busyMs: busy / 1000, byCategory: sorted(cat), byModule: sorted(mod), byFunction: sorted(fn) };
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, '');
}

function moduleOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  return shortUrl(url);
}

const SOCKET_WRITES =
  /^(writev|writeLatin1String|writeUtf8String|writeAsciiString|writeUcs2String|writeBuffer|writeString)$/;

/** Cost categories a reader can act on; the first matching rule wins. */
const CATEGORIES: Array<[string, RegExp]> = [
  [
    'logging (pino, redaction, log stream)',
    /^(pino|@pinojs\/|sonic-boom|fast-redact|thread-stream|src\/observability\/log-stream)/,
  ],
  ['metrics (prom-client, request observation)', /^(prom-client|tdigest|bintrees|src\/observability\/)/],
  ['rate limiting', /^(rate-limiter-flexible|src\/.*rate-limit)/],
  [
    'GraphQL (Apollo, graphql-js, type-graphql)',
    /^(@apollo\/|@graphql-tools\/|graphql|type-graphql|@as-integrations\/|negotiator|whatwg-mimetype|lru-cache|src\/graphql\/)/,
  ],
  ['validation (zod)', /^zod/],
  ['hashing and signing (node:crypto)', /^node:internal\/crypto/],
  ['gateway code (src/)', /^src\//],
  [
    'HTTP framework (Fastify, node:http, streams)',
    /^(fastify|@fastify\/|find-my-way|avvio|secure-json-parse|fast-json-stringify|light-my-request|toad-cache|node:_http|node:net|node:internal\/(streams|http|stream_base))/,
  ],
  ['BBB client (got, xml2js)', /^(got|@sindresorhus|cacheable|xml2js|sax|http2-wrapper|src\/bbb\/)/],
  ['garbage collection', /^\(garbage collector\)$/],
];

function categoryOf(module: string, functionName: string): string {
  if (module === '(native)' && SOCKET_WRITES.test(functionName)) return 'socket writes (kernel)';
  for (const [name, re] of CATEGORIES) if (re.test(module)) return name;
  return 'other (Node internals, microtasks, native)';
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const s = summarise(readProfile(file));
  const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1).padStart(5)}%`;
  console.log(`busy: ${s.busyMs.toFixed(0)} ms`);
  for (const [title, list] of [
    ['category', s.byCategory],
    ['package / file', s.byModule],
    ['function', s.byFunction],
  ] as const) {
    console.log(`\nself time by ${title}:`);
    for (const c of list.slice(0, top)) console.log(`${pct(c.ms)}  ${c.name}`);
  }
}
