import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob.ts';
import { compilePathPattern } from './path-pattern.ts';

const matches = (pattern: string, path: string) => compilePathPattern(pattern)(path);

describe('MatchesPath patterns', () => {
  it.each([
    // Apigee's examples
    ['/*/a/*', '/x/a/b', true],
    ['/a/**/feed/**', '/a/b/feed/rss/1234', true],
    ['/a/**/feed/**', '/a/feed', true],
    ['/a/**/feed/**', '/a/b/c/feed', true],
    ['/a/**/feed/**', '/a/b/feeds/rss', false],
    // one star, one segment
    ['/*', '/cat', true],
    ['/*', '/cat/dog', false],
    ['/*', '/', false],
    ['/a/*', '/a/', false],
    ['/*/a/*', '/x/y/a/b', false],
    ['/*.json', '/orders.json', true],
    ['/*.json', '/a/orders.json', false],
    // two stars: any number of segments, zero included
    ['/a/**', '/a', true],
    ['/a/**', '/a/', true],
    ['/a/**', '/a/b/c', true],
    ['/a/**', '/ab', false],
    ['/a/**/b', '/a/b', true],
    ['/a/**/b', '/a/x/y/b', true],
    ['/a/**/b', '/a/xb', false],
    ['/**', '/anything/at/all', true],
    ['**', 'x/y', true],
    ['**/india/blr/**', '/x/india/blr/y', true],
    ['**/india/blr/**', 'india/blr', true],
    ['/hello(**', "/hello('1')/items", true],
    ['/hello(**', '/hello', false],
    // % escapes the next character
    ['/a/%*', '/a/*', true],
    ['/a/%*', '/a/b', false],
    ['/a/%%', '/a/%', true],
    ['/a%', '/a%', true],
    // the trailing slash and case count
    ['/hello', '/hello/', false],
    ['/hello', '/Hello', false],
    ['', '', true],
  ])('%s against %s is %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('answers a near miss on a long path without backtracking blow-up', () => {
    const path = `/${'a/'.repeat(5_000)}b`;
    expect(matches('/**/a/**/a/**/a/**/c', path)).toBe(false);
    expect(matches('/**/a/**/a/**/a/**/b', path)).toBe(true);
  });

  it('can be used again and again with the same answers', () => {
    const match = compilePathPattern('/a/**/z');
    for (let i = 0; i < 3; i++) {
      expect(match('/a/b/z')).toBe(true);
      expect(match('/a/b/y')).toBe(false);
    }
  });
});

describe('Matches globs', () => {
  it.each([
    ['/cat', '/cat', true],
    ['/*at', '/cat', true],
    ['*', '', true],
    ['*', '/any/thing', true],
    ['/c?t', '/cat', true],
    ['/c?t', '/ct', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxaxxcxxbxx', false],
    ['a**b', 'ab', true],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(compileGlob(pattern)(value)).toBe(expected);
  });

  it('answers a near miss on a long value quickly and correctly', () => {
    expect(compileGlob('*a*a*a*a*b')('a'.repeat(20_000))).toBe(false);
  });
});
