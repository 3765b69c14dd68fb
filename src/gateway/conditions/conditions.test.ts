import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileCondition, conditionVariables } from './index.ts';

type Variables = Record<string, string | number | boolean>;

const evaluate = (text: string, variables: Variables = {}): boolean => compileCondition(text)((name) => variables[name]);

describe('comparison operators', () => {
  const spellings = (...forms: string[]) => forms;

  it.each(spellings('=', '==', 'Equals', 'equals', 'EQUALS', 'Is', 'is', 'IS'))('%s is true when the value equals the literal', (op) => {
    expect(evaluate(`request.verb ${op} "GET"`, { 'request.verb': 'GET' })).toBe(true);
    expect(evaluate(`request.verb ${op} "GET"`, { 'request.verb': 'POST' })).toBe(false);
    expect(evaluate(`request.verb ${op} "GET"`, { 'request.verb': 'get' })).toBe(false);
  });

  it.each(spellings('!=', 'NotEquals', 'notequals', 'IsNot', 'isnot', 'ISNOT'))('%s is true when the value differs from the literal', (op) => {
    expect(evaluate(`request.verb ${op} "GET"`, { 'request.verb': 'POST' })).toBe(true);
    expect(evaluate(`request.verb ${op} "GET"`, { 'request.verb': 'GET' })).toBe(false);
  });

  it.each(spellings(':=', 'EqualsCaseInsensitive', 'equalscaseinsensitive'))('%s ignores case', (op) => {
    expect(evaluate(`request.header.accept ${op} "Application/JSON"`, { 'request.header.accept': 'application/json' })).toBe(true);
    expect(evaluate(`request.header.accept ${op} "application/xml"`, { 'request.header.accept': 'application/json' })).toBe(false);
    expect(evaluate(`request.header.accept ${op} "application/jso"`, { 'request.header.accept': 'application/json' })).toBe(false);
  });

  it.each([
    ['>', 'GreaterThan', [false, false, true]],
    ['>=', 'GreaterThanOrEquals', [false, true, true]],
    ['<', 'LesserThan', [true, false, false]],
    ['<=', 'LesserThanOrEquals', [true, true, false]],
  ] as const)('%s and %s order numbers (399, 400, 401 against 400)', (symbol, word, expected) => {
    for (const op of [symbol, word, word.toLowerCase(), word.toUpperCase()]) {
      expect([399, 400, 401].map((code) => evaluate(`response.status.code ${op} 400`, { 'response.status.code': code }))).toEqual(expected);
    }
  });

  it.each(spellings('~', 'Matches', 'matches', 'Like', 'LIKE'))('%s matches a glob where * is any run and ? one character', (op) => {
    const path = { 'proxy.pathsuffix': '/cat/dog' };
    expect(evaluate(`proxy.pathsuffix ${op} "/cat/dog"`, path)).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "/c*"`, path)).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "*dog"`, path)).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "/*/d?g"`, path)).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "/cat"`, path)).toBe(false);
    expect(evaluate(`proxy.pathsuffix ${op} "/CAT*"`, path)).toBe(false);
    expect(evaluate(`proxy.pathsuffix ${op} "/cat/d?"`, path)).toBe(false);
  });

  it.each(spellings('~~', 'JavaRegex', 'javaregex', 'JAVAREGEX'))('%s must match the whole value', (op) => {
    const path = { 'proxy.pathsuffix': '/cat' };
    expect(evaluate(`proxy.pathsuffix ${op} "/c.t"`, path)).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "cat"`, path)).toBe(false);
    expect(evaluate(`proxy.pathsuffix ${op} "/ca"`, path)).toBe(false);
    expect(evaluate(`proxy.pathsuffix ${op} "/dog|/cat"`, path)).toBe(true);
  });

  it.each(spellings('~/', 'MatchesPath', 'matchespath', 'LikePath', 'likepath'))('%s matches path patterns segment by segment', (op) => {
    expect(evaluate(`proxy.pathsuffix ${op} "/*/a/*"`, { 'proxy.pathsuffix': '/x/a/b' })).toBe(true);
    expect(evaluate(`proxy.pathsuffix ${op} "/*/a/*"`, { 'proxy.pathsuffix': '/x/y/a/b' })).toBe(false);
  });

  it.each(spellings('=|', 'StartsWith', 'startswith', 'STARTSWITH'))('%s tests a prefix, case-sensitively', (op) => {
    expect(evaluate(`request.path ${op} "/v1/"`, { 'request.path': '/v1/orders' })).toBe(true);
    expect(evaluate(`request.path ${op} "/v2/"`, { 'request.path': '/v1/orders' })).toBe(false);
    expect(evaluate(`request.path ${op} "/V1/"`, { 'request.path': '/v1/orders' })).toBe(false);
  });

  it('accepts symbols written against their operands', () => {
    const vars = { a: 'b', n: 5 };
    expect(evaluate('a="b"', vars)).toBe(true);
    expect(evaluate('a!="c"', vars)).toBe(true);
    expect(evaluate('a:="B"', vars)).toBe(true);
    expect(evaluate('n>=5&&n<6', vars)).toBe(true);
    expect(evaluate('a~~"[a-c]"||n=|"x"', vars)).toBe(true);
    expect(evaluate('!(a="c")&&!n<4', vars)).toBe(true);
    expect(evaluate('a="b"&&!n=5', vars)).toBe(false);
  });

  it('reads a variable name with dashes, underscores and digits', () => {
    expect(evaluate('request.header.x-api-key = "k1"', { 'request.header.x-api-key': 'k1' })).toBe(true);
    expect(evaluate('ratelimit.Quota-1.failed = true', { 'ratelimit.Quota-1.failed': true })).toBe(true);
    expect(evaluate('flow.my_var2 = "v"', { 'flow.my_var2': 'v' })).toBe(true);
  });

  it('treats a word in operand position as a variable, even one spelled like an operator', () => {
    expect(evaluate('like = "x"', { like: 'x' })).toBe(true);
  });
});

describe('literals', () => {
  it('resolves \\" and \\\\ in strings and keeps any other backslash', () => {
    expect(evaluate('a = "say \\"hi\\""', { a: 'say "hi"' })).toBe(true);
    expect(evaluate('a = "back\\\\slash"', { a: 'back\\slash' })).toBe(true);
    expect(evaluate('a ~~ "\\d{3}"', { a: '404' })).toBe(true);
  });

  it('reads unquoted numbers, negative and decimal ones included', () => {
    expect(evaluate('t = -1', { t: '-1' })).toBe(true);
    expect(evaluate('t = 2.5', { t: 2.5 })).toBe(true);
  });

  it('compares booleans as the text "true" and "false"', () => {
    expect(evaluate('oauthV2.Verify.failed = true', { 'oauthV2.Verify.failed': true })).toBe(true);
    expect(evaluate('oauthV2.Verify.failed = "true"', { 'oauthV2.Verify.failed': true })).toBe(true);
    expect(evaluate('oauthV2.Verify.failed = false', { 'oauthV2.Verify.failed': true })).toBe(false);
    expect(evaluate('flag = TRUE', { flag: 'true' })).toBe(true);
    expect(evaluate('flag = true', { flag: 'TRUE' })).toBe(false);
  });

  it('works with the literal on the left and the variable on the right', () => {
    expect(evaluate('"GET" = request.verb', { 'request.verb': 'GET' })).toBe(true);
    expect(evaluate('"GET" != request.verb', { 'request.verb': 'GET' })).toBe(false);
    expect(evaluate('400 < response.status.code', { 'response.status.code': 404 })).toBe(true);
    expect(evaluate('500 <= response.status.code', { 'response.status.code': 404 })).toBe(false);
    expect(evaluate('"/a/b" MatchesPath pattern', { pattern: '/a/*' })).toBe(true);
    expect(evaluate('"/v1/x" StartsWith prefix', { prefix: '/v1' })).toBe(true);
  });

  it('compares two literals once, at compile time', () => {
    expect(evaluate('"a" = "a"')).toBe(true);
    expect(evaluate('1 > 2')).toBe(false);
  });
});

describe('numeric adaptation', () => {
  it('compares numerically when both sides are numbers, written either way', () => {
    for (const code of [404, '404']) {
      expect(evaluate('response.status.code = "404"', { 'response.status.code': code })).toBe(true);
      expect(evaluate('response.status.code = 404', { 'response.status.code': code })).toBe(true);
      expect(evaluate('response.status.code = 404.0', { 'response.status.code': code })).toBe(true);
      expect(evaluate('response.status.code > 399', { 'response.status.code': code })).toBe(true);
      expect(evaluate('response.status.code >= "500"', { 'response.status.code': code })).toBe(false);
    }
  });

  it('orders numeric text by value, not by characters', () => {
    expect(evaluate('size > "999"', { size: '1000' })).toBe(true);
    expect(evaluate('size < 10', { size: '9' })).toBe(true);
  });

  it('compares as text when either side is not a number', () => {
    expect(evaluate('v > "b"', { v: 'c' })).toBe(true);
    expect(evaluate('v < "b"', { v: 'abc' })).toBe(true);
    expect(evaluate('v = 404', { v: '404 Not Found' })).toBe(false);
    expect(evaluate('v = "0x10"', { v: 16 })).toBe(false);
    expect(evaluate('v = 1', { v: ' 1' })).toBe(false);
    expect(evaluate('v > 1', { v: '' })).toBe(false);
  });

  it('compares integers too long for exact doubles as text', () => {
    expect(evaluate('account = "12345678901234567890"', { account: '12345678901234567891' })).toBe(false);
    expect(evaluate('account = "12345678901234567890"', { account: '12345678901234567890' })).toBe(true);
  });

  it('applies to EqualsCaseInsensitive too', () => {
    expect(evaluate('v := "1.50"', { v: 1.5 })).toBe(true);
  });

  it('does not apply to StartsWith, which is about text', () => {
    expect(evaluate('v =| "4"', { v: 404 })).toBe(true);
  });
});

describe('null rules', () => {
  const operators = ['=', ':=', '>', '>=', '<', '<=', '~', '~~', '~/', '=|'];

  it.each(operators)('an unset variable %s a literal is false', (op) => {
    expect(evaluate(`missing ${op} "x"`)).toBe(false);
  });

  it('an unset variable != a literal is true', () => {
    expect(evaluate('missing != "x"')).toBe(true);
    expect(evaluate('"x" != missing')).toBe(true);
    expect(evaluate('"x" = missing')).toBe(false);
  });

  it('var = null is true exactly when the variable is unset, and != null when it is set', () => {
    expect(evaluate('request.header.x = null')).toBe(true);
    expect(evaluate('request.header.x = null', { 'request.header.x': '' })).toBe(false);
    expect(evaluate('request.header.x != null')).toBe(false);
    expect(evaluate('request.header.x != null', { 'request.header.x': 'v' })).toBe(true);
    expect(evaluate('null = request.header.x')).toBe(true);
    expect(evaluate('request.header.x = NULL')).toBe(true);
  });

  it('is false for every other operator against null', () => {
    for (const op of [':=', '>', '~', '~~', '~/', '=|']) expect(evaluate(`missing ${op} null`)).toBe(false);
  });

  it('does not count two unset variables as equal', () => {
    expect(evaluate('request.header.token = private.expected')).toBe(false);
    expect(evaluate('request.header.token != private.expected')).toBe(true);
    expect(evaluate('request.header.token = private.expected', { 'private.expected': 't' })).toBe(false);
  });

  it('compares two set variables with numeric adaptation', () => {
    expect(evaluate('a = b', { a: '404', b: 404 })).toBe(true);
    expect(evaluate('a > b', { a: '10', b: '9' })).toBe(true);
    expect(evaluate('a := b', { a: 'X', b: 'x' })).toBe(true);
  });
});

describe('a variable on its own', () => {
  it('is true when set and not false, 0, "", "0" or "false"', () => {
    expect(evaluate('request.header.x-debug', { 'request.header.x-debug': 'yes' })).toBe(true);
    expect(evaluate('request.header.x-debug', { 'request.header.x-debug': 1 })).toBe(true);
    expect(evaluate('request.header.x-debug', { 'request.header.x-debug': true })).toBe(true);
    for (const value of [false, 0, '', '0', 'false', 'FALSE']) {
      expect(evaluate('request.header.x-debug', { 'request.header.x-debug': value })).toBe(false);
    }
    expect(evaluate('request.header.x-debug')).toBe(false);
  });

  it('reads literals the same way', () => {
    expect(evaluate('true')).toBe(true);
    expect(evaluate('false')).toBe(false);
    expect(evaluate('null')).toBe(false);
    expect(evaluate('"yes"')).toBe(true);
  });

  it('can be negated', () => {
    expect(evaluate('not request.header.x-debug')).toBe(true);
    expect(evaluate('!ratelimit.Q.failed', { 'ratelimit.Q.failed': false })).toBe(true);
  });
});

describe('boolean operators', () => {
  const vars = { a: '1', b: '2' };

  it.each(['and', 'AND', 'And', '&&'])('%s needs both sides', (op) => {
    expect(evaluate(`a = 1 ${op} b = 2`, vars)).toBe(true);
    expect(evaluate(`a = 1 ${op} b = 3`, vars)).toBe(false);
  });

  it.each(['or', 'OR', 'Or', '||'])('%s needs either side', (op) => {
    expect(evaluate(`a = 9 ${op} b = 2`, vars)).toBe(true);
    expect(evaluate(`a = 9 ${op} b = 3`, vars)).toBe(false);
  });

  it.each(['not', 'NOT', 'Not', '!'])('%s negates what follows', (op) => {
    expect(evaluate(`${op} a = 1`, vars)).toBe(false);
    expect(evaluate(`${op} (a = 2)`, vars)).toBe(true);
    expect(evaluate(`${op} ${op} a = 1`, vars)).toBe(true);
  });

  it('binds and tighter than or', () => {
    // true or (false and false)
    expect(evaluate('a = 1 or a = 2 and b = 3', vars)).toBe(true);
    // (true or false) and false
    expect(evaluate('(a = 1 or a = 2) and b = 3', vars)).toBe(false);
    // (false and false) or true
    expect(evaluate('a = 2 and b = 3 or b = 2', vars)).toBe(true);
  });

  it('binds not tighter than and, and not over the whole comparison', () => {
    // (not false) and true
    expect(evaluate('not a = 2 and b = 2', vars)).toBe(true);
    // (not true) or true
    expect(evaluate('not a = 1 or b = 2', vars)).toBe(true);
    // not (true or true)
    expect(evaluate('not (a = 1 or b = 2)', vars)).toBe(false);
  });

  it('nests parentheses', () => {
    expect(evaluate('((a = 1) and ((b = 2) or (b = 3)))', vars)).toBe(true);
    expect(evaluate('(((a = 2)))', vars)).toBe(false);
  });

  it('does not read the right side when the left side decides', () => {
    const read: string[] = [];
    const condition = compileCondition('a = 2 and b = 2 or a = 1 or b = 2');
    expect(condition((name) => (read.push(name), vars[name as keyof typeof vars]))).toBe(true);
    expect(read).toEqual(['a', 'a']);
  });

  it('reads conditions that span lines, as XML often does', () => {
    expect(evaluate('a = 1\n  and\tb = 2\r\n', vars)).toBe(true);
  });
});

describe('the SAP-generated flow condition', () => {
  const text =
    '(proxy.pathsuffix MatchesPath "/hello" OR proxy.pathsuffix MatchesPath "/hello/**" OR proxy.pathsuffix MatchesPath "/hello(**")AND(request.verb = "GET")';
  const condition = compileCondition(text);
  const run = (pathsuffix: string, verb = 'GET') => condition((name) => ({ 'proxy.pathsuffix': pathsuffix, 'request.verb': verb })[name]);

  it('parses although AND touches the parentheses', () => {
    expect(conditionVariables(text)).toEqual(['proxy.pathsuffix', 'request.verb']);
  });

  it('matches the resource, its sub-paths and its OData keys on GET', () => {
    for (const path of ['/hello', '/hello/', '/hello/world', '/hello/a/b', "/hello('1')", "/hello('1')/items"]) expect(run(path)).toBe(true);
  });

  it('does not match other resources or other verbs', () => {
    for (const path of ['/hellothere', '/hell', '/other/hello', '']) expect(run(path)).toBe(false);
    expect(run('/hello', 'POST')).toBe(false);
  });
});

describe('JavaRegex', () => {
  it('compiles the pattern once and matches it against the whole value', () => {
    const condition = compileCondition('request.header.user-agent ~~ ".*Mobile.*"');
    expect(condition(() => 'Mozilla/5.0 (iPhone) Mobile/15E148')).toBe(true);
    expect(condition(() => 'curl/8.0')).toBe(false);
  });

  it('anchors every alternative, not just the first and last', () => {
    expect(evaluate('v ~~ "a|b"', { v: 'ab' })).toBe(false);
    expect(evaluate('v ~~ "a|b"', { v: 'b' })).toBe(true);
  });

  it("takes Java's leading inline flags", () => {
    expect(evaluate('request.path ~~ "(?i)/v1/.*"', { 'request.path': '/V1/Orders' })).toBe(true);
    expect(evaluate('request.path ~~ "/v1/.*"', { 'request.path': '/V1/Orders' })).toBe(false);
  });

  it('matches numbers by their text', () => {
    expect(evaluate('response.status.code ~~ "5\\d\\d"', { 'response.status.code': 503 })).toBe(true);
  });

  it('compiles a pattern held in a variable when it changes, and one that does not compile matches nothing', () => {
    const condition = compileCondition('request.path ~~ flow.pattern');
    const vars: Variables = { 'request.path': '/abc' };
    const read = (name: string) => vars[name];
    vars['flow.pattern'] = '/a.c';
    expect(condition(read)).toBe(true);
    vars['flow.pattern'] = '/x.*';
    expect(condition(read)).toBe(false);
    vars['flow.pattern'] = '(';
    expect(condition(read)).toBe(false);
  });
});

describe('conditionVariables', () => {
  it('lists each variable once, in order of appearance', () => {
    expect(conditionVariables('(b = a) or not c and a != null or "x" = d or e')).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('lists no literals or keywords', () => {
    expect(conditionVariables('"a" = 1 or true or null = "b"')).toEqual([]);
  });

  it('throws for a condition that does not parse', () => {
    expect(() => conditionVariables('a = ')).toThrow('Missing operand');
  });
});

describe('the folder', () => {
  it('turns text into closures without eval or Function', () => {
    const folder = fileURLToPath(new URL('.', import.meta.url));
    const sources = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const name of sources) {
      const source = readFileSync(`${folder}/${name}`, 'utf8');
      expect(source, name).not.toMatch(/\beval\s*\(|\bFunction\s*\(|new\s+Function\b|\bvm\b\.|node:vm/);
    }
  });
});
