import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from './bbb/types.js';
import { parseTokenList, type TokenEntry } from './auth/tokens.js';
import { MIN_SIGNING_KEY_LENGTH } from './auth/access-tokens.js';
import { parseEndpointList, parseSchedule } from './events/endpoints.js';
import { MIN_SIGNING_KEY_BYTES } from './events/signing.js';
import type { WebhookEndpoint } from './events/types.js';
import { parseParameterPairs, parsePassthrough, type CreatePolicy } from './meetings/create-policy.js';

/** The gateway's whole configuration, validated once and frozen. Only `main.ts` reads `process.env`. */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** `null`: no BBB_URL outside production, so `main.ts` starts the embedded simulator. */
  readonly bbb: BbbConfig | null;
  readonly bbbDefaults: Omit<BbbConfig, 'url' | 'secret'>;
  /** Empty outside production when API_TOKENS is unset: `main.ts` then generates a dev token. */
  readonly tokens: readonly TokenEntry[];
  /** App names (token names) allowed to see every meeting on the server, not only the ones they created. */
  readonly allMeetingsApps: readonly string[];
  readonly graphql: {
    readonly sandbox: boolean;
    readonly introspection: boolean;
    readonly maxDepth: number;
    readonly maxComplexity: number;
    /** Bounds of the document itself, checked while parsing (tokens) and in one linear validation pass (aliases, spreads). */
    readonly maxTokens: number;
    readonly maxAliases: number;
    readonly maxFragmentSpreads: number;
    /** Highest estimate of the BBB calls one operation may cause, and of the mutation fields (all have side effects) it may select. */
    readonly maxBbbCalls: number;
    readonly maxMutations: number;
  };
  readonly http: {
    readonly bodyLimitBytes: number;
    readonly corsOrigins: readonly string[];
    /** Also allow any http://localhost:<port> (and 127.0.0.1, [::1]) origin: development without CORS_ORIGINS. */
    readonly corsLocalhost: boolean;
    readonly trustProxy: boolean;
    readonly requestTimeoutMs: number;
  };
  readonly joinCache: { readonly ttlMs: number; readonly maxEntries: number };
  /** `points` 0 switches rate limiting off; `redisKeyPrefix` namespaces the shared counters when `redisUrl` is set. */
  readonly rateLimit: {
    readonly points: number;
    readonly durationSeconds: number;
    readonly redisUrl: string | undefined;
    readonly redisKeyPrefix: string;
  };
  /**
   * Frontend access tokens (issueAccessToken). No `signingKeys`: switched off (`main.ts` generates a key in development).
   * The first key signs, every key verifies; `rateLimitPoints` is each token's own budget per rate-limit window.
   */
  readonly accessTokens: {
    readonly signingKeys: readonly string[];
    readonly audience: string;
    readonly rateLimitPoints: number;
  };
  /** `/readyz` probes BBB's API root with `timeoutMs` and reuses the answer for `cacheMs`. */
  readonly readiness: { readonly timeoutMs: number; readonly cacheMs: number };
  /** `/metrics` is open unless `token` is set; then it wants `Authorization: Bearer <token>`. */
  readonly metrics: { readonly token: string | undefined };
  readonly logLevel: string;
  readonly shutdownGraceMs: number;
  /** How long, when closing, idle keep-alive connections stay open so a request already on its way is answered, not reset. */
  readonly shutdownDrainMs: number;
  /** Where BBB reaches the gateway's callback routes; `undefined` outside production means the local listen address. */
  readonly publicUrl: string | undefined;
  readonly webhooks: WebhooksConfig;
  readonly subscriptions: SubscriptionsConfig;
  /** BBB_CREATE_DEFAULTS / _OVERRIDES / _PASSTHROUGH; precedence in meetings/create-policy.ts. */
  readonly createPolicy: CreatePolicy;
}

