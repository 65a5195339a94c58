import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { configProblems, fakeFiles } from '../helpers/config.js';

const readFile = fakeFiles({
  '/run/secrets/signing': 'key-from-a-file-0123456789abcdefghij\nolder-key-from-a-file-0123456789abcdef\n',
});

describe('access-token and CORS configuration', () => {
  it('access tokens are off without ACCESS_TOKEN_SIGNING_KEY; the audience and per-token budget have defaults', () => {
    const c = loadConfig({}, readFile);
    expect(c.accessTokens).toEqual({ signingKeys: [], audience: 'bbb-interface', rateLimitPoints: 120 });
  });

  it('takes several keys, the first one signing, from the variable or a file', () => {
    expect(
      loadConfig(
        { ACCESS_TOKEN_SIGNING_KEY: ' new-key-0123456789abcdefghijklmnop , old-key-0123456789abcdefghijklmnop' },
        readFile,
      ).accessTokens.signingKeys,
    ).toEqual(['new-key-0123456789abcdefghijklmnop', 'old-key-0123456789abcdefghijklmnop']);
    expect(
      loadConfig({ ACCESS_TOKEN_SIGNING_KEY_FILE: '/run/secrets/signing' }, readFile).accessTokens.signingKeys,
    ).toHaveLength(2);
  });

  it('refuses a short key without echoing it, and both the variable and the file', () => {
    const list = configProblems(
      { ACCESS_TOKEN_SIGNING_KEY: 'long-enough-key-0123456789abcdefghij,tooshort' },
      readFile,
    );
    expect(list).toEqual([expect.stringMatching(/^ACCESS_TOKEN_SIGNING_KEY: key 2 must be at least 32 characters/)]);
    expect(list.join('\n')).not.toContain('tooshort');
    const both = configProblems(
      { ACCESS_TOKEN_SIGNING_KEY: 'x'.repeat(40), ACCESS_TOKEN_SIGNING_KEY_FILE: '/run/secrets/signing' },
      readFile,
    );
    expect(both).toEqual([expect.stringContaining('ACCESS_TOKEN_SIGNING_KEY and ACCESS_TOKEN_SIGNING_KEY_FILE')]);
  });

  it('allows localhost origins by default in development only, and not once CORS_ORIGINS is set', () => {
    expect(loadConfig({}, readFile).http.corsLocalhost).toBe(true);
    expect(loadConfig({ CORS_ORIGINS: 'https://lms.example.org' }, readFile).http.corsLocalhost).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }, readFile).http.corsLocalhost).toBe(false);
    const production = {
      NODE_ENV: 'production',
      BBB_URL: 'https://bbb.example.org/bigbluebutton/',
      BBB_SECRET: 's'.repeat(20),
      API_TOKENS: `lms:${'t'.repeat(20)}`,
    };
    expect(loadConfig(production, readFile).http.corsLocalhost).toBe(false);
  });
});
