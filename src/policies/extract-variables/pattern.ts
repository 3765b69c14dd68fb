// Extraction patterns (`/forecast/{city}`, `Bearer {token}`): compiled once into a regular expression.
import { PolicyConfigError } from '../policy.ts';

export interface Pattern {
  readonly source: string;
  readonly variables: readonly string[];
  /** The captured values by variable name, or undefined when the text does not match. */
  match(text: string): Record<string, string> | undefined;
}

const REFERENCE = /\{([^{}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A text pattern: literal text with `{name}` captures of at least one character; the whole text must match.
 * For a URI path (`path: true`) a capture is one segment, `*` matches one segment, `**` any number of segments, a
 * trailing slash is optional, and captures are percent-decoded.
 */
export function compilePattern(source: string, options: { path?: boolean; ignoreCase?: boolean }, where: string): Pattern {
  const variables: string[] = [];
  let regex = '';
  let at = 0;
  const literal = (text: string) => (options.path ? text.split(/(\*\*|\*)/).map((part, i) => (i % 2 === 0 ? escape(part) : part === '**' ? '.*' : '[^/]+')).join('') : escape(text));
  for (const found of source.matchAll(REFERENCE)) {
    const name = found[1] ?? '';
    if (!NAME.test(name)) throw new PolicyConfigError(`${where}: '{${name}}' in '${source}' is not a variable name (letters, digits, _ and -).`);
    if (variables.includes(name)) throw new PolicyConfigError(`${where}: '${source}' captures {${name}} twice.`);
    variables.push(name);
    regex += literal(source.slice(at, found.index));
    regex += options.path ? '([^/]+)' : '(.+?)';
    at = found.index + found[0].length;
  }
  regex += literal(source.slice(at));
  if (variables.length === 0) throw new PolicyConfigError(`${where}: '${source}' captures nothing; write {name} where the value is.`);
  if (options.path && regex.endsWith('/')) regex = regex.slice(0, -1);
  const compiled = new RegExp(`^${regex}${options.path ? '/?' : ''}$`, options.ignoreCase ? 'is' : 's');
  return {
    source,
    variables,
    match(text) {
      const m = compiled.exec(text);
      if (!m) return undefined;
      const out: Record<string, string> = {};
      variables.forEach((name, i) => {
        const value = m[i + 1] ?? '';
        out[name] = options.path ? decodeSegment(value) : value;
      });
      return out;
    },
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
