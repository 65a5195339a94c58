import { expect } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';

/** A readFile over an in-memory map, for the *_FILE variables; a missing path fails like fs does (ENOENT). */
export function fakeFiles(files: Record<string, string>): (path: string) => string {
  return (path) => {
    if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[path]!;
  };
}

/** The problems loadConfig reports for an environment that must be refused. */
export function configProblems(env: Record<string, string>, readFile: (path: string) => string): string[] {
  try {
    loadConfig(env, readFile);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
