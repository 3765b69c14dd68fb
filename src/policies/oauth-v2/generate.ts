// GenerateAccessToken / RefreshAccessToken: the token endpoint, in the RFC or the Apigee dialect. Grants: client
// credentials (RFC 6749 §4.4), authorization code with PKCE (§4.1, RFC 7636; authorization-code-grant.ts), the legacy resource owner password grant (§4.3, opt-in per app) and refresh (§6),
// with rotating refresh tokens and reuse detection.
import { redeemAuthorizationCode } from './authorization-code-grant.ts';
import { authenticateClient } from './client-auth.ts';
import { PolicyConfigError, type AccessTokenFormat, type FlowContext, type IssuedRefreshToken, type IssuedToken, type KeyRecord, type PolicyDeps, type StepFunction } from '../policy.ts';
import type { OAuthV2Config } from './config.ts';
import { tokenError, type Dialect } from './errors.ts';
import { grantScope, productScopes, scopeList } from './scopes.ts';


/** Seconds a token lives, from its issue; -1 = never expires. */
const lifetimeSeconds = (token: IssuedToken): number => (token.expiresAt === null ? -1 : Math.max(0, Math.floor((token.expiresAt - token.issuedAt) / 1000)));

/** Apigee's `expires_in` strings run one second short, as observed (apigee-model.md §2.4). */
const apigeeSeconds = (seconds: number): number => (seconds === -1 ? -1 : Math.max(0, seconds - 1));

function respondWithTokens(context: FlowContext, dialect: Dialect, key: KeyRecord, access: IssuedToken, refresh: IssuedRefreshToken | undefined): void {
  const expiresIn = lifetimeSeconds(access);
  const headers = { 'cache-control': 'no-store', pragma: 'no-cache' };
  if (dialect === 'apigee') {
    // Edge/SAP shape (apigee-model.md §2.4): every value a string. Password and refresh grants add the refresh_* fields;
    // `refresh_token_expires_in` is "0" when there is no refresh token or it never expires, as Apigee answers.
    const refreshFields = refresh
      ? {
          refresh_token: refresh.token,
          refresh_token_expires_in: String(refresh.expiresAt === null ? 0 : apigeeSeconds(lifetimeSeconds(refresh))),
          refresh_token_issued_at: String(refresh.issuedAt),
          refresh_token_status: 'approved',
          refresh_count: String(refresh.refreshCount),
        }
      : { refresh_token_expires_in: '0', refresh_count: '0' };
    context.respond(
      200,
      {
        issued_at: String(access.issuedAt),
        application_name: key.app.id,
        scope: access.scope,
        status: 'approved',
        api_product_list: `[${access.products.join(', ')}]`,
        api_product_list_json: access.products,
        expires_in: String(apigeeSeconds(expiresIn)),
        'developer.email': key.developer.email,
        token_type: 'BearerToken',
        client_id: key.clientId,
        access_token: access.token,
        ...refreshFields,
      },
      headers,
    );
  } else {
    // RFC 6749 §5.1 (no refresh_token_expires_in: the RFC has no such field); §4.4.3: none for client_credentials.
    context.respond(200, { access_token: access.token, token_type: 'Bearer', expires_in: expiresIn, ...(access.scope ? { scope: access.scope } : {}), ...(refresh ? { refresh_token: refresh.token } : {}) }, headers);
  }
}

