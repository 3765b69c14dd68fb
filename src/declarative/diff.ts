// Field-level differences between the current and the desired spec, in words for the plan.
import { jsonEqual } from '../manage/equal.ts';

const MAX_SHOWN = 60;

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Lists what changes from `current` to `desired`: `path: old → new`, descending into objects. */
export function describeChanges(current: unknown, desired: unknown, path = ''): string[] {
  if (jsonEqual(current, desired)) return [];
  if (isObject(current) && isObject(desired)) {
    const keys = [...new Set([...Object.keys(current), ...Object.keys(desired)])].sort();
    return keys.flatMap((key) => describeChanges(current[key], desired[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(current) && Array.isArray(desired) && current.length === desired.length) {
    return current.flatMap((item, i) => describeChanges(item, desired[i], `${path}[${i}]`));
  }
  return [`${path || '(whole)'}: ${show(current)} → ${show(desired)}`];
}

/** Keeps only the members a spec schema defines, dropping server-side fields (revision, timestamps, ...). */
export function pickSpec(view: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (view[key] !== undefined) out[key] = view[key];
  return out;
}
