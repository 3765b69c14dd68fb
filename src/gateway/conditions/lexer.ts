// Splits condition text into tokens (names, strings, numbers, operators, parentheses), each with its position.
import { ConditionError } from './condition-error.ts';

export type TokenKind = 'word' | 'string' | 'number' | 'symbol' | '(' | ')' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written. */
  readonly source: string;
  /** For a string, its content with `\"` and `\\` resolved; otherwise the source. */
  readonly value: string;
  readonly position: number;
}

/** Every operator written with symbols; comparison and boolean alike. */
const SYMBOLS: ReadonlySet<string> = new Set(['=', '==', '!=', ':=', '>', '>=', '<', '<=', '~', '~~', '~/', '=|', '&&', '||', '!']);
const SYMBOL_CHARS = '=!:<>~|&/';
/** The variable-name rule of message templates (../../policies/template.ts), so both read the same names. */
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_.-]/;
const DIGIT = /[0-9]/;
const WHITESPACE = /\s/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (WHITESPACE.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char, source: char, value: char, position: i });
      i++;
    } else if (char === '"') {
      i = readString(text, i, tokens);
    } else if (DIGIT.test(char) || (char === '-' && DIGIT.test(text[i + 1] ?? ''))) {
      i = readNumber(text, i, tokens);
    } else if (NAME_START.test(char)) {
      let end = i + 1;
      while (end < text.length && NAME_PART.test(text[end]!)) end++;
      const source = text.slice(i, end);
      tokens.push({ kind: 'word', source, value: source, position: i });
      i = end;
    } else if (SYMBOL_CHARS.includes(char)) {
      i = readSymbols(text, i, tokens);
    } else if (char === "'") {
      throw new ConditionError('Single quotes do not delimit strings; use double quotes', i, text);
    } else {
      throw new ConditionError(`Unexpected character '${char}'`, i, text);
    }
  }
  tokens.push({ kind: 'end', source: '', value: '', position: text.length });
  return tokens;
}

/** Apigee strings are double-quoted; `\"` and `\\` are the escapes. Any other backslash stays as written, so a
 * JavaRegex such as "\d+" needs no doubling. */
function readString(text: string, start: number, tokens: Token[]): number {
  let value = '';
  let chunk = start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text.slice(chunk, i) + text[i + 1]!;
      chunk = i + 2;
      i++;
    } else if (char === '"') {
      value += text.slice(chunk, i);
      tokens.push({ kind: 'string', source: text.slice(start, i + 1), value, position: start });
      return i + 1;
    }
  }
  throw new ConditionError('Unterminated string', start, text);
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  let end = start + 1;
  while (end < text.length && DIGIT.test(text[end]!)) end++;
  if (text[end] === '.' && DIGIT.test(text[end + 1] ?? '')) {
    end += 2;
    while (end < text.length && DIGIT.test(text[end]!)) end++;
  }
  if (end < text.length && NAME_PART.test(text[end]!)) {
    let wordEnd = end;
    while (wordEnd < text.length && NAME_PART.test(text[wordEnd]!)) wordEnd++;
    const source = text.slice(start, wordEnd);
    throw new ConditionError(`'${source}' is neither a number nor a variable name (names start with a letter or _)`, start, text);
  }
  const source = text.slice(start, end);
  tokens.push({ kind: 'number', source, value: source, position: start });
  return end;
}

/** Symbols may touch (`a!="b"`, `x&&!y`): a run of symbol characters is one operator, or one followed by `!`s. */
function readSymbols(text: string, start: number, tokens: Token[]): number {
  let end = start;
  while (end < text.length && SYMBOL_CHARS.includes(text[end]!)) end++;
  const run = text.slice(start, end);
  const parts = splitSymbols(run);
  if (!parts) throw new ConditionError(`Unknown operator '${run}'`, start, text);
  let position = start;
  for (const part of parts) {
    tokens.push({ kind: 'symbol', source: part, value: part, position });
    position += part.length;
  }
  return end;
}

function splitSymbols(run: string): string[] | undefined {
  if (SYMBOLS.has(run)) return [run];
  for (let cut = Math.min(2, run.length - 1); cut >= 1; cut--) {
    const head = run.slice(0, cut);
    const rest = run.slice(cut);
    if (SYMBOLS.has(head) && /^!+$/.test(rest)) return [head, ...rest];
  }
  return undefined;
}