/** Outgoing Standard Webhooks (src/events). Events are on with `signingKey`; `endpoints` are where webhooks go (none: no webhooks). */
interface WebhooksConfig {
  readonly endpoints: readonly WebhookEndpoint[];
  /** Set whenever `endpoints` is not empty. */
  readonly signingKey: string | undefined;
  /** Earlier signing keys: callback tokens minted with them (live meetings' URLs) still verify; nothing is signed with them. */
  readonly previousSigningKeys: readonly string[];
  /** Apps whose meetings register BBB's analytics callback (meetingKeepEvents): they receive meeting.summary. */
  readonly analyticsApps: readonly string[];
  /** The first version is current; the others still sign during a rotation. */
  readonly keyVersions: readonly number[];
  readonly allowHttp: boolean;
  readonly retryScheduleMs: readonly number[];
  readonly recordingPollScheduleMs: readonly number[];
  /** Namespace of the delivery queue and endpoint states in Redis: one per deployment sharing a Redis. */
  readonly redisKeyPrefix: string;
}

/** The replayable event log (a Redis Stream per app, or memory) and the GraphQL subscriptions over graphql-ws and SSE. */
interface SubscriptionsConfig {
  /** Events kept per app in the log, and their maximum age: the older are dropped first. */
  readonly logMaxEvents: number;
  readonly logMaxAgeMs: number;
  readonly perConnection: number;
  /** Open WebSocket connections plus SSE streams per app, on one replica. */
  readonly connectionsPerApp: number;
  /** The same per access token (a browser's), so one token cannot take all of its app's connections. */
  readonly connectionsPerAccessToken: number;
  readonly maxMessageBytes: number;
  /** A connection without any subscription for this long is closed. */
  readonly idleTimeoutMs: number;
  /** graphql-ws pings every this often and drops a socket that does not answer within the same time. */
  readonly keepAliveMs: number;
}

/** Standard Webhooks' example schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (≈ 3 days). */
const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = '5000,300000,1800000,7200000,18000000,36000000,50400000,72000000,86400000';
/** getRecordings polls after a recorded meeting ends: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h (≈ 16 h). */
const DEFAULT_RECORDING_POLL_SCHEDULE_MS = '60000,300000,900000,1800000,3600000,7200000,14400000,28800000';

