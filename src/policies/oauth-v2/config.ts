// The oauth-v2 step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

export const GRANT_TYPES = ['client_credentials', 'password', 'refresh_token'] as const;

export const OAuthV2Config = Type.Object(
  {
    operation: Type.Union([Type.Literal('GenerateAccessToken'), Type.Literal('VerifyAccessToken'), Type.Literal('InvalidateToken')], {
      description: 'What the step does: issue tokens (a token endpoint), verify the bearer token of a call, or revoke a token.',
    }),
    supportedGrantTypes: Type.Array(Type.Union(GRANT_TYPES.map((g) => Type.Literal(g))), {
      default: ['client_credentials'],
      uniqueItems: true,
      minItems: 1,
      description: 'GenerateAccessToken: the grant types this endpoint accepts. `password` also needs the app to opt in.',
    }),
    expiresIn: Type.Integer({ default: 3_600_000, minimum: -1, description: 'GenerateAccessToken: token lifetime in milliseconds (Apigee `ExpiresIn`); -1 = never expires.' }),
    grantType: Type.Optional(Type.String({ description: 'GenerateAccessToken: flow variable holding the grant type. Default: the form parameter, then the query parameter `grant_type`.' })),
    dialect: Type.Union([Type.Literal('rfc6749'), Type.Literal('apigee')], {
      default: 'rfc6749',
      description: "Response shape: RFC 6749 (`token_type: \"Bearer\"`, numeric `expires_in`, `{\"error\"}` bodies) or Apigee/SAP's (strings, `BearerToken`, `{\"ErrorCode\",\"Error\"}`).",
    }),
    scope: Type.Optional(
      Type.String({ maxLength: 2000, description: 'VerifyAccessToken: space-separated scopes; the token must carry at least one. GenerateAccessToken: ignored (the `scope` form parameter is read).' }),
    ),
    accessToken: Type.Optional(Type.String({ description: 'VerifyAccessToken / InvalidateToken: flow variable holding the token. Default: the `Authorization: Bearer` header (Verify) or the `token` form parameter (Invalidate).' })),
    accessTokenPrefix: Type.String({ default: 'Bearer', description: 'VerifyAccessToken: the scheme expected in the Authorization header.' }),
  },
  { additionalProperties: false, description: 'Issue, verify or revoke OAuth 2.0 access tokens (Apigee OAuthV2).' },
);
export type OAuthV2Config = Static<typeof OAuthV2Config>;
