// Header helpers shared by the policies that write messages (assign-message, raise-fault, cors, response-cache).
import { PolicyConfigError, type Headers } from '../policy.ts';

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Lower-cases a configured header name; throws PolicyConfigError when it is not an RFC 9110 token. */
export function headerName(name: string, where: string): string {
  if (!TOKEN.test(name)) throw new PolicyConfigError(`${where}: '${name}' is not a valid header name (RFC 9110 §5.1).`);
  return name.toLowerCase();
}

/** RFC 9110 §5.5: CR, LF and NUL in a field value are replaced with SP, so a variable cannot inject a header. */
export function fieldValue(value: string): string {
  return /[\r\n\0]/.test(value) ? value.replace(/[\r\n\0]/g, ' ') : value;
}

/** Appends a value to a header, keeping the values it has (Apigee `<Add><Headers>`). */
export function appendHeader(headers: Headers, name: string, value: string): void {
  const current = headers[name];
  headers[name] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
}

/** Adds tokens to a comma-separated list header (Vary) unless present, case-insensitively. */
export function addToList(headers: Headers, name: string, tokens: readonly string[]): void {
  const current = headers[name];
  const text = Array.isArray(current) ? current.join(', ') : (current ?? '');
  const present = new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
  if (present.has('*')) return;
  const missing = tokens.filter((t) => !present.has(t.toLowerCase()));
  if (missing.length === 0) return;
  headers[name] = text.trim() === '' ? missing.join(', ') : `${text}, ${missing.join(', ')}`;
}

/** The framing headers the gateway owns: removing every header keeps these. */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding']);
