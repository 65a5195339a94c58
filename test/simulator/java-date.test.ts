import { describe, expect, it } from '@jest/globals';
import { formatJavaDate } from '../../src/simulator/java-date.js';

describe('formatJavaDate', () => {
  it.each([
    [1531155809613, 'UTC', 'Mon Jul 09 17:03:29 UTC 2018'], // the docs sample of §2.2
    [1715261728123, 'UTC', 'Thu May 09 13:35:28 UTC 2024'],
    [1453283819419, 'America/New_York', 'Wed Jan 20 04:56:59 EST 2016'],
    [1683975159000, 'Europe/Berlin', 'Sat May 13 12:52:39 CEST 2023'],
    [1672531200000, 'Europe/Berlin', 'Sun Jan 01 01:00:00 CET 2023'],
    [1672531200000, 'Asia/Kolkata', 'Sun Jan 01 05:30:00 GMT+05:30 2023'],
    [1672531200000 - 1000, 'UTC', 'Sat Dec 31 23:59:59 UTC 2022'],
  ])('formats %d in %s as %s', (ms, tz, expected) => {
    expect(formatJavaDate(ms, tz)).toBe(expected);
  });

  it('prints midnight as 00, not 24', () => {
    expect(formatJavaDate(Date.UTC(2024, 0, 1, 0, 0, 0), 'UTC')).toBe('Mon Jan 01 00:00:00 UTC 2024');
  });
});
