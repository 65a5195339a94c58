/**
 * Test-side BBB client helpers. Checksums are computed here with node:crypto, independently of both the simulator and
 * src/bbb, so neither can pass a test through a shared bug.
 */
import { createHash } from 'node:crypto';

export type Algorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface Target {
  url: string;
  secret: string;
}

export function checksum(call: string, query: string, secret: string, algorithm: Algorithm = 'sha1'): string {
  return createHash(algorithm).update(`${call}${query}${secret}`, 'utf8').digest('hex');
}

/** RFC 3986 plus `! ' ( ) *`, which fetch would otherwise re-encode after we hashed (bbb-api.md §1.5). */
function encodeComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Spaces as %20; tests that need `+` build their query by hand. */
export function encodeQuery(params: Record<string, string> | Array<[string, string]>): string {
  const pairs = Array.isArray(params) ? params : Object.entries(params);
  return pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
}

export function apiUrl(target: Target, call: string, query = '', algorithm: Algorithm = 'sha1'): string {
  const cs = checksum(call, query, target.secret, algorithm);
  return `${target.url}api/${call}?${query}${query ? '&' : ''}checksum=${cs}`;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
}

export async function fetchRaw(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export async function callApi(
  target: Target,
  call: string,
  params: Record<string, string> | Array<[string, string]> = {},
  algorithm: Algorithm = 'sha1',
): Promise<HttpResult> {
  return fetchRaw(apiUrl(target, call, encodeQuery(params), algorithm));
}

/** Text of the first `<name>` element (XML entities and CDATA undone), or undefined. */
export function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) return undefined;
  return unescapeXml(m[1]!);
}

export function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) =>
    unescapeXml(m[1]!),
  );
}

function unescapeXml(text: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(text);
  if (cdata) return cdata[1]!.split(']]]]><![CDATA[>').join(']]>');
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Names of the direct children of the first `<parent>` element, in document order. */
export function childNames(xml: string, parent = 'response'): string[] {
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g;
  const names: string[] = [];
  let depth = -1;
  for (const m of xml.matchAll(token)) {
    const [, closing, name, selfClosing] = m;
    if (!name) continue;
    if (depth < 0) {
      if (name === parent && !closing) depth = selfClosing ? -1 : 0;
      if (name === parent && selfClosing) return names;
      continue;
    }
    if (closing) {
      if (depth === 0) return names;
      depth--;
      continue;
    }
    if (depth === 0) names.push(name);
    if (!selfClosing) depth++;
  }
  return names;
}

export function outcome(xml: string): { returncode?: string; messageKey?: string; message?: string } {
  return { returncode: tag(xml, 'returncode'), messageKey: tag(xml, 'messageKey'), message: tag(xml, 'message') };
}
