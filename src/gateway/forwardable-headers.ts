// Which headers cross the gateway, either way: RFC 9110's hop-by-hop fields stay on their hop, and Gatehouse's own
// session cookies never reach a target nor come back from one.
import type { Headers } from '../policies/policy.ts';

/**
 * RFC 9110 §7.6.1: connection-specific headers are not forwarded, nor those the Connection header names. `host` is
 * the target's own; `expect` was answered by this hop (Node sent 100 Continue) and undici refuses to send it.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect']);

/**
 * Gatehouse's own session cookies (console, hub) never cross the gateway: browsers send a host's cookies to every port,
 * so a backend behind the gateway on the same host would otherwise receive developers' hub sessions, and a backend's
 * Set-Cookie could plant one. Cookies of the backend's own pass untouched.
 */
const OWN_COOKIE = /^\s*gatehouse_(console|hub)\s*=/i;

function withoutOwnCookies(value: string | string[]): string | undefined {
  const kept = (Array.isArray(value) ? value.join('; ') : value)
    .split(';')
    .filter((pair) => pair.trim() !== '' && !OWN_COOKIE.test(pair))
    .map((pair) => pair.trim());
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function withoutOwnSetCookies(value: string | string[]): string[] | undefined {
  const kept = (Array.isArray(value) ? value : [value]).filter((cookie) => !OWN_COOKIE.test(cookie));
  return kept.length > 0 ? kept : undefined;
}

/** Header names a Connection header lists (beyond the usual keep-alive / close, which are hop-by-hop anyway). */
function connectionListed(named: string | string[] | undefined): Set<string> | undefined {
  // Nearly every message says just keep-alive or close (targets on every answer): no split, no arrays.
  if (named === undefined || named === 'keep-alive' || named === 'close') return undefined;
  const names = (Array.isArray(named) ? named.join(',') : named)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && !HOP_BY_HOP.has(h));
  return names.length > 0 ? new Set(names) : undefined;
}

export function forwardableHeaders(headers: Headers): Record<string, string | string[]> {
  // Called twice per proxied call: a plain loop, and no Set unless Connection names extra headers.
  const listed = connectionListed(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    if (name === 'cookie' || name === 'set-cookie') {
      const kept = name === 'cookie' ? withoutOwnCookies(value) : withoutOwnSetCookies(value);
      if (kept !== undefined) out[name] = kept;
      continue;
    }
    out[name] = value;
  }
  return out;
}