interface BbbConfig {
  readonly url: string;
  readonly secret: string;
  readonly algorithm: ChecksumAlgorithm;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Largest answer read from BBB; a longer one is aborted and the caller gets 502 BBB_ERROR. */
  readonly maxResponseBytes: number;
  /** Also send the meeting password on join, for servers older than BBB 2.4 that ignore `role`. */
  readonly sendJoinPassword: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`The gateway's configuration is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// A custom message for text that is no number: zod's own says "expected number, received NaN".
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const bool = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Every variable the gateway reads, with its default. Units are in the names. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(4000),
  BBB_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bbb.example.org/bigbluebutton/' })
    .optional(),
  BBB_SECRET: z.string().optional(),
  BBB_SECRET_FILE: z.string().optional(),
  BBB_CHECKSUM_ALGORITHM: z.enum(CHECKSUM_ALGORITHMS).default('sha256'),
  BBB_TIMEOUT_MS: int(100, 120_000).default(10_000),
  BBB_RETRIES: int(0, 5).default(2),
  BBB_MAX_RESPONSE_BYTES: int(64 * 1024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
  BBB_JOIN_SEND_PASSWORD: bool.default(false),
  BBB_CREATE_DEFAULTS: z.string().optional(),
  BBB_CREATE_OVERRIDES: z.string().optional(),
  BBB_CREATE_PASSTHROUGH: z.string().optional(),
  API_TOKENS: z.string().optional(),
  API_TOKENS_FILE: z.string().optional(),
  API_ALL_MEETINGS_APPS: list.default([]),
  GRAPHQL_SANDBOX: bool.optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),
  GRAPHQL_MAX_DEPTH: int(2, 100).default(10),
  GRAPHQL_MAX_COMPLEXITY: int(10, 100_000).default(1000),
  GRAPHQL_MAX_TOKENS: int(100, 1_000_000).default(2000),
  GRAPHQL_MAX_ALIASES: int(0, 10_000).default(30),
  GRAPHQL_MAX_FRAGMENT_SPREADS: int(0, 10_000).default(50),
  GRAPHQL_MAX_BBB_CALLS: int(1, 10_000).default(10),
  GRAPHQL_MAX_MUTATIONS: int(1, 100).default(1),
  BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(100 * 1024),
  CORS_ORIGINS: list.default([]),
  TRUST_PROXY: bool.default(false),
  REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  JOIN_CACHE_TTL_MS: int(0, 600_000).default(2_000),
  JOIN_CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000),
  RATE_LIMIT_POINTS: int(0, 10_000_000).default(6000),
  RATE_LIMIT_DURATION_S: int(1, 86_400).default(60),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'must be 1-100 letters, digits, or _ . : -')
    .default('bbb-interface:rate-limit'),
  READINESS_TIMEOUT_MS: int(100, 60_000).default(2_000),
  READINESS_CACHE_MS: int(0, 600_000).default(5_000),
  ACCESS_TOKEN_SIGNING_KEY: list.optional(),
  ACCESS_TOKEN_SIGNING_KEY_FILE: z.string().optional(),
  ACCESS_TOKEN_AUDIENCE: z
    .string()
    .regex(/^[\w.:/-]{1,200}$/, 'must be 1-200 letters, digits, or _ . : / -')
    .default('bbb-interface'),
  RATE_LIMIT_ACCESS_TOKEN_POINTS: int(1, 10_000_000).default(120),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_TOKEN_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
  SHUTDOWN_DRAIN_MS: int(0, 600_000).default(3_000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://gateway.example.org' })
    .optional(),
  WEBHOOK_ENDPOINTS: z.string().optional(),
  WEBHOOK_ENDPOINTS_FILE: z.string().optional(),
  WEBHOOK_SIGNING_KEY: z.string().optional(),
  WEBHOOK_SIGNING_KEY_FILE: z.string().optional(),
  WEBHOOK_SIGNING_KEY_PREVIOUS: z.string().optional(),
  WEBHOOK_SIGNING_KEY_PREVIOUS_FILE: z.string().optional(),
  WEBHOOK_ANALYTICS_APPS: list.default([]),
  WEBHOOK_SIGNING_KEY_VERSIONS: z
    .string()
    .regex(/^\s*\d{1,6}(\s*,\s*\d{1,6})*\s*$/, 'must be comma-separated whole numbers, the current version first')
    .default('1'),
  WEBHOOK_ALLOW_HTTP: bool.default(false),
  // Parsed by parseSchedule below, which names the variable in its problem.
  WEBHOOK_RETRY_SCHEDULE_MS: z.string().optional(),
  RECORDING_POLL_SCHEDULE_MS: z.string().optional(),
  EVENTS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'must be 1-100 letters, digits, or _ . : -')
    .default('bbb-interface:events'),
  EVENT_LOG_MAX_EVENTS: int(1, 10_000_000).default(10_000),
  EVENT_LOG_MAX_AGE_S: int(60, 90 * 86_400).default(7 * 86_400),
  SUBSCRIPTIONS_PER_CONNECTION: int(1, 1000).default(10),
  SUBSCRIPTION_CONNECTIONS_PER_APP: int(1, 1_000_000).default(1000),
  SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN: int(1, 1000).default(5),
  SUBSCRIPTION_MAX_MESSAGE_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),
  SUBSCRIPTION_IDLE_TIMEOUT_MS: int(1000, 86_400_000).default(300_000),
  SUBSCRIPTION_KEEPALIVE_MS: int(1000, 600_000).default(12_000),
});

/** The name of every variable `loadConfig` reads; docs/configuration.md must describe each one (test/ops checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(envSchema.shape));

type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

/**
 * Validates the environment and returns a frozen Config, or throws one ConfigError that lists every problem with the
 * variable's name. Empty strings count as unset.
 */
export function loadConfig(env: Env, readFile: ReadFile = (p) => readFileSync(p, 'utf8')): Config {
  const cleaned: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') cleaned[k] = v.trim();

  const problems: string[] = [];
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.success ? parsed.data : undefined;

  const fromFile = (valueVar: string, fileVar: string): string | undefined => {
    const direct = cleaned[valueVar];
    const file = cleaned[fileVar];
    if (direct !== undefined && file !== undefined) {
      problems.push(`${valueVar} and ${fileVar}: set one or the other, not both`);
      return undefined;
    }
    if (file === undefined) return direct;
    try {
      return readFile(file).trim();
    } catch (err) {
      problems.push(`${fileVar}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };

  const secret = fromFile('BBB_SECRET', 'BBB_SECRET_FILE');
  const tokenText = fromFile('API_TOKENS', 'API_TOKENS_FILE');
  const metricsToken = fromFile('METRICS_TOKEN', 'METRICS_TOKEN_FILE');
  if (cleaned.METRICS_TOKEN_FILE !== undefined && metricsToken !== undefined && metricsToken.length < 16) {
    problems.push('METRICS_TOKEN_FILE: the token in the file must be at least 16 characters');
  }
  const signingKeyText = fromFile('ACCESS_TOKEN_SIGNING_KEY', 'ACCESS_TOKEN_SIGNING_KEY_FILE');
  const signingKeys = (signingKeyText ?? '')
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter(Boolean);
  signingKeys.forEach((key, index) => {
    if (key.length < MIN_SIGNING_KEY_LENGTH) {
      problems.push(
        `ACCESS_TOKEN_SIGNING_KEY: key ${index + 1} must be at least ${MIN_SIGNING_KEY_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`,
      );
    }
  });
  const production = (cleaned.NODE_ENV ?? 'development') === 'production';

  let tokens: TokenEntry[] = [];
  if (tokenText !== undefined) {
    const result = parseTokenList(tokenText);
    tokens = result.tokens;
    for (const p of result.problems) problems.push(`API_TOKENS: ${p}`);
  } else if (production) {
    problems.push(
      'API_TOKENS: required in production (comma-separated name:token or name:sha256:<hex> pairs), or API_TOKENS_FILE',
    );
  }

  if (cleaned.BBB_URL === undefined) {
    if (production)
      problems.push(
        'BBB_URL: required in production (as `bbb-conf --secret` prints it, e.g. https://bbb.example.org/bigbluebutton/)',
      );
    // Name BBB_SECRET now too: the operator should not fix BBB_URL only to meet the next missing variable.
    if (production && secret === undefined && cleaned.BBB_SECRET_FILE === undefined) {
      problems.push('BBB_SECRET: required in production (the value `bbb-conf --secret` prints), or BBB_SECRET_FILE');
    }
    if (secret !== undefined) problems.push('BBB_SECRET: set, but BBB_URL is not; set both or neither');
  } else if (secret === undefined && cleaned.BBB_SECRET_FILE === undefined) {
    problems.push(
      'BBB_SECRET: required when BBB_URL is set (the value `bbb-conf --secret` prints), or BBB_SECRET_FILE',
    );
  }

  if (e) {
    const tokenNames = new Set(tokens.map((t) => t.name));
    for (const app of e.API_ALL_MEETINGS_APPS) {
      if (tokenText !== undefined && !tokenNames.has(app))
        problems.push(`API_ALL_MEETINGS_APPS: "${app}" is not a token name in API_TOKENS`);
    }
    for (const origin of e.CORS_ORIGINS) {
      if (!/^https?:\/\/[^/]+$/.test(origin))
        problems.push(
          `CORS_ORIGINS: "${origin}" must be an origin such as https://lms.example.org (no path, no trailing slash)`,
        );
    }
  }

  const endpointText = fromFile('WEBHOOK_ENDPOINTS', 'WEBHOOK_ENDPOINTS_FILE');
  const signingKey = fromFile('WEBHOOK_SIGNING_KEY', 'WEBHOOK_SIGNING_KEY_FILE');
  let endpoints: WebhookEndpoint[] = [];
  if (endpointText !== undefined) {
    const result = parseEndpointList(endpointText, { requireHttps: production && !(e?.WEBHOOK_ALLOW_HTTP ?? false) });
    endpoints = result.endpoints;
    for (const p of result.problems) problems.push(`WEBHOOK_ENDPOINTS: ${p}`);
    const tokenNames = new Set(tokens.map((t) => t.name));
    for (const ep of endpoints) {
      if (tokenText !== undefined && !tokenNames.has(ep.app))
        problems.push(`WEBHOOK_ENDPOINTS: "${ep.app}" is not a token name in API_TOKENS`);
    }
    if (signingKey === undefined)
      problems.push(
        'WEBHOOK_SIGNING_KEY: required with WEBHOOK_ENDPOINTS (at least 32 random bytes, e.g. `openssl rand -base64 48`), or WEBHOOK_SIGNING_KEY_FILE',
      );
    if (production && cleaned.REDIS_URL === undefined)
      problems.push(
        'REDIS_URL: required in production with WEBHOOK_ENDPOINTS (deliveries and their retries must survive a restart)',
      );
    if (production && cleaned.PUBLIC_URL === undefined)
      problems.push(
        'PUBLIC_URL: required in production with WEBHOOK_ENDPOINTS (the address at which BBB reaches the gateway)',
      );
  } else if (signingKey !== undefined && production && cleaned.PUBLIC_URL === undefined) {
    // WEBHOOK_SIGNING_KEY alone switches events on (the event log and subscriptions); BBB must reach the callbacks.
    problems.push(
      'PUBLIC_URL: required in production with WEBHOOK_SIGNING_KEY (meeting events are on; the address at which BBB reaches the gateway)',
    );
  }
  if (signingKey !== undefined && Buffer.byteLength(signingKey, 'utf8') < MIN_SIGNING_KEY_BYTES) {
    problems.push(`WEBHOOK_SIGNING_KEY: must be at least ${MIN_SIGNING_KEY_BYTES} bytes`);
  }
  const previousSigningKeys = (fromFile('WEBHOOK_SIGNING_KEY_PREVIOUS', 'WEBHOOK_SIGNING_KEY_PREVIOUS_FILE') ?? '')
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter(Boolean);
  previousSigningKeys.forEach((key, index) => {
    if (Buffer.byteLength(key, 'utf8') < MIN_SIGNING_KEY_BYTES)
      problems.push(`WEBHOOK_SIGNING_KEY_PREVIOUS: key ${index + 1} must be at least ${MIN_SIGNING_KEY_BYTES} bytes`);
    else if (key === signingKey)
      problems.push(`WEBHOOK_SIGNING_KEY_PREVIOUS: key ${index + 1} is the current WEBHOOK_SIGNING_KEY`);
  });
  if (previousSigningKeys.length > 0 && signingKey === undefined)
    problems.push('WEBHOOK_SIGNING_KEY_PREVIOUS: set, but WEBHOOK_SIGNING_KEY is not (the previous keys only verify)');
  if (e) {
    const tokenNames = new Set(tokens.map((t) => t.name));
    for (const app of e.WEBHOOK_ANALYTICS_APPS)
      if (tokenText !== undefined && !tokenNames.has(app))
        problems.push(`WEBHOOK_ANALYTICS_APPS: "${app}" is not a token name in API_TOKENS`);
    if (e.WEBHOOK_ANALYTICS_APPS.length > 0 && signingKey === undefined)
      problems.push(
        'WEBHOOK_ANALYTICS_APPS: needs WEBHOOK_SIGNING_KEY (the analytics callback URL carries a token signed with it)',
      );
  }
  if (e?.PUBLIC_URL !== undefined) {
    const url = new URL(e.PUBLIC_URL);
    // Callback URLs are PUBLIC_URL + path + `?t=<token>`: a query or fragment of its own would be mangled or swallow the token.
    if (url.search !== '' || url.hash !== '' || e.PUBLIC_URL.includes('?') || e.PUBLIC_URL.includes('#'))
      problems.push('PUBLIC_URL: must not have a query (?…) or a fragment (#…); a path prefix is fine');
    if (url.username !== '' || url.password !== '') problems.push('PUBLIC_URL: must not carry a user name or password');
    // The callback tokens travel in these URLs: in the clear only on a network the operator vouches for.
    if (url.protocol === 'http:' && production && !e.WEBHOOK_ALLOW_HTTP)
      problems.push(
        'PUBLIC_URL: must be https in production, since the callback tokens travel in it (set WEBHOOK_ALLOW_HTTP=true for an internal network)',
      );
  }
  const retryScheduleMs = parseSchedule(
    cleaned.WEBHOOK_RETRY_SCHEDULE_MS ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS,
    'WEBHOOK_RETRY_SCHEDULE_MS',
    problems,
  );
  const recordingPollScheduleMs = parseSchedule(
    cleaned.RECORDING_POLL_SCHEDULE_MS ?? DEFAULT_RECORDING_POLL_SCHEDULE_MS,
    'RECORDING_POLL_SCHEDULE_MS',
    problems,
  );
  const keyVersions = (e?.WEBHOOK_SIGNING_KEY_VERSIONS ?? '1').split(',').map((v) => Number(v.trim()));
  if (new Set(keyVersions).size !== keyVersions.length)
    problems.push('WEBHOOK_SIGNING_KEY_VERSIONS: a version is listed twice');
  const createPolicy: CreatePolicy = {
    defaults: parseParameterPairs('BBB_CREATE_DEFAULTS', cleaned.BBB_CREATE_DEFAULTS, problems),
    overrides: parseParameterPairs('BBB_CREATE_OVERRIDES', cleaned.BBB_CREATE_OVERRIDES, problems),
    passthrough: parsePassthrough(cleaned.BBB_CREATE_PASSTHROUGH, problems),
  };

  if (e && e.SHUTDOWN_GRACE_MS > 0 && e.SHUTDOWN_DRAIN_MS >= e.SHUTDOWN_GRACE_MS) {
    // main.ts exits after SHUTDOWN_GRACE_MS whatever is still running, which would cut the drain short.
    problems.push(
      `SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_GRACE_MS (${e.SHUTDOWN_GRACE_MS} ms), or the process exits in the middle of draining`,
    );
  }
  if (problems.length > 0 || !e) throw new ConfigError(problems);

  const bbbDefaults = {
    algorithm: e.BBB_CHECKSUM_ALGORITHM,
    timeoutMs: e.BBB_TIMEOUT_MS,
    retries: e.BBB_RETRIES,
    maxResponseBytes: e.BBB_MAX_RESPONSE_BYTES,
    sendJoinPassword: e.BBB_JOIN_SEND_PASSWORD,
  };
  const devTools = e.NODE_ENV !== 'production';
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    bbb: e.BBB_URL !== undefined && secret !== undefined ? { url: e.BBB_URL, secret, ...bbbDefaults } : null,
    bbbDefaults,
    tokens,
    allMeetingsApps: e.API_ALL_MEETINGS_APPS,
    graphql: {
      sandbox: e.GRAPHQL_SANDBOX ?? devTools,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.GRAPHQL_SANDBOX ?? devTools,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxFragmentSpreads: e.GRAPHQL_MAX_FRAGMENT_SPREADS,
      maxBbbCalls: e.GRAPHQL_MAX_BBB_CALLS,
      maxMutations: e.GRAPHQL_MAX_MUTATIONS,
    },
    http: {
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      corsOrigins: e.CORS_ORIGINS,
      corsLocalhost: e.NODE_ENV === 'development' && e.CORS_ORIGINS.length === 0,
      trustProxy: e.TRUST_PROXY,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    },
    joinCache: { ttlMs: e.JOIN_CACHE_TTL_MS, maxEntries: e.JOIN_CACHE_MAX_ENTRIES },
    rateLimit: {
      points: e.RATE_LIMIT_POINTS,
      durationSeconds: e.RATE_LIMIT_DURATION_S,
      redisUrl: e.REDIS_URL,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
    },
    accessTokens: { signingKeys, audience: e.ACCESS_TOKEN_AUDIENCE, rateLimitPoints: e.RATE_LIMIT_ACCESS_TOKEN_POINTS },
    readiness: { timeoutMs: e.READINESS_TIMEOUT_MS, cacheMs: e.READINESS_CACHE_MS },
    metrics: { token: metricsToken },
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    publicUrl: e.PUBLIC_URL,
    webhooks: {
      endpoints,
      signingKey,
      previousSigningKeys,
      analyticsApps: e.WEBHOOK_ANALYTICS_APPS,
      keyVersions,
      allowHttp: e.WEBHOOK_ALLOW_HTTP,
      retryScheduleMs,
      recordingPollScheduleMs,
      redisKeyPrefix: e.EVENTS_KEY_PREFIX,
    },
    subscriptions: {
      logMaxEvents: e.EVENT_LOG_MAX_EVENTS,
      logMaxAgeMs: e.EVENT_LOG_MAX_AGE_S * 1000,
      perConnection: e.SUBSCRIPTIONS_PER_CONNECTION,
      connectionsPerApp: e.SUBSCRIPTION_CONNECTIONS_PER_APP,
      connectionsPerAccessToken: e.SUBSCRIPTION_CONNECTIONS_PER_ACCESS_TOKEN,
      maxMessageBytes: e.SUBSCRIPTION_MAX_MESSAGE_BYTES,
      idleTimeoutMs: e.SUBSCRIPTION_IDLE_TIMEOUT_MS,
      keepAliveMs: e.SUBSCRIPTION_KEEPALIVE_MS,
    },
    createPolicy,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
