/** Decoding of query strings and form bodies, as a servlet container does it: `+` is a space, escapes are UTF-8. */

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape must not crash the simulator; keep what cannot be decoded literally.
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

export type ParamList = Array<[string, string]>;

export function parseParamList(raw: string): ParamList {
  const out: ParamList = [];
  if (raw === '') return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    out.push([name, value]);
  }
  return out;
}

/** `getParameter` semantics: the first value of a repeated name wins. */
export function firstValues(list: ParamList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of list) {
    if (Object.prototype.hasOwnProperty.call(out, name)) continue;
    // defineProperty, because a parameter named `__proto__` must stay a plain entry.
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Form encoding as Scalelite's `URI.encode_www_form` does it, used when the simulated load balancer re-signs a join. */
export function encodeForm(params: ParamList): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, '+')).join('&');
}

// The simulator models BBB on its own (bbb-api.md), so it keeps BBB's meta rule here rather than importing the gateway's.
const META_PARAM = /^meta_[a-zA-Z][a-zA-Z0-9-]*$/;

/** `meta_*` parameters as BBB reads them: valid names only, lowercased (for 0.81 compatibility, says BBB), in order. */
export function metaParams(paramList: ParamList): ParamList {
  return paramList
    .filter(([name]) => META_PARAM.test(name))
    .map(([name, value]) => [name.slice(5).toLowerCase(), value]);
}
