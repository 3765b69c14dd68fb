import { describe, expect, it } from 'vitest';
import type { ApiSpec } from '../model/api.ts';
import { authorizationServerMetadata } from './oauth-metadata.ts';

const api = (name: string, basePath: string, config: Record<string, unknown>): { name: string; spec: ApiSpec } => ({
  name,
  spec: { name, basePath, preFlow: { request: [{ policy: 'oauth-v2', config }] } } as ApiSpec,
});

const base = { issuer: 'https://gw.example', gatewayUrl: 'https://gw.example/', jwks: true };

describe('authorization server metadata (RFC 8414)', () => {
  it('names the issuer, the endpoints the deployed APIs offer, the grants and client authentication, and the key set', () => {
    const apis = [
      api('token', '/oauth/token', { operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials', 'refresh_token'] }),
      api('revoke', '/oauth/revoke', { operation: 'RevokeToken' }),
      api('introspect', '/oauth/introspect', { operation: 'IntrospectToken' }),
      api('weather', '/weather', { operation: 'VerifyAccessToken' }),
    ];
    expect(authorizationServerMetadata({ ...base, apis })).toEqual({
      issuer: 'https://gw.example',
      token_endpoint: 'https://gw.example/oauth/token',
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      grant_types_supported: ['client_credentials', 'refresh_token'],
      jwks_uri: 'https://gw.example/.well-known/jwks.json',
      revocation_endpoint: 'https://gw.example/oauth/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint: 'https://gw.example/oauth/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
    });
  });

  it('names the advertised endpoint when several APIs offer one, else the first by base path', () => {
    const first = api('a-token', '/a/token', { operation: 'GenerateAccessToken' });
    const second = api('b-token', '/b/token', { operation: 'GenerateAccessToken', advertised: true });
    expect(authorizationServerMetadata({ ...base, apis: [first, second] }).token_endpoint).toBe('https://gw.example/b/token');
    expect(authorizationServerMetadata({ ...base, apis: [first, { ...second, spec: api('b-token', '/b/token', { operation: 'GenerateAccessToken' }).spec }] }).token_endpoint).toBe('https://gw.example/a/token');
  });

  it('leaves out what is not there: no token API, no keys', () => {
    expect(authorizationServerMetadata({ ...base, jwks: false, apis: [] })).toEqual({ issuer: 'https://gw.example', response_types_supported: [] });
  });
});
