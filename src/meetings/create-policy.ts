/**
 * The operator's policy for create (BBB_CREATE_DEFAULTS, BBB_CREATE_OVERRIDES, BBB_CREATE_PASSTHROUGH), parsed once at
 * start-up and applied to every createMeeting. Precedence, highest first:
 *   1. BBB_CREATE_OVERRIDES — whatever the app sends (e.g. `record=false` on a server without recording);
 *   2. what the app sends — the typed createMeeting options, then its `bbbParameters`;
 *   3. BBB_CREATE_DEFAULTS — only where the app set nothing (e.g. `muteOnStart=true`);
 *   4. BigBlueButton's own defaults (bbb-web.properties).
 */

export interface CreatePolicy {
  readonly defaults: ReadonlyArray<readonly [string, string]>;
  readonly overrides: ReadonlyArray<readonly [string, string]>;
  /** BBB create parameter names apps may send raw through `bbbParameters`. */
  readonly passthrough: readonly string[];
}

export const EMPTY_CREATE_POLICY: CreatePolicy = Object.freeze({ defaults: [], overrides: [], passthrough: [] });

const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Create parameters the gateway owns and no policy or passthrough may set: identity and passwords, the logout URL and
 * guest policy that the typed fields control, metadata (`meta_*`, where the app tag and the callbacks live), BBB's
 * server-side end callback, and the checksum.
 */
const GATEWAY_OWNED = new Set([
  'name',
  'meetingID',
  'attendeePW',
  'moderatorPW',
  'checksum',
  'guestPolicy',
  'meetingEndedURL',
  'isBreakout',
  'parentMeetingID',
]);

const GATEWAY_OWNED_LOWER = new Set([...GATEWAY_OWNED].map((n) => n.toLowerCase()));

/**
 * Parameters an operator may set in a default or an override, but an app may never send raw: the typed fields validate
 * them (the logout URL must be http(s), slides go through presentations' rules), or they would let a waiting guest out
 * (allowPromoteGuestToModerator).
 */
const TYPED_OR_GUARDED = new Set(
  [
    'logoutURL',
    'maxParticipants',
    'preUploadedPresentation',
    'preUploadedPresentationName',
    'presentationUploadExternalUrl',
    'presentationUploadExternalDescription',
    'allowPromoteGuestToModerator',
  ].map((n) => n.toLowerCase()),
);

/** Why `name` may not be set by policy or passthrough, or undefined when it may. Names compare in any case. */
function reservedCreateParameterReason(name: string): string | undefined {
  if (!PARAM_NAME.test(name))
    return 'is not a BigBlueButton create parameter name (letters and digits, starting with a letter)';
  if (GATEWAY_OWNED_LOWER.has(name.toLowerCase())) return 'is set by the gateway itself';
  return undefined;
}

/**
 * `name=value` pairs separated by commas; a piece without `=` continues the previous value, so
 * `disabledFeatures=chat,polls,muteOnStart=true` is two pairs. Problems are collected with the variable's name.
 */
export function parseParameterPairs(
  variable: string,
  text: string | undefined,
  problems: string[],
): Array<[string, string]> {
  if (text === undefined || text.trim() === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const piece of text.split(',')) {
    const eq = piece.indexOf('=');
    const name = eq < 0 ? '' : piece.slice(0, eq).trim();
    if (eq < 0 || !PARAM_NAME.test(name)) {
      if (pairs.length > 0 && eq < 0) {
        // The comma was part of the value: keep the piece as written (`welcome=Hi, all`).
        pairs[pairs.length - 1]![1] += `,${piece}`;
        continue;
      }
      problems.push(`${variable}: "${piece.trim()}" is not a name=value pair of a BigBlueButton create parameter`);
      continue;
    }
    const reason = reservedCreateParameterReason(name);
    if (reason !== undefined) problems.push(`${variable}: ${name} ${reason}`);
    else if (pairs.some(([n]) => n === name)) problems.push(`${variable}: ${name} is listed twice`);
    else pairs.push([name, piece.slice(eq + 1).trim()]);
  }
  return pairs;
}

export function parsePassthrough(text: string | undefined, problems: string[]): string[] {
  if (text === undefined || text.trim() === '') return [];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    const reason =
      reservedCreateParameterReason(name) ??
      (TYPED_OR_GUARDED.has(name.toLowerCase())
        ? 'cannot be sent raw by apps: a typed createMeeting option validates it, or it would let waiting guests out'
        : undefined);
    if (reason !== undefined) problems.push(`BBB_CREATE_PASSTHROUGH: ${name} ${reason}`);
  }
  return [...new Set(names)];
}

/** The final create parameters: defaults where nothing is set, then the app's, then overrides replacing any of them. */
export function applyCreatePolicy(policy: CreatePolicy, app: Array<[string, string]>): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const [name, value] of app) out.set(name, value);
  for (const [name, value] of policy.defaults) if (!out.has(name)) out.set(name, value);
  for (const [name, value] of policy.overrides) out.set(name, value);
  return [...out];
}
