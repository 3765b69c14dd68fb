// The token endpoint's side of the authorization code grant (RFC 6749 §4.1.3, PKCE RFC 7636 §4.5–4.6): the code is
// checked against the client, the redirect URI and the code verifier, then exchanged once for an access token and a
// refresh token. A code presented again revokes what it was exchanged for (§4.1.2).
import { CODE_VERIFIER, verifierMatches } from '../../oauth/authorization-requests.ts';
import type { AccessTokenFormat, FlowContext, IssuedTokenPair, KeyRecord, PolicyDeps } from '../policy.ts';
import { tokenError, type Dialect } from './errors.ts';
import { productScopes } from './scopes.ts';

export interface CodeGrantOptions {
  readonly dialect: Dialect;
  readonly expiresInMs: number | null;
  readonly refreshExpiresInMs: number | null;
  readonly format: AccessTokenFormat;
}

/** Exchanges the code in the form for a token pair, or throws the RFC 6749 §5.2 error that says why not. */
export async function redeemAuthorizationCode(context: FlowContext, form: URLSearchParams, key: KeyRecord, deps: PolicyDeps, options: CodeGrantOptions): Promise<IssuedTokenPair> {
  const { dialect } = options;
  const codes = deps.authorization?.codes;
  if (!codes) throw tokenError(dialect, 'unsupported_grant_type', 'The authorization code grant is not available on this gateway.');
  const presented = form.get('code');
  if (!presented) throw tokenError(dialect, 'invalid_request', 'Required param : code');
  const code = await codes.lookup(presented);
  if (!code) throw tokenError(dialect, 'invalid_grant', 'Invalid authorization code.');
  // §4.1.3: the code must have been issued to this client; another client's attempt does not burn it.
  if (code.clientId !== key.clientId || code.appId !== key.app.id) throw tokenError(dialect, 'invalid_grant', 'Invalid authorization code: it was not issued to this client.');
  if (code.used) {
    await codes.revokeIssued(code);
    throw tokenError(dialect, 'invalid_grant', 'Invalid authorization code: it was already used, so every token issued for it is now revoked.');
  }
  if (code.expiresAt <= context.now()) throw tokenError(dialect, 'invalid_grant', 'The authorization code expired; start the sign-in again.');
  // §4.1.3: the redirect URI must be the one of the authorization request, when that request named one.
  const redirectUri = form.get('redirect_uri');
  if (code.redirectUriGiven ? redirectUri !== code.redirectUri : redirectUri !== null && redirectUri !== code.redirectUri) {
    throw tokenError(dialect, 'invalid_grant', 'redirect_uri does not match the one of the authorization request.');
  }
  const verifier = form.get('code_verifier');
  if (code.codeChallenge !== undefined) {
    if (verifier === null) throw tokenError(dialect, 'invalid_grant', 'Required param : code_verifier (the authorization request had a code_challenge).');
    if (!CODE_VERIFIER.test(verifier) || !verifierMatches(verifier, code.codeChallenge)) throw tokenError(dialect, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
  } else if (verifier !== null) {
    // A verifier for a code issued without a challenge: a PKCE downgrade attempt (Security BCP §2.1.1).
    throw tokenError(dialect, 'invalid_grant', 'code_verifier sent, but the authorization request had no code_challenge.');
  }
  if (!(await deps.tokens.userIsActive(code.endUser))) throw tokenError(dialect, 'invalid_grant', 'The user who granted access is no longer active.');
  // What the app still holds now: a product withdrawn since the consent is not granted.
  const held = new Set(key.products.map((p) => p.name));
  const products = code.products.filter((p) => held.has(p));
  if (products.length === 0) throw tokenError(dialect, 'invalid_grant', 'None of the products this code was issued for is still approved for the app.');
  const allowed = productScopes(key);
  const scope = code.scope === '' ? '' : code.scope.split(' ').filter((s) => allowed.has(s)).join(' ');
  const pair = await codes.redeem(code, { key, products, scope, expiresInMs: options.expiresInMs, refreshExpiresInMs: options.refreshExpiresInMs, format: options.format });
  if (!pair) throw tokenError(dialect, 'invalid_grant', 'Invalid authorization code: it was already used, so every token issued for it is now revoked.');
  return pair;
}
