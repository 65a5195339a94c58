import { describe, expect, it } from '@jest/globals';
import { normaliseBaseUrl } from '../../src/bbb/base-url.js';

describe('normaliseBaseUrl', () => {
  it.each([
    ['as bbb-conf --secret prints it', 'https://bbb.example.org/bigbluebutton/'],
    ['without the trailing slash', 'https://bbb.example.org/bigbluebutton'],
    ['with an extra api/', 'https://bbb.example.org/bigbluebutton/api/'],
    ['with an extra api', 'https://bbb.example.org/bigbluebutton/api'],
    ['with doubled slashes', 'https://bbb.example.org//bigbluebutton//'],
    ['with doubled slashes around api', 'https://bbb.example.org/bigbluebutton//api//'],
    ['with surrounding whitespace', '  https://bbb.example.org/bigbluebutton/\n'],
    ['with an upper-case host', 'https://BBB.Example.ORG/bigbluebutton/'],
  ])('gives the API base /bigbluebutton/api/ for a base URL %s', (_label, input) => {
    expect(normaliseBaseUrl(input)).toEqual({
      apiBase: 'https://bbb.example.org/bigbluebutton/api/',
      origin: 'https://bbb.example.org',
    });
  });

  it('keeps a non-default port in both the API base and the origin', () => {
    expect(normaliseBaseUrl('http://127.0.0.1:8090/bigbluebutton')).toEqual({
      apiBase: 'http://127.0.0.1:8090/bigbluebutton/api/',
      origin: 'http://127.0.0.1:8090',
    });
  });

  it('keeps a path prefix in front of bigbluebutton (a reverse proxy or Scalelite tenant path)', () => {
    expect(normaliseBaseUrl('https://lb.example.org/tenant-a/bigbluebutton/').apiBase).toBe(
      'https://lb.example.org/tenant-a/bigbluebutton/api/',
    );
  });

  it('does not invent a /bigbluebutton path for a bare origin', () => {
    expect(normaliseBaseUrl('https://bbb.example.org').apiBase).toBe('https://bbb.example.org/api/');
  });

  it.each([
    ['ftp', 'ftp://bbb.example.org/bigbluebutton/', /must use http or https, not ftp/],
    ['javascript', 'javascript:alert(1)', /must use http or https/],
    ['file', 'file:///etc/bigbluebutton/', /must use http or https, not file/],
  ])('rejects the %s scheme with a clear Error', (_label, input, message) => {
    expect(() => normaliseBaseUrl(input)).toThrow(message);
  });

  it.each([
    ['a URL without scheme', 'bbb.example.org/bigbluebutton/', /not an absolute URL/],
    ['an empty string', '', /not an absolute URL/],
    ['credentials in the URL', 'https://admin:hunter2@bbb.example.org/bigbluebutton/', /user name or password/],
    ['a query string', 'https://bbb.example.org/bigbluebutton/?x=1', /query string or fragment/],
    ['a fragment', 'https://bbb.example.org/bigbluebutton/#api', /query string or fragment/],
  ])('rejects %s', (_label, input, message) => {
    expect(() => normaliseBaseUrl(input)).toThrow(message);
  });

  it('does not repeat credentials in its error message', () => {
    expect(() => normaliseBaseUrl('https://admin:hunter2@bbb.example.org/')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
