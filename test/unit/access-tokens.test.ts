import { describe, expect, it } from '@jest/globals';
import { AccessTokens, looksLikeJwt } from '../../src/auth/access-tokens.js';

const KEY = 'unit-signing-key-0123456789abcdefghijkl';
const claims = {
  app: 'lms',
  meetingId: 'm-1',
  createTime: '1',
  scopes: ['JOIN' as const],
  role: 'VIEWER' as const,
  name: 'Ada',
  userId: undefined,
  avatar: undefined,
  isGuest: false,
};
const at = (ms: number) => new AccessTokens({ signingKeys: [KEY], audience: 'bbb-interface', now: () => ms });
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('AccessTokens clocks', () => {
  it('a token minted on a replica whose clock is 10 s ahead verifies on one that is not', async () => {
    const { token } = await at(T0 + 10_000).issue(claims, 300);
    const result = await at(T0).verify(token);
    expect(result).toMatchObject({ grant: { app: 'lms', meetingId: 'm-1', role: 'VIEWER', name: 'Ada' } });
  });

  it('refuses a token 31 s past its exp, and one issued 2 minutes in the future', async () => {
    const { token } = await at(T0).issue(claims, 60);
    expect(await at(T0 + 91_000).verify(token)).toEqual({ refused: 'it has expired' });
    const { token: future } = await at(T0 + 120_000).issue(claims, 300);
    expect(await at(T0).verify(future)).toEqual({ refused: 'its issue time is in the future or too far in the past' });
  });

  it('tells access tokens from app tokens by shape', async () => {
    expect(looksLikeJwt((await at(T0).issue(claims, 60)).token)).toBe(true);
    expect(looksLikeJwt('lms-token-0123456789abcdef')).toBe(false);
  });
});
