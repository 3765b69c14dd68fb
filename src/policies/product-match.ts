// Whether a product covers a call: the API, and (when narrowed) the path suffix and method (apigee-model.md §1.6).
import type { ProductGrant } from './policy.ts';

/**
 * Resource patterns on `proxy.pathsuffix`: `/` = the base path and everything below it; `*` = exactly one
 * segment; `**` = any number of segments, none included; anything else matches literally. The base path itself
 * (suffix '') reads as '/'.
 */
export function resourceMatches(pattern: string, pathSuffix: string): boolean {
  if (pattern === '/') return true;
  const path = (pathSuffix === '' ? '/' : pathSuffix).split('/').slice(1);
  const want = pattern.split('/').slice(1);
  const match = (p: number, s: number): boolean => {
    if (p === want.length) return s === path.length;
    const part = want[p];
    if (part === '**') {
      for (let k = s; k <= path.length; k++) if (match(p + 1, k)) return true;
      return false;
    }
    if (s === path.length) return false;
    return (part === '*' && path[s] !== '') || part === path[s] ? match(p + 1, s + 1) : false;
  };
  return match(0, 0);
}

export function productCovers(product: ProductGrant, api: string, pathSuffix: string, method: string): boolean {
  const resources = product.apis.get(api);
  if (resources === undefined) return product.apis.has(api);
  // Loops, not some(): this runs on every call a security step lets through, and a closure per call adds up.
  for (const r of resources) {
    if (resourceMatches(r.path, pathSuffix) && (!r.methods || r.methods.length === 0 || r.methods.includes(method))) return true;
  }
  return resources.length === 0;
}

/** The first product that covers the call, in the order given. */
export function coveringProduct(products: readonly ProductGrant[], api: string, pathSuffix: string, method: string): ProductGrant | undefined {
  for (const product of products) {
    if (productCovers(product, api, pathSuffix, method)) return product;
  }
  return undefined;
}
