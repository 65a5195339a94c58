import { GatewayError } from '../errors.js';
import type { AccessGrant, AccessScope } from '../auth/access-tokens.js';
import { requireCaller, type Caller } from '../auth/caller.js';
import type { JoinMeetingInput } from '../meetings/meeting-input.js';
import type { GatewayContext } from './context.js';

/** The root fields an access token can reach, and the scope each needs. Every other field wants the app's API token. */
const FIELD_SCOPES: Readonly<Record<string, AccessScope>> = {
  joinUrl: 'JOIN',
  meeting: 'READ_MEETING',
  // Query.meetingEvents and Subscription.meetingEvents, for the token's meeting only.
  meetingEvents: 'SUBSCRIBE_EVENTS',
};

/** The FORBIDDEN an access-token request gets for a root field its scopes do not grant; undefined when granted. */
export function scopeRefusal(field: string, scopes: readonly AccessScope[]): GatewayError | undefined {
  const needed = FIELD_SCOPES[field];
  if (needed === undefined) {
    return new GatewayError(
      'FORBIDDEN',
      `${field} needs the app's API token: no access-token scope grants it (access tokens can use ${Object.entries(
        FIELD_SCOPES,
      )
        .map(([f, s]) => `${f} with ${s}`)
        .join(', ')}).`,
    );
  }
  if (!scopes.includes(needed))
    return new GatewayError('FORBIDDEN', `${field} needs the ${needed} scope, which this access token does not have.`);
  return undefined;
}

/** The caller of an operation that needs the app's API token (requireCaller, and no access token). */
export function callerOf(ctx: GatewayContext): Caller {
  // The auth plugin refuses unauthenticated operations before execution; this is the second lock on the door.
  const caller = requireCaller(ctx);
  // Only the resolvers that check an access token's scope and meeting may act on one (the plugin refuses the rest first).
  if (ctx.access) throw new GatewayError('FORBIDDEN', "This operation needs the app's API token, not an access token.");
  return caller;
}

/** Who an access-token request acts as, after its scope and its one meeting are checked: the app that minted the token. */
export function accessCaller(grant: AccessGrant, given: Caller | undefined, field: string, meetingId: string): Caller {
  const caller = requireCaller({ caller: given });
  const refusal = scopeRefusal(field, grant.scopes);
  if (refusal) throw refusal;
  if (meetingId !== grant.meetingId)
    throw new GatewayError(
      'FORBIDDEN',
      `This access token is for another meeting; ${field} works only for the meetingId it was issued for.`,
    );
  return caller;
}

export interface TokenJoinRequest {
  name?: string | null;
  meetingId: string;
  password?: string | null;
  createTime?: string | null;
  userId?: string | null;
  avatar?: string | null;
  isGuest?: boolean | null;
  /** When a browser sends one it must be the token's own. */
  role?: string | null;
  userdata?: unknown;
  errorRedirectUrl?: unknown;
  enforceLayout?: unknown;
  excludeFromDashboard?: unknown;
}

/** Join options only the app's backend sets (with its API token): excludeFromDashboard would hide a student from attendance. */
const BACKEND_ONLY_JOIN_OPTIONS = ['userdata', 'errorRedirectUrl', 'enforceLayout', 'excludeFromDashboard'] as const;

/**
 * A browser's join request with the token's pinned values filled in. A pinned value the request repeats unchanged is
 * fine; a different one is FORBIDDEN, so a browser cannot rename, re-identify or promote itself.
 */
export function pinnedJoin(
  grant: AccessGrant,
  req: TokenJoinRequest,
): { input: Omit<JoinMeetingInput, 'password'>; password: string | undefined } {
  const pin = (field: 'name' | 'userId' | 'avatar' | 'createTime', pinned: string | undefined): string | undefined => {
    const asked = req[field] ?? undefined;
    if (pinned !== undefined && asked !== undefined && asked !== pinned) {
      throw new GatewayError('FORBIDDEN', `${field} is fixed by the access token and cannot be changed; leave it out.`);
    }
    return pinned ?? asked;
  };
  const backendOnly = BACKEND_ONLY_JOIN_OPTIONS.find((option) => req[option] != null);
  if (backendOnly !== undefined)
    throw new GatewayError(
      'FORBIDDEN',
      `${backendOnly} is set by your backend with the app's API token, not with an access token; leave it out.`,
    );
  const password = req.password ?? undefined;
  const role = req.role ?? undefined;
  if (role !== undefined && role !== grant.role) {
    throw new GatewayError(
      'FORBIDDEN',
      grant.role === undefined
        ? 'role: this access token lets the meeting password decide the role; leave role out.'
        : 'role is fixed by the access token and cannot be changed; leave it out.',
    );
  }
  if (grant.role !== undefined && password !== undefined) {
    throw new GatewayError(
      'FORBIDDEN',
      'password: this access token fixes the role, so the join needs no password; leave it out.',
    );
  }
  if (grant.role === undefined && password === undefined) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      'password is required: this access token fixes no role, so the meeting password decides it.',
    );
  }
  return {
    input: {
      name: pin('name', grant.name) as string,
      meetingId: req.meetingId,
      createTime: pin('createTime', grant.createTime) as string,
      userId: pin('userId', grant.userId),
      avatar: pin('avatar', grant.avatar),
      isGuest: pinnedGuest(grant, req.isGuest),
    },
    password,
  };
}

/**
 * A token join is a guest's exactly when the app minted the token so: a browser that left isGuest out would otherwise skip
 * a GUESTS waiting room. The same value sent again is fine.
 */
function pinnedGuest(grant: AccessGrant, asked: boolean | null | undefined): boolean {
  if (asked != null && asked !== grant.isGuest)
    throw new GatewayError('FORBIDDEN', 'isGuest is fixed by the access token and cannot be changed; leave it out.');
  return grant.isGuest;
}

/** Fields no access token may read, whatever its scopes: a meeting's passwords would let a viewer join as moderator. */
export const APP_TOKEN_ONLY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Meeting: ['attendeePass', 'moderatorPass'],
};

const APP_TOKEN_ONLY_NAMES = new Set(Object.values(APP_TOKEN_ONLY_FIELDS).flat());

/** Whether a field name is one of APP_TOKEN_ONLY_FIELDS on some type: the auth plugin refuses such operations up front. */
export function isAppTokenOnlyName(field: string): boolean {
  return APP_TOKEN_ONLY_NAMES.has(field);
}

export function appTokenOnlyField(type: string, field: string): GatewayError {
  return new GatewayError('FORBIDDEN', `${type}.${field} needs the app's API token: no access-token scope grants it.`);
}
