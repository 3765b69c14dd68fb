// Token URLs from API specs: base path, pinned path suffixes, grant types, and the APIs that issue no tokens.
import { describe, expect, it } from 'vitest';
import type { ApiSpec } from '../model/api.ts';
import { issuesTokens, pinnedPathSuffix, tokenEndpoints, tokenEndpointsOf } from './oauth-endpoints.ts';

const GATEWAY = 'https://api.example.com';
const generate = (config: Record<string, unknown> = {}) => ({ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken', ...config } });
const verify = { policy: 'oauth-v2', config: { operation: 'VerifyAccessToken' } };

describe('token endpoints', () => {
  it('are the gateway address plus the base path of an API with GenerateAccessToken in its request PreFlow (the seed)', () => {
    const spec: ApiSpec = { name: 'token', basePath: '/oauth/token', preFlow: { request: [generate({ supportedGrantTypes: ['client_credentials'] })] } };
    expect(tokenEndpointsOf({ name: 'token', spec }, GATEWAY)).toEqual([
      { api: 'token', path: '/oauth/token', url: 'https://api.example.com/oauth/token', grantTypes: ['client_credentials'], dialect: 'rfc6749', exact: true },
    ]);
  });

  it('drop a trailing slash of the gateway address', () => {
    const spec: ApiSpec = { name: 'token', basePath: '/token', preFlow: { request: [generate()] } };
    expect(tokenEndpointsOf({ name: 'token', spec }, 'http://localhost:8080/')[0]?.url).toBe('http://localhost:8080/token');
  });

  it('default to the client_credentials grant and say the Apigee dialect when the step uses it', () => {
    const spec: ApiSpec = { name: 'sap', basePath: '/sap/token', preFlow: { request: [generate({ dialect: 'apigee' })] } };
    expect(tokenEndpointsOf({ name: 'sap', spec }, GATEWAY)[0]).toMatchObject({ grantTypes: ['client_credentials'], dialect: 'apigee' });
  });

  it('add the path suffix a conditional flow pins with = or MatchesPath without wildcards', () => {
    const spec: ApiSpec = {
      name: 'oauth',
      basePath: '/oauth',
      flows: [
        { name: 'issue', condition: 'proxy.pathsuffix MatchesPath "/token" and request.verb = "POST"', request: [generate({ supportedGrantTypes: ['client_credentials', 'refresh_token'] })] },
        { name: 'refresh', condition: '"/refresh" = proxy.pathsuffix', request: [generate({ supportedGrantTypes: ['refresh_token'] })] },
        { name: 'verify', condition: 'proxy.pathsuffix = "/userinfo"', request: [verify] },
      ],
    };
    expect(tokenEndpointsOf({ name: 'oauth', spec }, GATEWAY).map((e) => [e.url, e.grantTypes, e.exact])).toEqual([
      ['https://api.example.com/oauth/token', ['client_credentials', 'refresh_token'], true],
      ['https://api.example.com/oauth/refresh', ['refresh_token'], true],
    ]);
  });

  it("read the step's own condition too", () => {
    const spec: ApiSpec = { name: 'oauth', basePath: '/oauth', preFlow: { request: [{ ...generate(), condition: 'proxy.pathsuffix = "/token"' }] } };
    expect(tokenEndpointsOf({ name: 'oauth', spec }, GATEWAY)[0]?.path).toBe('/oauth/token');
  });

  it('fall back to the base path, marked inexact, when the condition names no single path', () => {
    const spec: ApiSpec = { name: 'oauth', basePath: '/oauth', flows: [{ name: 'issue', condition: 'proxy.pathsuffix MatchesPath "/token/**"', request: [generate()] }] };
    expect(tokenEndpointsOf({ name: 'oauth', spec }, GATEWAY)).toMatchObject([{ path: '/oauth', exact: false }]);
  });

  it('are none for APIs that only verify tokens, and listed in order over several APIs', () => {
    const weather: ApiSpec = { name: 'weather', basePath: '/weather', target: { url: 'http://127.0.0.1:9000' }, preFlow: { request: [verify] } };
    const token: ApiSpec = { name: 'token', basePath: '/oauth/token', preFlow: { request: [generate()] } };
    expect(tokenEndpoints([{ name: 'weather', spec: weather }, { name: 'token', spec: token }], GATEWAY).map((e) => e.api)).toEqual(['token']);
    expect(issuesTokens(weather)).toBe(false);
    expect(issuesTokens(token)).toBe(true);
  });
});

describe('a pinned path suffix', () => {
  it.each([
    ['proxy.pathsuffix = "/token"', '/token'],
    ['proxy.pathsuffix == "/token"', '/token'],
    ['request.verb = "POST" and proxy.pathsuffix ~/ "/token"', '/token'],
    ['(proxy.pathsuffix Matches "/token") and request.verb = "POST"', '/token'],
  ])('is read from %s', (condition, suffix) => {
    expect(pinnedPathSuffix(condition)).toBe(suffix);
  });

  it.each([
    'proxy.pathsuffix MatchesPath "/token/*"',
    'proxy.pathsuffix = "/token" or proxy.pathsuffix = "/other"',
    'not (proxy.pathsuffix = "/token")',
    'proxy.pathsuffix != "/token"',
    'request.verb = "POST"',
    'proxy.pathsuffix StartsWith "/tok"',
    'this does not parse ((',
  ])('is nothing for %s', (condition) => {
    expect(pinnedPathSuffix(condition)).toBeUndefined();
  });
});
