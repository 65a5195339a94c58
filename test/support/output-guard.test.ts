import { describe, expect, it } from '@jest/globals';
import { expectOutput, takeUnexpectedOutput } from './output-guard.js';

describe('the output guard (setupFilesAfterEnv)', () => {
  it('records console calls and direct stream writes a test did not expect', () => {
    console.log('a %s line', 'formatted');
    console.warn('careful');
    console.assert(true, 'not printed: the assertion holds');
    console.assert(false, 'failed assertion');
    process.stderr.write('raw bytes\n');
    expect(takeUnexpectedOutput()).toEqual([
      { channel: 'log', text: 'a formatted line' },
      { channel: 'warn', text: 'careful' },
      { channel: 'assert', text: 'failed assertion' },
      { channel: 'stderr', text: 'raw bytes\n' },
    ]);
  });

  it('lets a test expect output on a channel, and hands it the text', () => {
    const warnings = expectOutput('warn');
    const written = expectOutput('stdout');
    console.warn('expected %d', 1);
    process.stdout.write('expected bytes');
    expect(warnings).toEqual(['expected 1']);
    expect(written).toEqual(['expected bytes']);
    expect(takeUnexpectedOutput()).toEqual([]);
  });

  it('forgets an expectation when its test ends: the next test is checked again', () => {
    console.warn('unexpected again');
    expect(takeUnexpectedOutput()).toEqual([{ channel: 'warn', text: 'unexpected again' }]);
  });
});
