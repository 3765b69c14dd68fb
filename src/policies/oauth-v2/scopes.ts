// Scopes as the oauth-v2 step grants them: a space-separated list, bounded by what the app's approved products allow.
import type { KeyRecord } from '../policy.ts';

/** The scopes of a space-separated string, each once. */
export const scopeList = (scope: string): string[] => (scope.trim() === '' ? [] : [...new Set(scope.trim().split(/\s+/))]);

/** Every scope the credential's approved products allow. */
export const productScopes = (key: KeyRecord): Set<string> => new Set(key.products.flatMap((p) => p.scopes));

/**
 * The scope a new grant gets (token endpoint and authorization endpoint alike). Apigee: no scope asked for = every
 * scope of the products; asked for = the ones the products allow (possibly none, which is not an error).
 */
export function grantScope(requested: string | null, allowed: ReadonlySet<string>): string {
  if (requested === null || requested.trim() === '') return [...allowed].join(' ');
  return scopeList(requested).filter((s) => allowed.has(s)).join(' ');
}
