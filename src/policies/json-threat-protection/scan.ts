// A single-pass JSON scanner (RFC 8259) that checks structure limits without building the value: no recursion (an
// explicit stack), no allocation per value, and it stops at the first violation or syntax error. Hostile input
// (a 10 MiB string, nesting 100 000 deep, a million keys) costs one look at each byte up to the point it breaks a rule.

export interface JsonLimits {
  /** Most elements in one array. */
  readonly arrayElementCount: number;
  /** Most nested containers; a top-level object or array is depth 1. */
  readonly containerDepth: number;
  /** Most entries in one object. */
  readonly objectEntryCount: number;
  /** Longest entry name, in characters. */
  readonly objectEntryNameLength: number;
  /** Longest string value, in characters. */
  readonly stringValueLength: number;
}

export type LimitName = keyof JsonLimits;

export type ScanResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'exceeded'; readonly limit: LimitName; readonly max: number; readonly position: number }
  | { readonly ok: false; readonly kind: 'malformed'; readonly reason: string; readonly position: number };

const EXPECT_VALUE = 0;
const EXPECT_VALUE_OR_END_ARRAY = 1;
const EXPECT_KEY = 2;
const EXPECT_KEY_OR_END_OBJECT = 3;
const EXPECT_COLON = 4;
const AFTER_VALUE = 5;

const ARRAY = 0;
const OBJECT = 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/** Thrown inside the scanner to unwind to scanJson with a result; never escapes it. */
class Stop {
  readonly result: ScanResult;
  constructor(result: ScanResult) {
    this.result = result;
  }
}

const malformed = (reason: string, position: number) => new Stop({ ok: false, kind: 'malformed', reason, position });

export function scanJson(bytes: Uint8Array, limits: JsonLimits): ScanResult {
  const n = bytes.length;
  let i = 0;
  // RFC 8259 §8.1: a parser may ignore a byte order mark.
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const kinds: number[] = [];
  const counts: number[] = [];
  let state = EXPECT_VALUE;

  const exceeded = (limit: LimitName, position: number) => new Stop({ ok: false, kind: 'exceeded', limit, max: limits[limit], position });

  /** Scans a string from its opening quote; returns the index after the closing quote. */
  function scanString(start: number, limit: LimitName): number {
    const max = limits[limit];
    let j = start + 1;
    let length = 0;
    for (;;) {
      if (j >= n) throw malformed('unterminated string', start);
      const b = bytes[j] as number;
      if (b === QUOTE) return j + 1;
      if (b === BACKSLASH) {
        const e = bytes[j + 1];
        if (e === 0x75) {
          // \uXXXX
          if (!(isHex(bytes[j + 2]) && isHex(bytes[j + 3]) && isHex(bytes[j + 4]) && isHex(bytes[j + 5]))) throw malformed('bad \\u escape', j);
          j += 6;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j += 2;
        } else {
          throw malformed('bad escape', j);
        }
        length++;
      } else {
        if (b < 0x20) throw malformed('control character in string', j);
        // Count characters, not bytes: UTF-8 continuation bytes (10xxxxxx) do not start one.
        if ((b & 0xc0) !== 0x80) length++;
        j++;
      }
      if (length > max) throw exceeded(limit, start);
    }
  }

  function scanNumber(start: number): number {
    let j = start;
    if (bytes[j] === 0x2d) j++;
    if (bytes[j] === 0x30) j++;
    else if (isDigit(bytes[j])) while (isDigit(bytes[j])) j++;
    else throw malformed('bad number', start);
    if (bytes[j] === 0x2e) {
      j++;
      if (!isDigit(bytes[j])) throw malformed('bad number', start);
      while (isDigit(bytes[j])) j++;
    }
    if (bytes[j] === 0x65 || bytes[j] === 0x45) {
      j++;
      if (bytes[j] === 0x2b || bytes[j] === 0x2d) j++;
      if (!isDigit(bytes[j])) throw malformed('bad number', start);
      while (isDigit(bytes[j])) j++;
    }
    return j;
  }

  function scanLiteral(start: number, word: string): number {
    for (let k = 0; k < word.length; k++) if (bytes[start + k] !== word.charCodeAt(k)) throw malformed('unexpected token', start);
    return start + word.length;
  }

  function open(kind: number, position: number): void {
    kinds.push(kind);
    counts.push(0);
    if (kinds.length > limits.containerDepth) throw exceeded('containerDepth', position);
  }

  function close(): void {
    kinds.pop();
    counts.pop();
  }

  try {
    for (;;) {
      while (i < n && isWhitespace(bytes[i] as number)) i++;
      if (i >= n) break;
      const c = bytes[i] as number;
      const top = kinds.length - 1;
      switch (state) {
        case EXPECT_VALUE_OR_END_ARRAY:
        case EXPECT_VALUE: {
          if (state === EXPECT_VALUE_OR_END_ARRAY && c === 0x5d) {
            close();
            i++;
            state = AFTER_VALUE;
            break;
          }
          if (top >= 0 && kinds[top] === ARRAY) {
            const count = (counts[top] as number) + 1;
            counts[top] = count;
            if (count > limits.arrayElementCount) throw exceeded('arrayElementCount', i);
          }
          if (c === 0x7b) {
            open(OBJECT, i);
            i++;
            state = EXPECT_KEY_OR_END_OBJECT;
          } else if (c === 0x5b) {
            open(ARRAY, i);
            i++;
            state = EXPECT_VALUE_OR_END_ARRAY;
          } else {
            if (c === QUOTE) i = scanString(i, 'stringValueLength');
            else if (c === 0x2d || isDigit(c)) i = scanNumber(i);
            else if (c === 0x74) i = scanLiteral(i, 'true');
            else if (c === 0x66) i = scanLiteral(i, 'false');
            else if (c === 0x6e) i = scanLiteral(i, 'null');
            else throw malformed('unexpected character', i);
            state = AFTER_VALUE;
          }
          break;
        }
        case EXPECT_KEY_OR_END_OBJECT:
        case EXPECT_KEY: {
          if (state === EXPECT_KEY_OR_END_OBJECT && c === 0x7d) {
            close();
            i++;
            state = AFTER_VALUE;
            break;
          }
          if (c !== QUOTE) throw malformed('expected a quoted name', i);
          const count = (counts[top] as number) + 1;
          counts[top] = count;
          if (count > limits.objectEntryCount) throw exceeded('objectEntryCount', i);
          i = scanString(i, 'objectEntryNameLength');
          state = EXPECT_COLON;
          break;
        }
        case EXPECT_COLON:
          if (c !== 0x3a) throw malformed('expected :', i);
          i++;
          state = EXPECT_VALUE;
          break;
        default: {
          // AFTER_VALUE
          if (top < 0) throw malformed('unexpected data after the value', i);
          const kind = kinds[top];
          if (c === 0x2c) {
            i++;
            state = kind === ARRAY ? EXPECT_VALUE : EXPECT_KEY;
          } else if ((c === 0x5d && kind === ARRAY) || (c === 0x7d && kind === OBJECT)) {
            close();
            i++;
          } else {
            throw malformed(kind === ARRAY ? 'expected , or ]' : 'expected , or }', i);
          }
        }
      }
    }
  } catch (error) {
    if (error instanceof Stop) return error.result;
    throw error;
  }
  if (state !== AFTER_VALUE || kinds.length > 0) return { ok: false, kind: 'malformed', reason: 'unexpected end of input', position: n };
  return { ok: true };
}
