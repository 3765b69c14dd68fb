import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionError } from './index.ts';

/** The ConditionError a text throws. */
function errorOf(text: string): ConditionError {
  try {
    compileCondition(text);
  } catch (error: unknown) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error(`compiled without error: ${text}`);
}

describe('ConditionError', () => {
  it.each([
    // [condition, position, message]
    ['request.verb = "GET")', 20, `Unexpected ')' at position 20 in: request.verb = "GET")`],
    ['request.verb = "GET', 15, 'Unterminated string at position 15 in: request.verb = "GET'],
    ['a = "x\\"', 4, 'Unterminated string at position 4'],
    ['request.verb =~ "GET"', 13, "Unknown operator '=~' at position 13"],
    ['a & b', 2, "Unknown operator '&' at position 2"],
    ['request.verb eq "GET"', 13, "Unknown operator 'eq' at position 13"],
    ['request.verb not "GET"', 13, "Unknown operator 'not' at position 13"],
    ['request.verb =', 14, "Missing operand after '=' at position 14"],
    ['request.verb = and b', 15, "Missing operand after '='"],
    ['a = "b" and', 11, "Missing operand after 'and' at position 11"],
    ['a = "b" or ()', 12, "Missing operand after '('"],
    ['not', 3, "Missing operand after 'not'"],
    ['= "GET"', 0, "Missing operand before '='"],
    ['and a', 0, "Missing operand before 'and'"],
    ['(a = "b"', 0, "Unbalanced parentheses: '(' is never closed at position 0"],
    ['x or ((a = "b")', 5, "Unbalanced parentheses: '(' is never closed at position 5"],
    ['(a = "b"))', 9, "Unexpected ')' at position 9"],
    [')', 0, "Unexpected ')'"],
    ['request.verb "GET"', 13, 'Missing operator before "GET" at position 13'],
    ['a = "b" "c"', 8, `Expected 'and', 'or' or the end, found "c" at position 8`],
    ['(a = "b" c)', 9, "Expected 'and', 'or' or ')', found 'c' at position 9"],
    ['a = b = c', 6, "Expected 'and', 'or' or the end, found '='"],
    ["a = 'b'", 4, 'Single quotes do not delimit strings; use double quotes at position 4'],
    ['a = #', 4, "Unexpected character '#' at position 4"],
    ['a = 404abc', 4, "'404abc' is neither a number nor a variable name"],
    ['request.path ~~ "/v1/(.*"', 16, 'Invalid JavaRegex: Unterminated group at position 16'],
    ['request.path ~~ "(?x)a b"', 16, "Invalid JavaRegex: unsupported inline flag 'x'"],
  ])('%j fails at position %i', (text, position, message) => {
    const error = errorOf(text);
    expect(error.position).toBe(position);
    expect(error.text).toBe(text);
    expect(error.message).toContain(message);
    expect(error.name).toBe('ConditionError');
  });

  it.each(['', '   ', '\n\t'])('refuses an empty condition (%j) at position 0', (text) => {
    const error = errorOf(text);
    expect(error.position).toBe(0);
    expect(error.message).toBe('Empty condition: expected a comparison such as request.verb = "GET"');
  });

  it('draws a caret under the problem', () => {
    expect(errorOf('a = "b")').pointer).toBe('a = "b")\n       ^');
  });

  it('is an Error, so callers that catch errors in general see it', () => {
    expect(errorOf(')')).toBeInstanceOf(Error);
  });
});
