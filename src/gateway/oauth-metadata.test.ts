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
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'Ed25519', 'RS256', 'PS256'],
      grant_types_supported: ['client_credentials', 'refresh_token'],
      jwks_uri: 'https://gw.example/.well-known/jwks.json',
      revocation_endpoint: 'https://gw.example/oauth/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      revocation_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'Ed25519', 'RS256', 'PS256'],
      introspection_endpoint: 'https://gw.example/oauth/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'Ed25519', 'RS256', 'PS256'],
      response_types_supported: [],
    });
  });

  it('names the advertised endpoint when several APIs offer one, else the first by base path', () => {
    const first = api('a-token', '/a/token', { operation: 'GenerateAccessToken' });
    const second = api('b-token', '/b/token', { operation: 'GenerateAccessToken', advertised: true });
    expect(authorizationServerMetadata({ ...base, apis: [first, second] }).token_endpoint).toBe('https://gw.example/b/token');
    expect(authorizationServerMetadata({ ...base, apis: [first, { ...second, spec: api('b-token', '/b/token', { operation: 'GenerateAccessToken' }).spec }] }).token_endpoint).toBe('https://gw.example/a/token');
  });

  it('names the authorization endpoint, the code response type and S256 when an API offers GenerateAuthorizationCode', () => {
    const apis = [api('authorize', '/oauth/authorize', { operation: 'GenerateAuthorizationCode' }), api('token', '/oauth/token', { operation: 'GenerateAccessToken', supportedGrantTypes: ['authorization_code'] })];
    expect(authorizationServerMetadata({ ...base, apis })).toMatchObject({
      authorization_endpoint: 'https://gw.example/oauth/authorize',
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: ['authorization_code'],
    });
  });

  it('leaves out what is not there: no token API, no keys', () => {
    expect(authorizationServerMetadata({ ...base, jwks: false, apis: [] })).toEqual({ issuer: 'https://gw.example', response_types_supported: [] });
  });
});
