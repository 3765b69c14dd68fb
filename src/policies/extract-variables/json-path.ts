// A small JSONPath subset for extract-variables: `$.a.b`, `$.a[0].b`, `$['a b']`, `$.a[*].b`, `$.a.*`.
// No recursive descent (`..`), filters, slices or unions: a path that uses them fails the deploy.
import { PolicyConfigError } from '../policy.ts';

type Segment = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

export interface JsonPath {
  readonly source: string;
  /** True when the path has a wildcard: its result is the list of every match. */
  readonly many: boolean;
  /** The matches; one at most without a wildcard. */
  select(root: unknown): unknown[];
}

export function compileJsonPath(source: string, where: string): JsonPath {
  const fail = (why: string): never => {
    throw new PolicyConfigError(`${where}: '${source}' ${why}; supported: $.a.b, $.a[0], $['a b'], $.a[*], $.a.*`);
  };
  if (!source.startsWith('$')) fail('does not start with $');
  const segments: Segment[] = [];
  let at = 1;
  while (at < source.length) {
    const c = source[at];
    if (c === '.') {
      if (source[at + 1] === '.') fail('uses recursive descent (..)');
      if (source[at + 1] === '*') {
        segments.push({ wildcard: true });
        at += 2;
        continue;
      }
      const m = /^[^.[\]\s'"*]+/.exec(source.slice(at + 1));
      if (!m) fail(`has an empty name at ${at}`);
      segments.push({ key: (m as RegExpExecArray)[0] });
      at += 1 + (m as RegExpExecArray)[0].length;
    } else if (c === '[') {
      const close = source.indexOf(']', at);
      if (close === -1) fail('has an unclosed [');
      const inner = source.slice(at + 1, close).trim();
      if (inner === '*') segments.push({ wildcard: true });
      else if (/^[0-9]+$/.test(inner)) segments.push({ index: Number(inner) });
      else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner)) segments.push({ key: inner.slice(1, -1) });
      else fail(`has an unsupported selector [${inner}]`);
      at = close + 1;
    } else {
      fail(`has an unexpected '${c}' at ${at}`);
    }
  }
  const many = segments.some((s) => 'wildcard' in s);
  return {
    source,
    many,
    select(root) {
      let current: unknown[] = [root];
      for (const segment of segments) {
        const next: unknown[] = [];
        for (const node of current) {
          if (typeof node !== 'object' || node === null) continue;
          if ('wildcard' in segment) next.push(...(Array.isArray(node) ? node : Object.values(node)));
          else if ('index' in segment) {
            if (Array.isArray(node) && segment.index < node.length) next.push(node[segment.index]);
          } else if (!Array.isArray(node) && Object.hasOwn(node, segment.key)) next.push((node as Record<string, unknown>)[segment.key]);
        }
        current = next;
        if (current.length === 0) break;
      }
      return current;
    },
  };
}
