// Flow values as conditions see them: their text, their number (Apigee's numeric adaptation) and truthiness.

/** Reads a flow variable by name; undefined = the variable is not set (null in Apigee terms). */
export type VariableReader = (name: string) => string | number | boolean | undefined;

/** The value of a variable that is set. */
export type FlowValue = string | number | boolean;

/** A right-hand side made ready to compare against: kept, not rebuilt, when it is a literal. */
export interface Prepared {
  text: string;
  /** NaN when the text is not a number. */
  number: number;
  /** `text` in lower case, computed on first use. */
  lower: string | undefined;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;

/** Booleans read as "true"/"false", numbers as JavaScript writes them. */
export function asText(value: FlowValue): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * The value as a number when it is one, else NaN. Apigee's numeric adaptation: `response.status.code = "404"`
 * is `response.status.code = 404`. Only plain decimal text counts: not "", " 1", "0x10" or "Infinity", which
 * JavaScript's Number() would all accept.
 */
export function asNumber(value: FlowValue): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'boolean') return NaN;
  const first = value.charCodeAt(0);
  // Most values (verbs, paths, header text) fail on the first character, before any regular expression runs.
  if (!((first >= DIGIT_0 && first <= DIGIT_9) || first === PLUS || first === MINUS || first === DOT)) return NaN;
  if (!NUMBER.test(value)) return NaN;
  const number = Number(value);
  if (!Number.isFinite(number)) return NaN;
  // Integers past 2^53 lose digits, and two different account numbers would compare equal: compare those as text.
  if (Math.abs(number) > Number.MAX_SAFE_INTEGER && INTEGER.test(value)) return NaN;
  return number;
}

export function prepare(value: FlowValue, into: Prepared = { text: '', number: NaN, lower: undefined }): Prepared {
  into.text = asText(value);
  into.number = asNumber(value);
  into.lower = undefined;
  return into;
}

/**
 * A variable on its own (`request.header.x-debug`) is true when it is set and is not false: not the boolean
 * false, not 0, not "", "0" or "false" (any case). Apigee reads a bare name as "is set"; refusing the falsy texts
 * as well lets `oauthV2.VerifyToken.failed` read as the flag it is.
 */
export function truthy(value: FlowValue | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value !== '' && value !== '0' && !(value.length === 5 && value.toLowerCase() === 'false');
}
