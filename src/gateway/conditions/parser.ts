// Parses condition tokens into an expression tree; precedence as in Java: not, then and, then or.
import { ConditionError } from './condition-error.ts';
import { tokenize, type Token } from './lexer.ts';
import { comparisonOperator, isAnd, isNot, isOr, type ComparisonOperator } from './operators.ts';

export type Operand =
  | { readonly kind: 'variable'; readonly name: string; readonly position: number }
  /** A quoted string, an unquoted number (as written) or `true`/`false` (as "true"/"false"). */
  | { readonly kind: 'literal'; readonly value: string; readonly position: number }
  | { readonly kind: 'null'; readonly position: number };

export type Expression =
  | { readonly kind: 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'and'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression }
  | { readonly kind: 'comparison'; readonly operator: ComparisonOperator; readonly left: Operand; readonly right: Operand }
  /** An operand on its own, e.g. `request.header.x-debug`. */
  | { readonly kind: 'operand'; readonly operand: Operand };

export function parseCondition(text: string): Expression {
  return new Parser(text).parse();
}

/** How a token reads in a message: strings as written, everything else in single quotes. */
function describe(token: Token): string {
  if (token.kind === 'end') return 'the end';
  return token.kind === 'string' ? token.source : `'${token.source}'`;
}

class Parser {
  readonly #text: string;
  readonly #tokens: Token[];
  #index = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parse(): Expression {
    if (this.#peek().kind === 'end') {
      throw this.#error('Empty condition', 0);
    }
    const expression = this.#or();
    const next = this.#peek();
    if (next.kind === ')') throw this.#error("Unexpected ')'", next.position);
    if (next.kind !== 'end') throw this.#error(`Expected 'and', 'or' or the end, found ${describe(next)}`, next.position);
    return expression;
  }

  #or(): Expression {
    let left = this.#and();
    while (isOr(this.#peek())) {
      this.#index++;
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Expression {
    let left = this.#unary();
    while (isAnd(this.#peek())) {
      this.#index++;
      left = { kind: 'and', left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Expression {
    if (isNot(this.#peek())) {
      this.#index++;
      return { kind: 'not', operand: this.#unary() };
    }
    return this.#comparison();
  }

  #comparison(): Expression {
    const open = this.#peek();
    if (open.kind === '(') {
      this.#index++;
      const inner = this.#or();
      const close = this.#peek();
      if (close.kind === 'end') throw this.#error("Unbalanced parentheses: '(' is never closed", open.position);
      if (close.kind !== ')') throw this.#error(`Expected 'and', 'or' or ')', found ${describe(close)}`, close.position);
      this.#index++;
      return inner;
    }
    const left = this.#operand();
    const next = this.#peek();
    const operator = comparisonOperator(next);
    if (operator) {
      this.#index++;
      return { kind: 'comparison', operator, left, right: this.#operand() };
    }
    if (next.kind === 'word' && !isAnd(next) && !isOr(next)) throw this.#error(`Unknown operator '${next.source}'`, next.position);
    if (next.kind === 'string' || next.kind === 'number' || next.kind === '(') {
      throw this.#error(`Missing operator before ${describe(next)}`, next.position);
    }
    return { kind: 'operand', operand: left };
  }

  #operand(): Operand {
    const token = this.#peek();
    const { position } = token;
    if (token.kind === 'string' || token.kind === 'number') {
      this.#index++;
      return { kind: 'literal', value: token.value, position };
    }
    if (token.kind === 'word' && !isAnd(token) && !isOr(token) && !isNot(token)) {
      this.#index++;
      const word = token.source.toLowerCase();
      if (word === 'null') return { kind: 'null', position };
      if (word === 'true' || word === 'false') return { kind: 'literal', value: word, position };
      return { kind: 'variable', name: token.source, position };
    }
    const previous = this.#tokens[this.#index - 1];
    if (previous) throw this.#error(`Missing operand after ${describe(previous)}`, position);
    if (token.kind === 'end') throw this.#error('Missing operand', position);
    if (token.kind === ')') throw this.#error("Unexpected ')'", position);
    throw this.#error(`Missing operand before ${describe(token)}`, position);
  }

  #peek(): Token {
    return this.#tokens[this.#index]!;
  }

  #error(problem: string, position: number): ConditionError {
    return new ConditionError(problem, position, this.#text);
  }
}
