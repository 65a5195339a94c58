import pino, { type LoggerOptions, type SerializerFn } from 'pino';

/** What a redacted value is written as. */
const CENSOR = '[redacted]';

/** Keys never written with their value: at the top of a logged object, and one level down (`{ input: { password } }`). */
const SECRET_KEYS = ['password', 'secret', 'token'] as const;

/**
 * The exact paths, left to pino: it redacts them only where a logged object has that top-level key, at no cost to other
 * lines. The one-level-down keys (`*.password`, `*.secret`, `*.token` as pino paths) are done below instead: a wildcard
 * path makes pino run its redactor on every value of every line, about 4.5 µs per request line (bench/results notes).
 */
const EXACT_PATHS = ['req.headers.authorization', 'headers.authorization', 'authorization', ...SECRET_KEYS];

/** Keys whose values go through a serializer first (fastify's and the gateway's); their serializer's output is redacted. */
const SERIALIZED_KEYS = new Set(['req', 'res', 'err']);

/**
 * The logger options that keep every value under `authorization`, `secret`, `token` and `password` out of the log, as the
 * pino paths `authorization`, `secret`, `token`, `password`, `req.headers.authorization`, `headers.authorization`,
 * `*.password`, `*.secret` and `*.token` did, with the same output (test/unit/log-redaction.test.ts compares the two):
 * a logged object is scanned one level deep, a serialized value (an error) after its serializer. Child-logger bindings
 * get the exact paths only: the gateway's one child logger is fastify's per request, bound to `reqId` alone.
 */
export function redactingLogOptions(
  serializers: Record<string, SerializerFn>,
): Required<Pick<LoggerOptions, 'redact' | 'formatters' | 'serializers'>> {
  const wrapped: Record<string, SerializerFn> = {};
  // fastify adds its err serializer (pino's) only where none is given; this one is pino's too, then redacted.
  for (const [key, serialize] of Object.entries({ err: pino.stdSerializers.err as SerializerFn, ...serializers }))
    wrapped[key] = (value) => censorNested(serialize(value));
  return {
    redact: { paths: EXACT_PATHS, censor: CENSOR },
    formatters: { log: censorChildren },
    serializers: wrapped,
  };
}

/** The object with every value that holds a secret key one level down replaced by a copy with that key censored. */
function censorChildren(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key) || SERIALIZED_KEYS.has(key)) continue;
    const value = obj[key];
    const clean = censorNested(value);
    if (clean !== value) (out ??= { ...obj })[key] = clean;
  }
  return out ?? obj;
}

/** A copy of `value` (same prototype, own enumerable properties) with its own secret keys censored; itself if it has none. */
function censorNested(value: unknown): unknown {
  // An array's JSON holds its items only; pino's paths never reached into them either.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of SECRET_KEYS) {
    if (!Object.hasOwn(value, key)) continue;
    copy ??= Object.assign(
      Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>,
      value,
    );
    copy[key] = CENSOR;
  }
  return copy ?? value;
}
