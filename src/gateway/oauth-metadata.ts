// The gateway's OAuth 2.0 authorization server metadata (RFC 8414): the issuer and the endpoints that deployed APIs
// offer (token, revocation, introspection) and the key set, so clients configure themselves by discovery.
import { operationEndpoints, type DeployedApi, type OAuthEndpoint } from './oauth-endpoints.ts';

export interface MetadataInput {
  issuer: string;
  /** The gateway as callers reach it. */
  gatewayUrl: string;
  apis: readonly DeployedApi[];
  /** Whether JWT signing keys exist, so that `/.well-known/jwks.json` is served. */
  jwks: boolean;
}

/** RFC 6749 §2.3.1 client authentication, as the token, revocation and introspection endpoints accept it. */
const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post'];

/** The endpoint of an operation: the one marked `advertised`, else the first by base path. */
function endpointOf(input: MetadataInput, operation: string): OAuthEndpoint | undefined {
  const all = operationEndpoints(input.apis, input.gatewayUrl, operation);
  return all.find((e) => e.config.advertised === true) ?? all[0];
}

export function authorizationServerMetadata(input: MetadataInput): Record<string, unknown> {
  const origin = input.gatewayUrl.replace(/\/+$/, '');
  const token = endpointOf(input, 'GenerateAccessToken');
  const revocation = endpointOf(input, 'RevokeToken');
  const introspection = endpointOf(input, 'IntrospectToken');
  const grants = token && Array.isArray(token.config.supportedGrantTypes) ? token.config.supportedGrantTypes : ['client_credentials'];
  return {
    issuer: input.issuer,
    ...(token ? { token_endpoint: token.url, token_endpoint_auth_methods_supported: CLIENT_AUTH, grant_types_supported: grants } : {}),
    ...(input.jwks ? { jwks_uri: `${origin}/.well-known/jwks.json` } : {}),
    ...(revocation ? { revocation_endpoint: revocation.url, revocation_endpoint_auth_methods_supported: CLIENT_AUTH } : {}),
    ...(introspection ? { introspection_endpoint: introspection.url, introspection_endpoint_auth_methods_supported: CLIENT_AUTH } : {}),
    // RFC 8414 §2: required. No API offers an authorization endpoint (authorization code), so no response type.
    response_types_supported: [],
  };
}
