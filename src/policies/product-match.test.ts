import { describe, expect, it } from 'vitest';
import { productCovers, resourceMatches } from './product-match.ts';
import type { ProductGrant } from './policy.ts';

describe('resourceMatches', () => {
  it('reads / as the base path and everything below it', () => {
    for (const suffix of ['', '/', '/a', '/a/b']) expect(resourceMatches('/', suffix)).toBe(true);
  });
  it('reads /** as any depth, and /* as exactly one segment', () => {
    expect(resourceMatches('/**', '/a/b/c')).toBe(true);
    expect(resourceMatches('/*', '/a')).toBe(true);
    expect(resourceMatches('/*', '/a/b')).toBe(false);
    expect(resourceMatches('/forecast/**', '/forecast')).toBe(true);
    expect(resourceMatches('/forecast/**', '/forecast/today/rain')).toBe(true);
    expect(resourceMatches('/forecast/**', '/current')).toBe(false);
    expect(resourceMatches('/*/feed', '/news/feed')).toBe(true);
  });
  it('matches a literal path exactly', () => {
    expect(resourceMatches('/current', '/current')).toBe(true);
    expect(resourceMatches('/current', '/current/x')).toBe(false);
  });
});

describe('productCovers', () => {
  const product: ProductGrant = {
    name: 'p',
    apis: new Map([
      ['weather', [{ path: '/forecast/**', methods: ['GET'] }]],
      ['token', undefined],
    ]),
    scopes: [],
    attributes: {},
  };
  it('covers a whole API, or the narrowed paths and methods only', () => {
    expect(productCovers(product, 'token', '/anything', 'POST')).toBe(true);
    expect(productCovers(product, 'weather', '/forecast/today', 'GET')).toBe(true);
    expect(productCovers(product, 'weather', '/forecast/today', 'POST')).toBe(false);
    expect(productCovers(product, 'weather', '/current', 'GET')).toBe(false);
    expect(productCovers(product, 'other', '/', 'GET')).toBe(false);
  });
});
