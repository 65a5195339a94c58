import pino, { type DestinationStream } from 'pino';

/** Shorter values are not scrubbed as text: replacing every "abc" in every line would garble the logs. */
const MIN_SCRUBBED_LENGTH = 8;
const CHECKSUM_VALUE = /(checksum=)[0-9a-fA-F]+/g;
/** A compact JWS (an access token) anywhere in a line: header `{"…` base64url-encoded, then payload and signature. */
const JWT_VALUE = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g;

/**
 * The last line of defence behind the key redaction (log-redaction.ts): every finished log line loses `checksum=<hex>` values,
 * access tokens (JWTs) and any literal occurrence of the given secrets (the BBB shared secret, the metrics token), wherever
 * a message or an error's text carried them. `destination` defaults to synchronous stdout, as pino's own default.
 */
export function scrubbingLogStream(
  secrets: readonly (string | undefined)[],
  destination?: DestinationStream,
): DestinationStream {
  const target = destination ?? pino.destination({ dest: 1, sync: true });
  const literals = [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SCRUBBED_LENGTH))];
  return {
    write(line: string) {
      let clean = line.includes('checksum=') ? line.replace(CHECKSUM_VALUE, '$1[redacted]') : line;
      if (clean.includes('eyJ')) clean = clean.replace(JWT_VALUE, '[redacted]');
      for (const secret of literals) if (clean.includes(secret)) clean = clean.split(secret).join('[redacted]');
      target.write(clean);
    },
  };
}