/** The token endpoint. `RefreshAccessToken` is Apigee's refresh-only operation; GenerateAccessToken takes every configured grant. */
export function generateAccessToken(config: OAuthV2Config, deps: PolicyDeps, operation: 'GenerateAccessToken' | 'RefreshAccessToken' = 'GenerateAccessToken'): StepFunction {
  const dialect = config.dialect;
  const supported = new Set<string>(operation === 'RefreshAccessToken' ? ['refresh_token'] : config.supportedGrantTypes);
  const expiresInMs = config.expiresIn === -1 ? null : config.expiresIn;
  if (config.refreshTokenExpiresIn === 0) throw new PolicyConfigError('refreshTokenExpiresIn: a refresh token must live more than 0 ms; use -1 for one that never expires (Apigee: InvalidValueForRefreshTokenExpiresIn).');
  const refreshExpiresInMs = config.refreshTokenExpiresIn === -1 ? null : config.refreshTokenExpiresIn;
  if (config.tokenFormat === 'jwt' && !deps.tokens.issuesJwt) {
    throw new PolicyConfigError('tokenFormat: JWT access tokens need signing keys, which are kept encrypted under the server secret; set GATEHOUSE_SECRET_KEY (with PostgreSQL it has no default) and restart.');
  }
  const format: AccessTokenFormat = config.tokenFormat === 'jwt' ? { kind: 'jwt', alg: config.algorithm } : { kind: 'opaque' };

  /** A flow variable when the config names one, else the form parameter. */
  const param = (context: FlowContext, form: URLSearchParams, variable: string | undefined, name: string): string | undefined => {
    const value = variable ? context.get(variable) : form.get(name);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };

  /** RFC 6749 §4.3: the resource owner's user name and password, checked against Gatehouse users. */
  async function passwordGrant(context: FlowContext, form: URLSearchParams, key: KeyRecord): Promise<void> {
    if (!key.app.allowPasswordGrant) {
      throw tokenError(dialect, 'unauthorized_client', `The app '${key.app.name}' may not use the password grant: set allowPasswordGrant: true on the app (management API or declarative file) to enable it.`);
    }
    const username = param(context, form, config.userName, 'username');
    if (username === undefined) throw tokenError(dialect, 'invalid_request', 'Required param : username');
    const password = param(context, form, config.passWord, 'password');
    if (password === undefined) throw tokenError(dialect, 'invalid_request', 'Required param : password');
    // One message for an unknown user, an inactive one, one without a password and a wrong password.
    const owner = await deps.tokens.authenticateUser(username, password);
    if (!owner) throw tokenError(dialect, 'invalid_grant', 'The user name or password is wrong.');
    const allowed = productScopes(key);
    const scope = grantScope(form.get('scope') ?? context.request.query.get('scope'), allowed);
    const products = key.products.map((p) => p.name);
    const pair = await deps.tokens.issueTokenPair({ key, products, scope, grantType: 'password', endUser: owner.email, expiresInMs, refreshExpiresInMs, format });
    if (context.caller) context.caller.scopes = scopeList(scope);
    respondWithTokens(context, dialect, key, pair.accessToken, pair.refreshToken);
  }

  /** RFC 6749 §6, with rotation and reuse detection. */
  async function refreshGrant(context: FlowContext, form: URLSearchParams, key: KeyRecord): Promise<void> {
    const presented = param(context, form, config.refreshToken, 'refresh_token');
    if (presented === undefined) throw tokenError(dialect, 'invalid_request', 'Required param : refresh_token');
    const grant = await deps.tokens.lookupRefreshToken(presented);
    if (!grant) throw tokenError(dialect, 'invalid_grant', 'Invalid Refresh Token');
    // RFC 6749 §10.4: a refresh token is bound to its client. Another client's attempt does not burn the family.
    if (grant.clientId !== key.clientId) throw tokenError(dialect, 'invalid_grant', 'Invalid Refresh Token: it was not issued to this client.');
    if (grant.revoked) {
      // A used refresh token comes back: either the client or an attacker holds a copy. Revoke the whole chain.
      await deps.tokens.revokeTokenFamily(grant.familyId);
      throw tokenError(dialect, 'invalid_grant', 'Invalid Refresh Token: it was already used or revoked, so every token of its grant is now revoked. Authenticate again.');
    }
    if (grant.expiresAt !== null && grant.expiresAt <= context.now()) throw tokenError(dialect, 'invalid_grant', 'Refresh Token expired');
    if (grant.endUser !== null && !(await deps.tokens.userIsActive(grant.endUser))) {
      throw tokenError(dialect, 'invalid_grant', 'The user this grant was issued to is no longer active.');
    }
    // RFC 6749 §6: the scope may narrow, never widen; absent = the scope of the grant.
    const granted = new Set(scopeList(grant.scope));
    const requestedParam = form.get('scope') ?? context.request.query.get('scope');
    const requested = requestedParam === null || requestedParam.trim() === '' ? [...granted] : scopeList(requestedParam);
    const wider = requested.filter((s) => !granted.has(s));
    if (wider.length > 0) {
      throw tokenError(dialect, 'invalid_scope', `The requested scope exceeds the scope of the grant: ${wider.join(' ')} (granted: ${grant.scope || 'none'}).`);
    }
    // What the app still holds now: a product or scope withdrawn since the grant is not renewed.
    const allowed = productScopes(key);
    const scope = requested.filter((s) => allowed.has(s)).join(' ');
    const held = new Set(key.products.map((p) => p.name));
    const products = grant.products.filter((p) => held.has(p));
    if (products.length === 0) throw tokenError(dialect, 'invalid_grant', 'None of the products this grant was issued for is still approved for the app.');
    const pair = await deps.tokens.rotateRefreshToken(presented, { products, scope, expiresInMs, refreshExpiresInMs, format });
    // Undefined: a concurrent refresh used the token first; the store call revoked the family.
    if (!pair) throw tokenError(dialect, 'invalid_grant', 'Invalid Refresh Token: it was already used or revoked, so every token of its grant is now revoked. Authenticate again.');
    if (context.caller) context.caller.scopes = scopeList(scope);
    respondWithTokens(context, dialect, key, pair.accessToken, pair.refreshToken);
  }

  return async function generateAccessTokenStep(context) {
    const form = await context.request.readForm();
    // Apigee reads grant_type from a configured variable; without one, from the form, then the query.
    const grantType = (config.grantType ? context.get(config.grantType) : (form.get('grant_type') ?? context.request.query.get('grant_type'))) ?? undefined;
    if (grantType === undefined || grantType === '') throw tokenError(dialect, 'invalid_request', 'Required param : grant_type');
    if (!supported.has(String(grantType))) {
      throw tokenError(
        dialect,
        'unsupported_grant_type',
        operation === 'RefreshAccessToken'
          ? `Unsupported grant type : ${String(grantType)}. This endpoint (RefreshAccessToken) accepts only refresh_token.`
          : `Unsupported grant type : ${String(grantType)}. This endpoint accepts ${[...supported].join(', ')}.`,
      );
    }
    // RFC 6749 §4.1.3, §6: a public client (method none) redeems its code and refreshes with its client_id alone.
    const { key } = await authenticateClient(context, form, dialect, deps, { allowNone: grantType === 'authorization_code' || grantType === 'refresh_token' });
    const clientId = key.clientId;
    if (key.products.length === 0) {
      throw tokenError(dialect, 'unauthorized_client', 'The app has no approved product; ask an admin to approve its subscription.');
    }
    context.caller = { clientId, appId: key.app.id, appName: key.app.name, developerId: key.developer.id, developerEmail: key.developer.email };
    if (grantType === 'authorization_code') {
      const pair = await redeemAuthorizationCode(context, form, key, deps, { dialect, expiresInMs, refreshExpiresInMs, format });
      context.caller.scopes = scopeList(pair.accessToken.scope);
      return respondWithTokens(context, dialect, key, pair.accessToken, pair.refreshToken);
    }
    if (grantType === 'password') return passwordGrant(context, form, key);
    if (grantType === 'refresh_token') return refreshGrant(context, form, key);
    const allowed = productScopes(key);
    const scope = grantScope(form.get('scope') ?? context.request.query.get('scope'), allowed);
    const products = key.products.map((p) => p.name);
    const issued = await deps.tokens.issueAccessToken({ key, products, scope, grantType: 'client_credentials', expiresInMs, format });
    context.caller.scopes = scopeList(scope);
    respondWithTokens(context, dialect, key, issued, undefined);
  };
}
