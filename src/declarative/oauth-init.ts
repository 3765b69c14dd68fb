// `gatehouse oauth init`: the standard set of OAuth 2.0 APIs in one command (authorization, token, revocation,
// introspection), as a
// declarative state that `apply` creates and deploys. Re-running it changes nothing; it never deletes.
import type { ApiSpec } from '../model/api.ts';
import type { DesiredState } from './schema.ts';

export interface OAuthInitOptions {
  /** Where the endpoints live, e.g. `/oauth` → `/oauth/authorize`, `/oauth/token`, `/oauth/revoke`, `/oauth/introspect`. */
  basePath: string;
  tokenFormat: 'jwt' | 'opaque';
  /** Access-token lifetime in milliseconds. */
  expiresIn: number;
}

export const OAUTH_INIT_DEFAULTS: OAuthInitOptions = { basePath: '/oauth', tokenFormat: 'jwt', expiresIn: 3_600_000 };

function endpoint(name: string, displayName: string, basePath: string, config: Record<string, unknown>): ApiSpec {
  return { name, displayName, basePath, preFlow: { request: [{ policy: 'oauth-v2', config }] } };
}

export function oauthInitState(options: OAuthInitOptions): DesiredState {
  const base = options.basePath === '/' ? '' : options.basePath.replace(/\/+$/, '');
  return {
    apis: [
      endpoint('oauth-authorize', 'OAuth 2.0 authorization endpoint (authorization code with PKCE)', `${base}/authorize`, { operation: 'GenerateAuthorizationCode', advertised: true }),
      endpoint('oauth-token', 'OAuth 2.0 token endpoint', `${base}/token`, {
        operation: 'GenerateAccessToken',
        supportedGrantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
        tokenFormat: options.tokenFormat,
        expiresIn: options.expiresIn,
        advertised: true,
      }),
      endpoint('oauth-revoke', 'OAuth 2.0 token revocation (RFC 7009)', `${base}/revoke`, { operation: 'RevokeToken', advertised: true }),
      endpoint('oauth-introspect', 'OAuth 2.0 token introspection (RFC 7662)', `${base}/introspect`, { operation: 'IntrospectToken', advertised: true }),
    ],
  };
}
