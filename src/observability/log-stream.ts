import pino, { type DestinationStream } from 'pino';

/** Shorter values are not scrubbed as text: replacing every "abc" in every line would garble the logs. */
const MIN_SCRUBBED_LENGTH = 8;
const CHECKSUM_VALUE = /(checksum=)[0-9a-fA-F]+/g;
/** A compact JWS (an access token) anywhere in a line: header `{"…` base64url-encoded, then payload and signature. */
const JWT_VALUE = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g;

/**
 * The last line of defence behind the key redaction (log-redaction.ts): every finished log line loses `checksum=<hex>` values,
 * access tokens (JWTs) and any literal occurrence of the given secrets (the BBB shared secret, the metrics token), wherever
 * a message or an error's text carried them. `destination` defaults to standard output, written once per event-loop turn
 * (stdoutOncePerTurn).
 */
export function scrubbingLogStream(
  secrets: readonly (string | undefined)[],
  destination?: DestinationStream,
): DestinationStream {
  const target = destination ?? stdoutOncePerTurn();
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

/** A turn's lines are written at once when they reach this many characters, so a burst of lines holds little memory. */
const TURN_BATCH_CHARS = 64 * 1024;

/**
 * `target` written once per event-loop turn: the lines of a turn are joined and go out in one write when the turn ends
 * (setImmediate), at once when TURN_BATCH_CHARS gather, and (`flush`) when the process exits. Every line stays, in
 * order, whole, and leaves within the turn that wrote it: a write of its own per line cost a REST join 5.6–19 µs of CPU
 * (18 µs with stdout on a pipe) at 32 concurrent joins, where one turn answers about 17 requests (bench/README.md). Only
 * a process killed outright (SIGKILL, V8 out of memory) loses the lines of its last turn.
 */
export function oncePerTurn(target: DestinationStream): DestinationStream & { flush(): void } {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    if (pending === '') return;
    const lines = pending;
    pending = '';
    target.write(lines);
  };
  const endOfTurn = () => {
    scheduled = false;
    flush();
  };
  return {
    write(line: string) {
      pending += line;
      if (pending.length >= TURN_BATCH_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(endOfTurn);
      }
    },
    flush,
  };
}

let stdout: ReturnType<typeof oncePerTurn> | undefined;

/**
 * Standard output as pino's synchronous destination, written once per turn; one per process (every gateway in it shares
 * fd 1, and so one `exit` listener writes what is left, after process.exit() and after an uncaught exception alike).
 */
function stdoutOncePerTurn(): DestinationStream {
  if (stdout === undefined) {
    stdout = oncePerTurn(pino.destination({ dest: 1, sync: true }));
    process.on('exit', stdout.flush);
  }
  return stdout;
}
