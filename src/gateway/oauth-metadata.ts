// The gateway's OAuth 2.0 authorization server metadata (RFC 8414): the issuer and the endpoints that deployed APIs
// offer (authorization, token, revocation, introspection) and the key set, so clients configure themselves by discovery.
import { CLIENT_ASSERTION_ALGORITHMS } from '../oauth/client-assertion.ts';
import { operationEndpoints, type DeployedApi, type OAuthEndpoint } from './oauth-endpoints.ts';

export interface MetadataInput {
  issuer: string;
  /** The gateway as callers reach it. */
  gatewayUrl: string;
  apis: readonly DeployedApi[];
  /** Whether JWT signing keys exist, so that `/.well-known/jwks.json` is served. */
  jwks: boolean;
}

/** Client authentication the endpoints accept: RFC 6749 §2.3.1 secrets and RFC 7523 `private_key_jwt`. */
const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
/** Where public clients may call too (the token endpoint for their grants, RFC 7009 revocation): also `none`. */
const PUBLIC_CLIENT_AUTH = [...CLIENT_AUTH, 'none'];
/** RFC 8414 §2: what a `private_key_jwt` assertion may be signed with. */
const SIGNING_ALGS = [...CLIENT_ASSERTION_ALGORITHMS];

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
  const authorization = endpointOf(input, 'GenerateAuthorizationCode');
  const grants = token && Array.isArray(token.config.supportedGrantTypes) ? token.config.supportedGrantTypes : ['client_credentials'];
  return {
    issuer: input.issuer,
    ...(token ? { token_endpoint: token.url, token_endpoint_auth_methods_supported: PUBLIC_CLIENT_AUTH, token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS, grant_types_supported: grants } : {}),
    ...(input.jwks ? { jwks_uri: `${origin}/.well-known/jwks.json` } : {}),
    ...(revocation ? { revocation_endpoint: revocation.url, revocation_endpoint_auth_methods_supported: PUBLIC_CLIENT_AUTH, revocation_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS } : {}),
    ...(introspection ? { introspection_endpoint: introspection.url, introspection_endpoint_auth_methods_supported: CLIENT_AUTH, introspection_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS } : {}),
    // RFC 8414 §2: required; `code` only where an API offers the authorization endpoint. PKCE: S256 only (RFC 7636 §4.2).
    ...(authorization
      ? { authorization_endpoint: authorization.url, response_types_supported: ['code'], response_modes_supported: ['query'], code_challenge_methods_supported: ['S256'], authorization_response_iss_parameter_supported: true }
      : { response_types_supported: [] }),
  };
}
