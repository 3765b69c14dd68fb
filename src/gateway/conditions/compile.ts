// Turns a parsed condition into nested closures over the flow variables; all the parsing work is done by then.
import { literalTest, pairTest, type ValueTest } from './comparisons.ts';
import { ConditionError } from './condition-error.ts';
import { swapped, type ComparisonOperator } from './operators.ts';
import type { Expression, Operand } from './parser.ts';
import { truthy, type VariableReader } from './values.ts';

export type Condition = (read: VariableReader) => boolean;

const alwaysTrue: Condition = function conditionTrue() {
  return true;
};
const alwaysFalse: Condition = function conditionFalse() {
  return false;
};
const constant = (value: boolean): Condition => (value ? alwaysTrue : alwaysFalse);

/** `text` is the condition as written, for errors that point into it. */
export function compileExpression(expression: Expression, text: string): Condition {
  switch (expression.kind) {
    case 'or': {
      const left = compileExpression(expression.left, text);
      const right = compileExpression(expression.right, text);
      return function conditionOr(read) {
        return left(read) || right(read);
      };
    }
    case 'and': {
      const left = compileExpression(expression.left, text);
      const right = compileExpression(expression.right, text);
      return function conditionAnd(read) {
        return left(read) && right(read);
      };
    }
    case 'not': {
      const operand = compileExpression(expression.operand, text);
      return function conditionNot(read) {
        return !operand(read);
      };
    }
    case 'operand':
      return compileBare(expression.operand);
    case 'comparison':
      return compileComparison(expression.operator, expression.left, expression.right, text);
  }
}

function compileBare(operand: Operand): Condition {
  if (operand.kind === 'null') return alwaysFalse;
  if (operand.kind === 'literal') return constant(truthy(operand.value));
  const { name } = operand;
  return function conditionVariable(read) {
    return truthy(read(name));
  };
}

function compileComparison(operator: ComparisonOperator, left: Operand, right: Operand, text: string): Condition {
  // `"GET" = request.verb` is `request.verb = "GET"`: the variable goes left, so it takes the fast path below.
  const turned = swapped(operator);
  if (turned && left.kind !== 'variable' && right.kind === 'variable') return compileComparison(turned, right, left, text);
  if (left.kind === 'null' || right.kind === 'null') return compileNull(operator, left.kind === 'null' ? right : left);

  // Apigee's null rules: with an unset operand every comparison is false, except `!=`, which is true.
  const whenUnset = operator === 'notEquals';
  if (right.kind === 'literal') {
    let test: ValueTest;
    try {
      test = literalTest(operator, right.value);
    } catch (error: unknown) {
      if (error instanceof SyntaxError) throw new ConditionError(`Invalid JavaRegex: ${error.message}`, right.position, text);
      throw error;
    }
    if (left.kind === 'literal') return constant(test(left.value));
    const { name } = left;
    return function conditionCompare(read) {
      const value = read(name);
      return value === undefined ? whenUnset : test(value);
    };
  }

  const test = pairTest(operator);
  const rightName = right.name;
  if (left.kind === 'literal') {
    // Only the pattern operators and StartsWith get here: a literal value against a pattern held in a variable.
    const subject = left.value;
    return function conditionCompareToVariable(read) {
      const pattern = read(rightName);
      return pattern === undefined ? whenUnset : test(subject, pattern);
    };
  }
  const leftName = left.name;
  return function conditionCompareVariables(read) {
    const value = read(leftName);
    if (value === undefined) return whenUnset;
    const other = read(rightName);
    return other === undefined ? whenUnset : test(value, other);
  };
}

/**
 * The `null` literal: `x = null` is true when x is not set, `x != null` when it is; every other operator is false
 * with null. (Two unset variables are not equal to each other: see compileComparison.)
 */
function compileNull(operator: ComparisonOperator, other: Operand): Condition {
  if (operator !== 'equals' && operator !== 'notEquals') return alwaysFalse;
  const wantUnset = operator === 'equals';
  if (other.kind === 'null') return constant(wantUnset);
  if (other.kind === 'literal') return constant(!wantUnset);
  const { name } = other;
  return wantUnset
    ? function conditionIsUnset(read) {
        return read(name) === undefined;
      }
    : function conditionIsSet(read) {
        return read(name) !== undefined;
      };
}
