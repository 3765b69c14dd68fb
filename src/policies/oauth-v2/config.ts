// The oauth-v2 step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

export const GRANT_TYPES = ['client_credentials', 'authorization_code', 'password', 'refresh_token'] as const;

/** The default refresh-token lifetime: 24 hours, renewed by each refresh (see `refreshTokenExpiresIn`). */
export const DEFAULT_REFRESH_TOKEN_EXPIRES_IN = 86_400_000;

export const OAuthV2Config = Type.Object(
  {
    operation: Type.Union(
      [
        Type.Literal('GenerateAccessToken'),
        Type.Literal('GenerateAuthorizationCode'),
        Type.Literal('RefreshAccessToken'),
        Type.Literal('VerifyAccessToken'),
        Type.Literal('InvalidateToken'),
        Type.Literal('RevokeToken'),
        Type.Literal('IntrospectToken'),
      ],
      {
        description:
          'What the step does: issue tokens (a token endpoint), be the authorization endpoint of the authorization code grant (GenerateAuthorizationCode: sends the browser to the login and consent page, then back to the app with a code), refresh them (a refresh endpoint that takes only `grant_type=refresh_token`), verify the bearer token of a call, revoke a token as Apigee does (InvalidateToken: no client authentication), or be an RFC endpoint with client authentication: RevokeToken (RFC 7009 revocation; a refresh token revokes its whole grant) and IntrospectToken (RFC 7662 introspection).',
      },
    ),
    advertised: Type.Boolean({
      default: false,
      description:
        "GenerateAccessToken / RevokeToken / IntrospectToken: name this step's endpoint in the gateway's authorization server metadata (`/.well-known/oauth-authorization-server`, RFC 8414) when several deployed APIs offer the same operation. Without it, the one with the first base path is named.",
    }),
    introspectAnyClient: Type.Boolean({
      default: false,
      description:
        "IntrospectToken: let an authenticated client introspect other clients' tokens (a resource server registered as an app). Off: a client learns only about its own tokens; any other answers `active: false`.",
    }),
    supportedGrantTypes: Type.Array(Type.Union(GRANT_TYPES.map((g) => Type.Literal(g))), {
      default: ['client_credentials'],
      uniqueItems: true,
      minItems: 1,
      description:
        'GenerateAccessToken: the grant types this endpoint accepts. `authorization_code` exchanges a code from a GenerateAuthorizationCode endpoint (RFC 6749 §4.1, with PKCE, RFC 7636) for an access token and a refresh token. `password` (legacy, RFC 6749 §4.3) also needs the app to opt in with `allowPasswordGrant: true`; it issues a refresh token too. `refresh_token` lets this endpoint refresh tokens. `client_credentials` never issues a refresh token (RFC 6749 §4.4.3). RefreshAccessToken ignores this list: it takes `refresh_token` only.',
    }),
    loginPage: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s]+$',
        maxLength: 2000,
        description:
          "GenerateAuthorizationCode: the login and consent page the browser is sent to, with the sealed request in the `request` query parameter. Default: the developer hub's `/authorize` page at the hub's public URL (`hub.publicUrl`). Set it to the hub's page at another address (behind a proxy, say), or to a login page of your own, which answers through the management API's `POST /api/v1/oauth/consents`.",
      }),
    ),
    codeExpiresIn: Type.Integer({
      default: 300_000,
      minimum: 1000,
      maximum: 600_000,
      description: 'GenerateAuthorizationCode: how long a code may wait to be exchanged, in milliseconds (default 5 minutes; at most 10, as RFC 6749 §4.1.2 advises).',
    }),
    expiresIn: Type.Integer({ default: 3_600_000, minimum: -1, description: 'GenerateAccessToken / RefreshAccessToken: access-token lifetime in milliseconds (Apigee `ExpiresIn`); -1 = never expires.' }),
    refreshTokenExpiresIn: Type.Integer({
      default: DEFAULT_REFRESH_TOKEN_EXPIRES_IN,
      minimum: -1,
      description:
        'GenerateAccessToken (password grant) / refresh: refresh-token lifetime in milliseconds (Apigee `RefreshTokenExpiresIn`); -1 = never expires. Default 24 hours (Apigee: -1); each refresh issues a new refresh token with a fresh lifetime, so a client that refreshes at least daily stays signed in. Must be positive or -1.',
    }),
    tokenFormat: Type.Union([Type.Literal('opaque'), Type.Literal('jwt')], {
      default: 'opaque',
      description:
        'GenerateAccessToken / RefreshAccessToken: `opaque` (random, looked up when verified; Apigee\'s kind) or `jwt` (RFC 9068: signed, carries its client, products and scope, verified at the edge without a store read; its keys are published at `/.well-known/jwks.json` on the gateway). Refresh tokens are always opaque. VerifyAccessToken accepts both whatever this says.',
    }),
    algorithm: Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA'), Type.Literal('RS256')], {
      default: 'ES256',
      description: 'With `tokenFormat: jwt`: the signing algorithm. ES256 (P-256) is small and fast; EdDSA (Ed25519) faster still; RS256 for clients that know nothing else.',
    }),
    grantType: Type.Optional(Type.String({ description: 'GenerateAccessToken / RefreshAccessToken: flow variable holding the grant type. Default: the form parameter, then the query parameter `grant_type`.' })),
    userName: Type.Optional(Type.String({ title: 'User name variable', description: 'GenerateAccessToken, password grant: flow variable holding the user name (Apigee `UserName`). Default: the `username` form parameter.' })),
    passWord: Type.Optional(Type.String({ title: 'Password variable', description: 'GenerateAccessToken, password grant: flow variable holding the password (Apigee `PassWord`). Default: the `password` form parameter.' })),
    refreshToken: Type.Optional(Type.String({ description: 'Refresh grant: flow variable holding the refresh token (Apigee `RefreshToken`). Default: the `refresh_token` form parameter.' })),
    dialect: Type.Union([Type.Literal('rfc6749'), Type.Literal('apigee')], {
      default: 'rfc6749',
      description: "Response shape: RFC 6749 (`token_type: \"Bearer\"`, numeric `expires_in`, `{\"error\"}` bodies) or Apigee/SAP's (strings, `BearerToken`, `{\"ErrorCode\",\"Error\"}`).",
    }),
    scope: Type.Optional(
      Type.String({ maxLength: 2000, description: 'VerifyAccessToken: space-separated scopes; the token must carry at least one. GenerateAccessToken / RefreshAccessToken: ignored (the `scope` form parameter is read).' }),
    ),
    accessToken: Type.Optional(Type.String({ description: 'VerifyAccessToken / InvalidateToken: flow variable holding the token. Default: the `Authorization: Bearer` header (Verify) or the `token` form parameter (Invalidate).' })),
    accessTokenPrefix: Type.String({ default: 'Bearer', description: 'VerifyAccessToken: the scheme expected in the Authorization header.' }),
  },
  { additionalProperties: false, description: 'Issue, refresh, verify or revoke OAuth 2.0 access tokens (Apigee OAuthV2).' },
);
export type OAuthV2Config = Static<typeof OAuthV2Config>;
