import { hkdfSync, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { BbbRole } from '../bbb/types.js';
import { sha256 } from '../secrets.js';

/**
 * Short-lived, scoped access tokens for frontends: compact JWTs (HS256) that the gateway signs and verifies itself, so any
 * replica with the same ACCESS_TOKEN_SIGNING_KEY verifies them and nothing is stored. An app's backend mints one per
 * person and meeting (issueAccessToken); the browser only ever holds that.
 */

/** What a token may do. SUBSCRIBE_EVENTS: meetingEvents (subscription and query) of the token's meeting. */
export const ACCESS_SCOPES = ['JOIN', 'READ_MEETING', 'SUBSCRIBE_EVENTS'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

export const DEFAULT_TTL_SECONDS = 300;
export const MAX_TTL_SECONDS = 3600;
/** Keys shorter than this are refused by the configuration: the derived HMAC key is only as strong as its input. */
export const MIN_SIGNING_KEY_LENGTH = 32;

const ALGORITHM = 'HS256';
/** Slack for clocks that differ between replicas (NTP keeps them far closer). */
const CLOCK_SKEW_SECONDS = 30;
const TOKEN_TYPE = 'bbb-interface-access+jwt';
/** Domain separation: the operator key may be used for other things, the derived key only for these tokens. */
const HKDF_INFO = 'bbb-interface access token v1';

/** The verified content of an access token. */
export interface AccessGrant {
  /** The app that minted it: its meetings, its rate-limit budget. */
  readonly app: string;
  readonly meetingId: string;
  /** The createTime of the meeting when the token was minted: a re-created meeting under the same ID is not this one. */
  readonly createTime: string;
  readonly scopes: readonly AccessScope[];
  /** Pinned role: a join with this token has this role and needs no password. */
  readonly role: BbbRole | undefined;
  readonly name: string | undefined;
  readonly userId: string | undefined;
  readonly avatar: string | undefined;
  /** Whether a join with this token is a guest's (a GUESTS waiting room holds guests back); the app decides, never the browser. */
  readonly isGuest: boolean;
  /** Random token id: the per-token rate-limit key (the token itself is never used as a key or logged). */
  readonly tokenId: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export type AccessClaims = Omit<AccessGrant, 'tokenId' | 'expiresAt'>;

interface SigningKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

export interface AccessTokenOptions {
  /** Operator keys; the first signs, every one verifies (so a key can be rotated out without breaking live tokens). */
  signingKeys: readonly string[];
  audience: string;
  /** Injectable clock (epoch ms) for tests. */
  now?: () => number;
}

/** Signs and verifies access tokens with keys derived from the operator's keys. */
export class AccessTokens {
  private readonly keys: readonly SigningKey[];
  private readonly audience: string;
  private readonly now: () => number;

  constructor(options: AccessTokenOptions) {
    if (options.signingKeys.length === 0) throw new Error('AccessTokens needs at least one signing key');
    this.keys = options.signingKeys.map(deriveKey);
    this.audience = options.audience;
    this.now = options.now ?? Date.now;
  }

  async issue(claims: AccessClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + ttlSeconds;
    const payload: JWTPayload = {
      app: claims.app,
      meeting: claims.meetingId,
      ct: claims.createTime,
      scopes: [...claims.scopes],
      ...(claims.role !== undefined ? { role: claims.role } : {}),
      ...(claims.name !== undefined ? { name: claims.name } : {}),
      ...(claims.userId !== undefined ? { uid: claims.userId } : {}),
      ...(claims.avatar !== undefined ? { avatar: claims.avatar } : {}),
      ...(claims.isGuest ? { guest: true } : {}),
    };
    const key = this.keys[0]!;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: key.kid })
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(key.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The grant a token carries, or the reason it is refused: expired, bad signature (tampered), another audience, a key
   * that is no longer configured, another algorithm (`none` included) or a payload that is not ours.
   */
  async verify(token: string): Promise<{ grant: AccessGrant } | { refused: string }> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = this.keys.find((k) => k.kid === header.kid);
          if (!key) throw new RefusedToken('it was signed with a key this gateway no longer has (rotated out)');
          return key.key;
        },
        {
          algorithms: [ALGORITHM],
          audience: this.audience,
          typ: TOKEN_TYPE,
          requiredClaims: ['exp', 'iat', 'jti'],
          currentDate: new Date(this.now()),
          // A token issued on a replica whose clock runs a little ahead must still verify here, so iat and exp get
          // CLOCK_SKEW_SECONDS of slack; one claiming to be issued further in the future, or older than any TTL, is refused.
          maxTokenAge: `${MAX_TTL_SECONDS}s`,
          clockTolerance: CLOCK_SKEW_SECONDS,
        },
      );
      const grant = grantOf(payload);
      return grant === undefined ? { refused: 'its claims are not those of a bbb-interface access token' } : { grant };
    } catch (err) {
      return { refused: reasonOf(err) };
    }
  }
}

/** A compact JWS: three base64url parts, the first a JSON header (`{"` → `eyJ`). App tokens may be anything else. */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(token);
}

class RefusedToken extends Error {}

function reasonOf(err: unknown): string {
  if (err instanceof RefusedToken) return err.message;
  if (err instanceof joseErrors.JWTExpired) return 'it has expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'its signature does not match (it was altered or signed with another key)';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'it is meant for another audience (ACCESS_TOKEN_AUDIENCE)';
    if (err.claim === 'iat') return 'its issue time is in the future or too far in the past';
    return `its ${err.claim} claim is not valid`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return `its algorithm is not ${ALGORITHM}`;
  return 'it is not a well-formed access token';
}

function deriveKey(operatorKey: string): SigningKey {
  const key = new Uint8Array(hkdfSync('sha256', operatorKey, 'bbb-interface', HKDF_INFO, 32));
  // The kid names the key without revealing it: a digest of the derived key, not of the operator's.
  const kid = sha256(key).toString('base64url').slice(0, 16);
  return { kid, key };
}

const ROLES: readonly BbbRole[] = ['MODERATOR', 'VIEWER'];

function grantOf(p: JWTPayload): AccessGrant | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const app = str(p.app);
  const meetingId = str(p.meeting);
  const createTime = str(p.ct);
  const tokenId = str(p.jti);
  const scopes = Array.isArray(p.scopes) ? p.scopes : undefined;
  if (!app || !meetingId || !createTime || !tokenId || !scopes || typeof p.exp !== 'number') return undefined;
  if (!scopes.every((s): s is AccessScope => (ACCESS_SCOPES as readonly unknown[]).includes(s))) return undefined;
  if (p.role !== undefined && !ROLES.includes(p.role as BbbRole)) return undefined;
  if (p.guest !== undefined && p.guest !== true) return undefined;
  return {
    app,
    meetingId,
    createTime,
    scopes,
    role: p.role as BbbRole | undefined,
    name: str(p.name),
    userId: str(p.uid),
    avatar: str(p.avatar),
    isGuest: p.guest === true,
    tokenId,
    expiresAt: p.exp,
  };
}
