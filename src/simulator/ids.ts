import { createHash, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** What BBB's `RandomStringUtils.randomAlphanumeric(8)` gives for a password nobody passed. */
export function randomPassword(): string {
  return randomFrom(ALNUM, 8);
}

export function randomLowerAlnum(length: number): string {
  return randomFrom(LOWER_ALNUM, length);
}

export function randomVoiceBridge(): string {
  return String(randomInt(10000, 100000));
}

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
