/** Where the adapter sends its calls: the API base (ends in `/api/`) and the origin that error messages may name. */
export interface BbbEndpoint {
  /** e.g. `https://bbb.example.org/bigbluebutton/api/`; a call name is appended directly. */
  apiBase: string;
  /** e.g. `https://bbb.example.org`; safe to print (no path, query or credentials). */
  origin: string;
}

/**
 * Normalises a base URL as `bbb-conf --secret` prints it (`https://host/bigbluebutton/`) into the API base
 * `https://host/bigbluebutton/api/`, tolerating a missing trailing slash, an extra `api` or `api/` and doubled slashes;
 * throws an Error for anything that is not an absolute http(s) URL without credentials, query or fragment.
 */
export function normaliseBaseUrl(baseUrl: string): BbbEndpoint {
  const input = baseUrl.trim();
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(
      'The BigBlueButton base URL is not an absolute URL; expected something like https://bbb.example.org/bigbluebutton/ (as `bbb-conf --secret` prints it).',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The BigBlueButton base URL must use http or https, not ${url.protocol.replace(/:$/, '')}.`);
  }
  // The URL may end up in logs and error messages; BBB authenticates with the shared secret, never with userinfo.
  if (url.username !== '' || url.password !== '') {
    throw new Error('The BigBlueButton base URL must not contain a user name or password.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(
      'The BigBlueButton base URL must not contain a query string or fragment; the adapter appends the call and its signed query.',
    );
  }
  // Double slashes make bbb-web answer 404 (mconf/bigbluebutton-api-ruby#60), so they are collapsed, not kept.
  let path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (path.endsWith('/api')) path = path.slice(0, -'/api'.length);
  return { apiBase: `${url.origin}${path}/api/`, origin: url.origin };
}
