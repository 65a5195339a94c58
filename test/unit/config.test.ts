import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { configProblems, fakeFiles } from '../helpers/config.js';
import { findApp, parseTokenList, tokenFromHeader } from '../../src/auth/tokens.js';

const readFile = fakeFiles({
  '/run/secrets/bbb': '  file-secret-value \n',
  '/run/secrets/tokens': 'lms:lms-token-from-a-file-0001\n',
});
const problems = (env: Record<string, string>) => configProblems(env, readFile);

describe('loadConfig', () => {
  it('runs with no variables at all outside production (embedded simulator, dev token)', () => {
    const c = loadConfig({}, readFile);
    expect(c.bbb).toBeNull();
    expect(c.tokens).toEqual([]);
    expect(c.port).toBe(4000);
    expect(c.bbbDefaults.algorithm).toBe('sha256');
    expect(c.graphql.sandbox).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.graphql)).toBe(true);
  });

  it('in production lists every missing variable in one error', () => {
    // BBB_SECRET was left out here: the operator set BBB_URL and only then learnt of BBB_SECRET.
    const list = problems({ NODE_ENV: 'production' });
    expect(list).toEqual([
      expect.stringMatching(/^API_TOKENS: required in production/),
      expect.stringMatching(/^BBB_URL: required in production/),
      expect.stringMatching(/^BBB_SECRET: required in production/),
    ]);
  });

  it('in production accepts BBB_SECRET_FILE for the missing secret and still names BBB_URL', () => {
    const list = problems({
      NODE_ENV: 'production',
      BBB_SECRET_FILE: '/run/secrets/bbb',
      API_TOKENS: 'lms:0123456789abcdef0123',
    });
    expect(list).toEqual([
      expect.stringMatching(/^BBB_URL: required in production/),
      'BBB_SECRET: set, but BBB_URL is not; set both or neither',
    ]);
  });

  it('says a number variable must be a whole number, never "received NaN"', () => {
    const list = problems({ PORT: 'eighty', BBB_TIMEOUT_MS: '1.5', GRAPHQL_MAX_DEPTH: '1' });
    expect(list).toEqual([
      'PORT: must be a whole number',
      'BBB_TIMEOUT_MS: must be a whole number',
      'GRAPHQL_MAX_DEPTH: must be at least 2',
    ]);
    expect(list.join('\n')).not.toMatch(/NaN/);
  });

  it('reports every bad variable at once, by name, without echoing values', () => {
    const list = problems({
      NODE_ENV: 'production',
      BBB_URL: 'ftp://bbb.example.org',
      BBB_SECRET: 'supersecretvalue',
      BBB_CHECKSUM_ALGORITHM: 'md5',
      PORT: 'eighty',
      API_TOKENS: 'lms:short,bad name:abcdefghijklmnopq',
    });
    const text = list.join('\n');
    for (const v of ['BBB_URL', 'BBB_CHECKSUM_ALGORITHM', 'PORT', 'API_TOKENS: entry 1', 'API_TOKENS: entry 2'])
      expect(text).toContain(v);
    expect(text).not.toContain('supersecretvalue');
    expect(text).not.toContain('short');
  });

  it('turns Sandbox and introspection off in production unless enabled', () => {
    const env = {
      NODE_ENV: 'production',
      BBB_URL: 'https://bbb.example.org/bigbluebutton/',
      BBB_SECRET: 's3cr3t',
      API_TOKENS: 'lms:0123456789abcdef0123',
    };
    expect(loadConfig(env).graphql).toMatchObject({ sandbox: false, introspection: false });
    expect(loadConfig({ ...env, GRAPHQL_SANDBOX: 'true' }).graphql).toMatchObject({
      sandbox: true,
      introspection: true,
    });
  });

  it('refuses a drain that would outlast the shutdown grace period', () => {
    expect(problems({ SHUTDOWN_GRACE_MS: '2000', SHUTDOWN_DRAIN_MS: '2000' })).toEqual([
      expect.stringMatching(/^SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_GRACE_MS \(2000 ms\)/),
    ]);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '2000', SHUTDOWN_DRAIN_MS: '1999' }, readFile).shutdownDrainMs).toBe(1999);
  });

  it('reads secrets and tokens from files', () => {
    const c = loadConfig(
      {
        BBB_URL: 'https://bbb.example.org/bigbluebutton/',
        BBB_SECRET_FILE: '/run/secrets/bbb',
        API_TOKENS_FILE: '/run/secrets/tokens',
      },
      readFile,
    );
    expect(c.bbb?.secret).toBe('file-secret-value');
    expect(findApp(c.tokens, 'lms-token-from-a-file-0001')).toBe('lms');
  });

  it('names an unreadable file and refuses a value given twice', () => {
    const list = problems({
      BBB_URL: 'https://x.example/bigbluebutton/',
      BBB_SECRET: 'a',
      BBB_SECRET_FILE: '/run/secrets/bbb',
      API_TOKENS_FILE: '/nope',
    });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/BBB_SECRET and BBB_SECRET_FILE/),
        expect.stringMatching(/API_TOKENS_FILE: cannot read \/nope \(ENOENT\)/),
      ]),
    );
  });

  it('requires BBB_SECRET with BBB_URL', () => {
    expect(problems({ BBB_URL: 'https://bbb.example.org/bigbluebutton/' })).toEqual([
      expect.stringMatching(/^BBB_SECRET: required/),
    ]);
  });
});

describe('API tokens', () => {
  it('accepts clear and sha256-hashed tokens and finds the app for each', () => {
    const hash = createHash('sha256').update('portal-token-in-clear-0001').digest('hex');
    const { tokens, problems: p } = parseTokenList(`lms:lms-token-in-clear-00001, portal:sha256:${hash}`);
    expect(p).toEqual([]);
    expect(findApp(tokens, 'lms-token-in-clear-00001')).toBe('lms');
    expect(findApp(tokens, 'portal-token-in-clear-0001')).toBe('portal');
    expect(findApp(tokens, 'portal-token-in-clear-0002')).toBeUndefined();
  });

  it('refuses duplicates, short tokens and malformed hashes', () => {
    const { problems: p } = parseTokenList(
      'a:aaaaaaaaaaaaaaaaaaaa,a:bbbbbbbbbbbbbbbbbbbb,b:aaaaaaaaaaaaaaaaaaaa,c:sha256:xyz,d:short',
    );
    expect(p).toHaveLength(4);
  });

  it.each([
    ['abc', 'abc'],
    ['Bearer abc', 'abc'],
    ['  bearer   abc ', 'abc'],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j from the Authorization header as %j', (header, token) => {
    expect(tokenFromHeader(header)).toBe(token);
  });
});
