import { describe, expect, it } from 'vitest';
import { PolicyConfigError, type VariableValue } from './policy.ts';
import { compileTemplate } from './template.ts';

const vars = (values: Record<string, VariableValue>) => ({ get: (name: string) => values[name] });

describe('compileTemplate', () => {
  it('substitutes {variable} references with their values', () => {
    const template = compileTemplate('Hello {request.header.name}, you are {age}!');
    expect(template.render(vars({ 'request.header.name': 'Dana', age: 42 }))).toBe('Hello Dana, you are 42!');
    expect(template.variables).toEqual(['request.header.name', 'age']);
  });

  it('renders text without references as it is', () => {
    const template = compileTemplate('plain text');
    expect(template.isStatic).toBe(true);
    expect(template.render(vars({}))).toBe('plain text');
    expect(compileTemplate('').render(vars({}))).toBe('');
  });

  it('renders a lone reference as its value', () => {
    expect(compileTemplate('{a}').render(vars({ a: true }))).toBe('true');
  });

  it('renders an unset variable as the empty string by default', () => {
    expect(compileTemplate('[{missing}]').render(vars({}))).toBe('[]');
  });

  it('keeps an empty value, which is set', () => {
    const template = compileTemplate('[{a}]', { unresolved: () => new Error('unset') });
    expect(template.render(vars({ a: '' }))).toBe('[]');
  });

  it('throws the error of `unresolved` for an unset variable when given one', () => {
    const template = compileTemplate('x {missing} y', { unresolved: (name) => new Error(`unresolved ${name}`) });
    expect(() => template.render(vars({}))).toThrow('unresolved missing');
  });

  it("treats JSON's braces as text and substitutes only well-formed references", () => {
    const template = compileTemplate('{"city": "{request.queryparam.q}", "nested": {"empty": {}}, "list": [{"a": 1}]}');
    const rendered = template.render(vars({ 'request.queryparam.q': 'Berlin' }));
    expect(JSON.parse(rendered)).toEqual({ city: 'Berlin', nested: { empty: {} }, list: [{ a: 1 }] });
  });

  it('uses another prefix and suffix when told, leaving braces alone', () => {
    const template = compileTemplate('{"id": "@id#", "literal": "{id}"}', { prefix: '@', suffix: '#' });
    expect(template.render(vars({ id: '7' }))).toBe('{"id": "7", "literal": "{id}"}');
  });

  it('accepts multi-character and identical delimiters', () => {
    expect(compileTemplate('${a}$ and ${b}$', { prefix: '${', suffix: '}$' }).render(vars({ a: 1, b: 2 }))).toBe('1 and 2');
    expect(compileTemplate('mail a@b.com about @topic@', { prefix: '@', suffix: '@' }).render(vars({ topic: 'x' }))).toBe('mail a@b.com about x');
  });

  it('leaves an unclosed prefix as text', () => {
    expect(compileTemplate('a {b').render(vars({ b: 1 }))).toBe('a {b');
    expect(compileTemplate('{{a}').render(vars({ a: 1 }))).toBe('{1');
  });

  it('refuses Apigee template functions at deploy, rather than sending them as text', () => {
    expect(() => compileTemplate('{escapeJSON(request.content)}')).toThrow(PolicyConfigError);
  });

  it('refuses empty delimiters', () => {
    expect(() => compileTemplate('x', { prefix: '' })).toThrow(PolicyConfigError);
  });
});
