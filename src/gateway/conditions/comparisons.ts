// What each comparison operator means, as tests built once per condition and run per message.
//
// Apigee conditions reference, "Operators" and "Behavior of null operands":
// https://cloud.google.com/apigee/docs/api-platform/reference/conditions-reference
// Both sides numeric: compared as numbers ("404" = 404, "1000" > "999"). Otherwise compared as text, case-sensitive
// except `:=`; ordering is by UTF-16 code units, like Java's String.compareTo. Unset operands are handled by the
// caller (compile.ts); these functions see set values only.
import { compileGlob } from './glob.ts';
import { compileJavaRegex } from './java-regex.ts';
import type { ComparisonOperator } from './operators.ts';
import { compilePathPattern } from './path-pattern.ts';
import { asNumber, asText, prepare, type FlowValue, type Prepared } from './values.ts';

/** `value <operator> right`, the right side fixed when the test was built. */
export type ValueTest = (value: FlowValue) => boolean;
/** `left <operator> right`, both read per message. */
export type PairTest = (left: FlowValue, right: FlowValue) => boolean;

type PatternOperator = 'matches' | 'javaRegex' | 'matchesPath';
type ValueOperator = Exclude<ComparisonOperator, PatternOperator>;

function isPatternOperator(operator: ComparisonOperator): operator is PatternOperator {
  return operator === 'matches' || operator === 'javaRegex' || operator === 'matchesPath';
}

function equal(left: FlowValue, right: Prepared): boolean {
  if (!Number.isNaN(right.number)) {
    const number = asNumber(left);
    if (!Number.isNaN(number)) return number === right.number;
  }
  return asText(left) === right.text;
}

/** Java's equalsIgnoreCase: same length, then characters equal ignoring case. */
function equalIgnoringCase(left: FlowValue, right: Prepared): boolean {
  if (!Number.isNaN(right.number)) {
    const number = asNumber(left);
    if (!Number.isNaN(number)) return number === right.number;
  }
  const text = asText(left);
  if (text.length !== right.text.length) return false;
  if (text === right.text) return true;
  right.lower ??= right.text.toLowerCase();
  return text.toLowerCase() === right.lower;
}

/** Negative, zero or positive as left is before, equal to or after right. */
function order(left: FlowValue, right: Prepared): number {
  if (!Number.isNaN(right.number)) {
    const number = asNumber(left);
    if (!Number.isNaN(number)) return number < right.number ? -1 : number > right.number ? 1 : 0;
  }
  const text = asText(left);
  return text < right.text ? -1 : text > right.text ? 1 : 0;
}

const VALUE_OPERATORS: Readonly<Record<ValueOperator, (left: FlowValue, right: Prepared) => boolean>> = {
  equals: equal,
  notEquals: (left, right) => !equal(left, right),
  equalsCaseInsensitive: equalIgnoringCase,
  greaterThan: (left, right) => order(left, right) > 0,
  greaterThanOrEquals: (left, right) => order(left, right) >= 0,
  lesserThan: (left, right) => order(left, right) < 0,
  lesserThanOrEquals: (left, right) => order(left, right) <= 0,
  // Text only: "404" starts with "4" whatever numeric adaptation would say.
  startsWith: (left, right) => asText(left).startsWith(right.text),
};

/** Throws SyntaxError for a JavaRegex that does not compile. */
function patternTest(operator: PatternOperator, pattern: string): ValueTest {
  switch (operator) {
    case 'matches': {
      const match = compileGlob(pattern);
      return function testMatches(value) {
        return match(asText(value));
      };
    }
    case 'matchesPath': {
      const match = compilePathPattern(pattern);
      return function testMatchesPath(value) {
        return match(asText(value));
      };
    }
    case 'javaRegex': {
      const regex = compileJavaRegex(pattern);
      return function testJavaRegex(value) {
        return regex.test(asText(value));
      };
    }
  }
}

/** The test for a right side known at deploy: the literal's number, and any pattern, are worked out here once. */
export function literalTest(operator: ComparisonOperator, right: string): ValueTest {
  if (isPatternOperator(operator)) return patternTest(operator, right);
  const compare = VALUE_OPERATORS[operator];
  const prepared = prepare(right);
  return function testAgainstLiteral(value) {
    return compare(value, prepared);
  };
}

const never: ValueTest = function neverMatches() {
  return false;
};

/** The test for two sides read per message (`request.header.origin = flow.allowed-origin`). */
export function pairTest(operator: ComparisonOperator): PairTest {
  if (!isPatternOperator(operator)) {
    const compare = VALUE_OPERATORS[operator];
    // Refilled on every call rather than allocated: a condition never runs inside itself.
    const scratch = prepare('');
    return function testPair(left, right) {
      return compare(left, prepare(right, scratch));
    };
  }
  // A pattern held in a variable compiles when it changes; a JavaRegex that does not compile matches nothing,
  // since a message cannot fail the deploy.
  let lastPattern: string | undefined;
  let lastTest = never;
  return function testPairPattern(left, right) {
    const pattern = asText(right);
    if (pattern !== lastPattern) {
      try {
        lastTest = patternTest(operator, pattern);
      } catch {
        lastTest = never;
      }
      lastPattern = pattern;
    }
    return lastTest(left);
  };
}
