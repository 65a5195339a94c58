/** Injected faults: what a proxy, a crashed bbb-web or a flaky network does to an API call. */
import type { Fault, FaultRule } from './types.js';

interface ActiveRule {
  fault: Fault;
  calls?: string[];
  remaining: number;
}

export interface FaultDecision {
  /** Extra delay from `latency` rules, in milliseconds. */
  delayMs: number;
  /** The first non-latency fault that applies, if any. */
  fault?: Exclude<Fault, { kind: 'latency' }>;
}

function validate(rule: FaultRule): void {
  const { fault } = rule;
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new Error(`injectFault: times must be a positive integer, got ${rule.times}.`);
  }
  if (fault.kind === 'latency' && !(fault.ms >= 0))
    throw new Error(`injectFault: latency ms must be >= 0, got ${fault.ms}.`);
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new Error(`injectFault: status must be an HTTP status code, got ${fault.status}.`);
  }
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    validate(rule);
    this.rules.push({
      fault: rule.fault,
      ...(rule.calls ? { calls: [...rule.calls] } : {}),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes the rules that apply to one request: latency rules add up, the first other fault wins. */
  take(call: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.calls && !rule.calls.includes(call))) continue;
      if (rule.fault.kind === 'latency') {
        rule.remaining--;
        decision.delayMs += rule.fault.ms;
      } else if (!decision.fault) {
        rule.remaining--;
        decision.fault = rule.fault;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return decision;
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The page nginx serves for its own errors (for example 502 when bbb-web is down). */
export function nginxErrorPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** A 200 HTML page where XML was expected, like a captive portal or a misrouted default site. */
export const HTML_PAGE =
  '<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome to nginx!</h1>\n' +
  '<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n';

/** Bytes that are neither XML nor valid UTF-8. */
export const GARBAGE = Buffer.from([
  0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x3c, 0x72, 0x65, 0x73, 0x70, 0x00, 0xc3, 0x28, 0x7b, 0x22, 0x6f, 0x6b, 0x22,
  0x3a, 0x20, 0x74, 0x72, 0x75, 0x0a,
]);
