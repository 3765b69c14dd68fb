// The spellings of the operators: comparison symbols and words (words case-insensitive), and the boolean ones.
//
// Apigee conditions reference, "Operators":
// https://cloud.google.com/apigee/docs/api-platform/reference/conditions-reference#operators
import type { Token } from './lexer.ts';

export type ComparisonOperator =
  | 'equals'
  | 'notEquals'
  | 'equalsCaseInsensitive'
  | 'greaterThan'
  | 'greaterThanOrEquals'
  | 'lesserThan'
  | 'lesserThanOrEquals'
  | 'matches'
  | 'javaRegex'
  | 'matchesPath'
  | 'startsWith';

const BY_SYMBOL: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['=', 'equals'],
  ['==', 'equals'],
  ['!=', 'notEquals'],
  [':=', 'equalsCaseInsensitive'],
  ['>', 'greaterThan'],
  ['>=', 'greaterThanOrEquals'],
  ['<', 'lesserThan'],
  ['<=', 'lesserThanOrEquals'],
  ['~', 'matches'],
  ['~~', 'javaRegex'],
  ['~/', 'matchesPath'],
  ['=|', 'startsWith'],
]);

/** Keyed in lower case. */
const BY_WORD: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['equals', 'equals'],
  ['is', 'equals'],
  ['notequals', 'notEquals'],
  ['isnot', 'notEquals'],
  ['equalscaseinsensitive', 'equalsCaseInsensitive'],
  ['greaterthan', 'greaterThan'],
  ['greaterthanorequals', 'greaterThanOrEquals'],
  ['lesserthan', 'lesserThan'],
  ['lesserthanorequals', 'lesserThanOrEquals'],
  ['matches', 'matches'],
  ['like', 'matches'],
  ['javaregex', 'javaRegex'],
  ['matchespath', 'matchesPath'],
  ['likepath', 'matchesPath'],
  ['startswith', 'startsWith'],
]);

export function comparisonOperator(token: Token): ComparisonOperator | undefined {
  if (token.kind === 'symbol') return BY_SYMBOL.get(token.source);
  if (token.kind === 'word') return BY_WORD.get(token.source.toLowerCase());
  return undefined;
}

const isWord = (token: Token, word: string): boolean => token.kind === 'word' && token.source.toLowerCase() === word;
const isSymbol = (token: Token, symbol: string): boolean => token.kind === 'symbol' && token.source === symbol;

export const isAnd = (token: Token): boolean => isWord(token, 'and') || isSymbol(token, '&&');
export const isOr = (token: Token): boolean => isWord(token, 'or') || isSymbol(token, '||');
export const isNot = (token: Token): boolean => isWord(token, 'not') || isSymbol(token, '!');

/**
 * The operator that gives the same answer with its operands swapped (`"GET" = request.verb` is
 * `request.verb = "GET"`; `400 < code` is `code > 400`); undefined for the pattern operators and StartsWith,
 * whose right side is the pattern or prefix.
 */
export function swapped(operator: ComparisonOperator): ComparisonOperator | undefined {
  switch (operator) {
    case 'equals':
    case 'notEquals':
    case 'equalsCaseInsensitive':
      return operator;
    case 'greaterThan':
      return 'lesserThan';
    case 'greaterThanOrEquals':
      return 'lesserThanOrEquals';
    case 'lesserThan':
      return 'greaterThan';
    case 'lesserThanOrEquals':
      return 'greaterThanOrEquals';
    default:
      return undefined;
  }
}
