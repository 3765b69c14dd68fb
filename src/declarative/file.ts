// Reads a declarative file: YAML (or JSON), `${VAR}` from the environment, checked against the schema.
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parseDocument } from 'yaml';
import { GatehouseError } from '../errors.ts';
import { DesiredState } from './schema.ts';

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of the document; `$$` stands for `$`.
 * Works on parsed values, so a variable's text can never change the document's structure.
 */
export function interpolate(value: unknown, env: Record<string, string | undefined>, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (match: string, name: string | undefined, fallback: string | undefined) => {
      if (match === '$$') return '$';
      const found = env[name as string];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      missing.add(name as string);
      return match;
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env, missing));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, missing)]));
  }
  return value;
}

function pointerOf(path: string): string {
  return path || '/';
}

export function parseDesiredState(text: string, env: Record<string, string | undefined>, fileName = 'the file'): DesiredState {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new GatehouseError('apply.invalid_file', `${fileName} is not valid YAML: ${first?.message ?? 'parse error'}`);
  }
  const raw: unknown = document.toJS() ?? {};
  const missing = new Set<string>();
  const value = interpolate(raw, env, missing);
  if (missing.size > 0) {
    const names = [...missing].sort();
    throw new GatehouseError('apply.unset_variable', `${fileName} uses ${names.map((n) => `\${${n}}`).join(', ')}, but the environment does not set ${names.length === 1 ? 'it' : 'them'}.`, {
      details: { variables: names },
    });
  }
  if (!Value.Check(DesiredState, value)) {
    const errors = [...Value.Errors(DesiredState, value)];
    // Unions report every branch; the deepest path is usually the real culprit.
    errors.sort((a, b) => b.path.length - a.path.length);
    const first = errors[0];
    const where = first ? pointerOf(first.path) : '/';
    throw new GatehouseError('apply.invalid_file', `${fileName}: ${where} ${first ? describeError(first) : 'is not valid'}.`, {
      details: { errors: errors.slice(0, 10).map((e) => ({ path: pointerOf(e.path), message: describeError(e) })) },
    });
  }
  checkUnique(value);
  return value;
}

function describeError(error: { message: string; schema: { description?: string; pattern?: string }; type: number; value: unknown }): string {
  if (error.schema.pattern && error.schema.description) return `is not valid: ${error.schema.description}`;
  if (error.message.startsWith('Unexpected property')) return 'is not a known field';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

function checkUnique(state: DesiredState): void {
  const seen = (kind: string, names: string[]) => {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new GatehouseError('apply.invalid_file', `${kind} '${dup}' appears twice in the file.`);
  };
  seen('API', (state.apis ?? []).map((a) => a.name));
  seen('Product', (state.products ?? []).map((p) => p.name));
  seen('Key value map', (state.keyValueMaps ?? []).map((m) => (m.api ? `${m.name}' of API '${m.api}` : m.name)));
  seen('Developer', (state.developers ?? []).map((d) => d.email));
  for (const developer of state.developers ?? []) seen(`App of ${developer.email}`, (developer.apps ?? []).map((a) => a.name));
}

export function readDesiredState(path: string, env: Record<string, string | undefined>): DesiredState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GatehouseError('apply.invalid_file', `Cannot read ${path}: ${(error as Error).message}`);
  }
  return parseDesiredState(text, env, path);
}
