// The oauth-v2 policy (Apigee OAuthV2): GenerateAccessToken, RefreshAccessToken, VerifyAccessToken, InvalidateToken.
import type { PolicyDefinition, StepFunction } from '../policy.ts';
import { OAuthV2Config } from './config.ts';
import { generateAuthorizationCode } from './authorize.ts';
import { generateAccessToken } from './generate.ts';
import { introspectToken, revokeToken } from './revoke-introspect.ts';
import { verifyAccessToken } from './verify.ts';

export const oauthV2: PolicyDefinition<typeof OAuthV2Config> = {
  name: 'oauth-v2',
  summary: 'Issue OAuth 2.0 access tokens, opaque or JWT (client credentials, authorization code with PKCE, password, refresh with rotation), verify bearer tokens against API products, revoke (RFC 7009) or introspect (RFC 7662) tokens.',
  apigee: 'OAuthV2',
  config: OAuthV2Config,
  errors: [
    { code: 'oauth.invalid_request', status: 400, faultName: 'invalid_request', apigeeCode: 'oauth.v2.invalid_request', when: 'GenerateAccessToken / RefreshAccessToken: `grant_type` (or, per grant, `username`, `password` or `refresh_token`) is missing; RevokeToken / IntrospectToken: `token` is missing; or client credentials were sent both as Basic and in the body.' },
    { code: 'oauth.unsupported_grant_type', status: 400, faultName: 'UnSupportedGrantType', apigeeCode: 'oauth.v2.UnSupportedGrantType', when: 'GenerateAccessToken: the grant type is not in `supportedGrantTypes`. RefreshAccessToken: it is not `refresh_token`.' },
    { code: 'oauth.invalid_client', status: 401, faultName: 'InvalidClientIdentifier', apigeeCode: 'oauth.v2.InvalidClientIdentifier', when: 'GenerateAccessToken / RefreshAccessToken / RevokeToken / IntrospectToken: no client authentication, unknown client id, wrong secret, a refused private_key_jwt client assertion (RFC 7523), a method other than the one the app registered (tokenEndpointAuthMethod), or a revoked or expired credential, revoked app or inactive developer.' },
    { code: 'oauth.unauthorized_client', status: 400, faultName: 'unauthorized_client', apigeeCode: 'oauth.v2.unauthorized_client', when: 'GenerateAccessToken / RefreshAccessToken: the app has no approved product, or asks for the password grant without `allowPasswordGrant: true`.' },
    {
      code: 'oauth.invalid_grant',
      status: 400,
      faultName: 'invalid_grant',
      apigeeCode: 'oauth.v2.invalid_grant',
      when: "Password grant: the user name or password is wrong (one message whatever the reason: unknown, inactive or password-less user). Refresh: the refresh token is unknown, another client's, expired, already used (which revokes every token of its grant), its user is no longer active, or none of its products is still approved.",
    },
    { code: 'oauth.invalid_scope', status: 400, faultName: 'invalid_scope', apigeeCode: 'oauth.v2.invalid_scope', when: 'Refresh: the requested `scope` asks for more than the grant had (RFC 6749 §6: a refresh may narrow the scope, never widen it).' },
    { code: 'oauth.missing_token', status: 401, faultName: 'InvalidAccessToken', apigeeCode: 'oauth.v2.InvalidAccessToken', when: 'VerifyAccessToken: no `Authorization: Bearer` header (or the configured variable is empty).' },
    { code: 'oauth.invalid_token', status: 401, faultName: 'invalid_access_token', apigeeCode: 'keymanagement.service.invalid_access_token', when: 'VerifyAccessToken: unknown or revoked token, or its credential, app or developer is no longer in good standing.' },
    { code: 'oauth.token_expired', status: 401, faultName: 'access_token_expired', apigeeCode: 'keymanagement.service.access_token_expired', when: 'VerifyAccessToken: the token expired.' },
    { code: 'oauth.no_product_match', status: 401, faultName: 'InvalidAPICallAsNoApiProductMatchFound', apigeeCode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound', when: "VerifyAccessToken: none of the token's approved products covers this API, path and method." },
    { code: 'oauth.insufficient_scope', status: 403, faultName: 'InsufficientScope', apigeeCode: 'steps.oauth.v2.InsufficientScope', when: 'VerifyAccessToken: the token carries none of the scopes in `scope`.' },
  ],
  variables: {
    client_id: 'VerifyAccessToken: the client id of the token.',
    app_enduser: "VerifyAccessToken: the token's end user, the email of the Gatehouse user of a password grant (unset for client credentials).",
    'developer.app.name': "The app's name (also `app.name`, `developer.app.id`, `app.id`).",
    'developer.email': "The developer's email (also `developer.id`, `developer.firstName`, `developer.lastName`).",
    'apiproduct.name': 'The product that covered the call.',
    'apiproduct.developer.quota.limit': "The product's quota (with `.interval` and `.timeunit`), for quota steps.",
    scope: 'The scopes of the token, space-separated.',
    'access_token / expires_in / issued_at / grant_type': 'The token, its remaining seconds, when it was issued, how (`grant_type` is the grant that started the chain: `password` for a refreshed password-grant token).',
  },
  create(config, deps): StepFunction {
    switch (config.operation) {
      case 'GenerateAccessToken':
      case 'RefreshAccessToken':
        return generateAccessToken(config, deps, config.operation);
      case 'GenerateAuthorizationCode':
        return generateAuthorizationCode(config, deps);
      case 'VerifyAccessToken':
        return verifyAccessToken(config, deps);
      case 'RevokeToken':
        return revokeToken(config, deps);
      case 'IntrospectToken':
        return introspectToken(config, deps);
      case 'InvalidateToken':
        return async function invalidateTokenStep(context) {
          // RFC 7009 §2.2: answer 200 whether or not the token was known, so the answer reveals nothing.
          const form = await context.request.readForm();
          const token = config.accessToken ? context.get(config.accessToken) : form.get('token');
          if (token !== undefined && token !== null && token !== '') await deps.tokens.revokeAccessToken(String(token));
          context.respond(200, {}, { 'cache-control': 'no-store' });
        };
    }
  },
};
