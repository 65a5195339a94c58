/**
 * `java.util.Date.toString()`: `EEE MMM dd HH:mm:ss zzz yyyy` in the JVM's time zone, which is how BBB prints `createDate`.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      year: 'numeric',
      timeZoneName: 'short',
    });
    cache.set(key, f);
  }
  return f;
}

function parts(locale: string, timeZone: string, epochMs: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(locale, timeZone).formatToParts(new Date(epochMs))) out[p.type] = p.value;
  return out;
}

/**
 * Java's short zone names are the CLDR abbreviations where one exists (EST, CET, BST) and `GMT+hh:mm` otherwise; en-US knows
 * the American ones and en-GB the European ones, so both are asked.
 */
function zoneName(timeZone: string, epochMs: number): string {
  for (const locale of ['en-US', 'en-GB']) {
    const name = parts(locale, timeZone, epochMs).timeZoneName ?? '';
    if (name && !/^GMT[+-]/.test(name)) return name;
  }
  const name = parts('en-US', timeZone, epochMs).timeZoneName ?? 'GMT';
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (!m) return name;
  return `GMT${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}`;
}

export function formatJavaDate(epochMs: number, timeZone = 'UTC'): string {
  const p = parts('en-US', timeZone, epochMs);
  return `${p.weekday} ${p.month} ${p.day} ${p.hour}:${p.minute}:${p.second} ${zoneName(timeZone, epochMs)} ${p.year}`;
}
