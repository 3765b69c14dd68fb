// The routing table: deployed APIs by base path, longest match first, on whole path segments. Immutable: a
// deploy builds a new table and swaps it in, so a request keeps the API it matched until it is done.
import type { CompiledApi } from './compile.ts';

export interface Route {
  api: CompiledApi;
  /** The path after the base path: '' or starting with '/'. */
  pathSuffix: string;
}

export class RoutingTable {
  readonly #byBasePath: ReadonlyMap<string, CompiledApi>;

  constructor(apis: Iterable<CompiledApi>) {
    this.#byBasePath = new Map([...apis].map((api) => [api.identity.basePath, api]));
  }

  get size(): number {
    return this.#byBasePath.size;
  }

  /** The APIs served, by base path. */
  get apis(): CompiledApi[] {
    return [...this.#byBasePath.values()].sort((a, b) => (a.identity.basePath < b.identity.basePath ? -1 : a.identity.basePath > b.identity.basePath ? 1 : 0));
  }

  /** The API whose base path is the longest prefix of `path` ending at a segment boundary. */
  match(path: string): Route | undefined {
    const found = longestBasePath(path, this.#byBasePath);
    if (!found) return undefined;
    const { value: api, end } = found;
    return { api, pathSuffix: end === 0 && api.identity.basePath === '/' ? path : path.slice(end) };
  }
}

/**
 * The entry whose key (a base path) is the longest prefix of `path` ending at a segment boundary, and where it ends:
 * how the gateway routes, for anyone who must know which API a path reaches (the hub's try-it console).
 */
export function longestBasePath<T>(path: string, byBasePath: ReadonlyMap<string, T>): { value: T; basePath: string; end: number } | undefined {
  let end = path.length;
  // Try the whole path, then each shorter prefix that ends before a '/': O(segments) map look-ups.
  for (;;) {
    const basePath = end === 0 ? '/' : path.slice(0, end);
    const value = byBasePath.get(basePath);
    if (value !== undefined) return { value, basePath, end };
    if (end === 0) return undefined;
    end = path.lastIndexOf('/', end - 1);
    if (end < 0) return undefined;
  }
}
