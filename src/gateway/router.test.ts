import { describe, expect, it } from 'vitest';
import type { CompiledApi } from './compile.ts';
import { RoutingTable } from './router.ts';

const api = (basePath: string) => ({ identity: { name: basePath, revision: 1, basePath } }) as unknown as CompiledApi;

describe('RoutingTable', () => {
  const table = new RoutingTable([api('/weather'), api('/weather/v2'), api('/oauth/token'), api('/')]);

  it('matches the longest base path on whole segments', () => {
    expect(table.match('/weather/v2/forecast')).toMatchObject({ api: { identity: { basePath: '/weather/v2' } }, pathSuffix: '/forecast' });
    expect(table.match('/weather/forecast')).toMatchObject({ api: { identity: { basePath: '/weather' } }, pathSuffix: '/forecast' });
    expect(table.match('/weather')).toMatchObject({ api: { identity: { basePath: '/weather' } }, pathSuffix: '' });
  });

  it('does not match a base path that is only a prefix of a segment', () => {
    expect(table.match('/weatherx/a')).toMatchObject({ api: { identity: { basePath: '/' } }, pathSuffix: '/weatherx/a' });
    expect(new RoutingTable([api('/weather')]).match('/weatherx')).toBeUndefined();
  });

  it('keeps a trailing slash in the suffix', () => {
    expect(table.match('/oauth/token/')).toMatchObject({ pathSuffix: '/' });
  });

  it('answers nothing when no API is deployed', () => {
    expect(new RoutingTable([]).match('/x')).toBeUndefined();
  });
});
