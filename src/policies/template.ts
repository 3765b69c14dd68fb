// Apigee message templates (`Hello {request.header.name}`): compiled once into parts, rendered per message.
//
// A reference is prefix + variable name + suffix, `{` and `}` by default. Apigee's payloads may change the pair
// (`variablePrefix="@" variableSuffix="#"`) so that JSON can be written as is; even with the default pair,
// only a well-formed variable name between the delimiters is a reference, so `{"city": "{request.queryparam.q}"}`
// renders as JSON with one substitution: the braces of the JSON are text. There is no escape syntax (`{{` would
// clash with JSON such as `{"a":{}}`); text that would read as a reference needs another prefix/suffix pair.
// Values are substituted as they are (Apigee does not escape them either).
import { PolicyConfigError, type VariableValue } from './policy.ts';

/** What a template reads variables from: a FlowContext, or anything with `get`. */
export interface VariableReader {
  get(name: string): VariableValue;
}

export interface TemplateOptions {
  /** Opens a reference; default `{`. */
  readonly prefix?: string | undefined;
  /** Closes a reference; default `}`. */
  readonly suffix?: string | undefined;
  /**
   * Called with the name of a variable that is not set; the error it returns is thrown. Absent: an unset variable
   * renders as the empty string (Apigee `IgnoreUnresolvedVariables=true`).
   */
  readonly unresolved?: ((name: string) => Error) | undefined;
}

/** Apigee variable names: `request.header.X-Forwarded-For`, `flow.my_var`, `responsecache.cache-1.cachehit`. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Apigee template functions (`{escapeJSON(x)}`, `{firstnonnull(a,b)}`): refused at deploy, not rendered as text. */
const FUNCTION_CALL = /^[A-Za-z][A-Za-z0-9]*\(.*\)$/s;

type Part = string | { readonly variable: string };

export class Template {
  /** The text it was compiled from. */
  readonly source: string;
  /** The variables it reads, in order of appearance (repeats included). */
  readonly variables: readonly string[];
  readonly #parts: readonly Part[];
  readonly #unresolved: ((name: string) => Error) | undefined;

  constructor(source: string, parts: readonly Part[], unresolved: ((name: string) => Error) | undefined) {
    this.source = source;
    this.#parts = parts;
    this.#unresolved = unresolved;
    this.variables = parts.flatMap((p) => (typeof p === 'string' ? [] : [p.variable]));
  }

  /** True when the template has no references: it renders to its source. */
  get isStatic(): boolean {
    return this.variables.length === 0;
  }

  render(vars: VariableReader): string {
    const parts = this.#parts;
    // The common cases without a loop: plain text, or a single reference.
    if (parts.length === 1) {
      const only = parts[0] as Part;
      return typeof only === 'string' ? only : this.#value(vars, only.variable);
    }
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : this.#value(vars, part.variable);
    return out;
  }

  #value(vars: VariableReader, name: string): string {
    const value = vars.get(name);
    if (value === undefined) {
      if (this.#unresolved) throw this.#unresolved(name);
      return '';
    }
    return String(value);
  }
}

/** Parses a template once; throws PolicyConfigError for delimiters it cannot use or a template function. */
export function compileTemplate(source: string, options: TemplateOptions = {}): Template {
  const prefix = options.prefix ?? '{';
  const suffix = options.suffix ?? '}';
  if (prefix === '' || suffix === '') throw new PolicyConfigError('variablePrefix and variableSuffix must not be empty.');
  const parts: Part[] = [];
  let text = '';
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf(prefix, at);
    if (open === -1) break;
    const start = open + prefix.length;
    const close = source.indexOf(suffix, start);
    if (close === -1) break;
    const name = source.slice(start, close);
    if (VARIABLE_NAME.test(name)) {
      text += source.slice(at, open);
      if (text !== '') parts.push(text);
      text = '';
      parts.push({ variable: name });
      at = close + suffix.length;
      continue;
    }
    if (FUNCTION_CALL.test(name)) {
      throw new PolicyConfigError(`template function '${prefix}${name}${suffix}' is not supported; reference variables only, e.g. ${prefix}request.header.accept${suffix}.`);
    }
    // Not a reference (JSON's own braces, say): the prefix is text; look for the next one right after it.
    text += source.slice(at, start);
    at = start;
  }
  text += source.slice(at);
  if (text !== '' || parts.length === 0) parts.push(text);
  return new Template(source, parts, options.unresolved);
}
