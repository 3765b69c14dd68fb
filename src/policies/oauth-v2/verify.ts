// VerifyAccessToken: the bearer token must be live, its app in good standing, and one of its products must cover
// this API, path and method (Apigee's strict rule, apigee-model.md §2.6). Sets the flow variables of §2.7.
import { keyRefusal } from '../key-refusal.ts';
import { callerLayer } from '../caller-variables.ts';
import { coveringProduct } from '../product-match.ts';
import type { Caller, FlowContext, KeyRecord, PolicyDeps, ProductGrant, StepFunction, TokenInfo, VariableLayer, VariableValue } from '../policy.ts';
import type { OAuthV2Config } from './config.ts';
import { bearerFault } from './errors.ts';
import { isPromise } from '../../util/maybe-promise.ts';

/**
 * The token after `<scheme> ` in the Authorization header, trimmed; `scheme` is lower case with its space, and the
 * header's may be in any case (RFC 9110 §11.1).
 */
function presentedToken(context: FlowContext, config: OAuthV2Config, scheme: string): string | undefined {
  if (config.accessToken) {
    const value = context.get(config.accessToken);
    return value === undefined || value === '' ? undefined : String(value);
  }
  const header = context.request.header('authorization');
  if (!header || !startsWithLowerCased(header, scheme)) return undefined;
  const token = header.slice(scheme.length).trim();
  return token === '' ? undefined : token;
}

/** Whether `text` starts with `prefix` (lower case) once its ASCII letters are: in place, not a lower-cased copy of the token per call. */
function startsWithLowerCased(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

const invalid = (message: string, apigeeCode: string, faultName: string, code = 'oauth.invalid_token') =>
  bearerFault({ error: 'invalid_token', faultName, apigeeCode, code, status: 401, message });

/** The token's own variables but `expires_in` (which changes as time passes), made once per looked-up token. */
const tokenLayers = new WeakMap<TokenInfo, { token: string; layer: VariableLayer }>();

function tokenLayer(token: string, info: TokenInfo): VariableLayer {
  const made = tokenLayers.get(info);
  if (made && made.token === token) return made.layer;
  const layer = new Map<string, VariableValue>();
  for (const [name, value] of Object.entries(info.attributes)) layer.set(`accesstoken.${name}`, value);
  layer.set('access_token', token);
  layer.set('token_type', 'BearerToken');
  // The grant that started the token's chain: a refreshed password-grant token still says `password`.
  layer.set('grant_type', info.grantType);
  // The resource owner of a password-grant token (its user's email), under the name Apigee's token profile uses.
  if (info.endUser !== null) layer.set('app_enduser', info.endUser);
  layer.set('scope', info.scope);
  layer.set('issued_at', info.issuedAt);
  layer.set('status', 'approved');
  tokenLayers.set(info, { token, layer });
  return layer;
}

/**
 * What a token and its credential make of every call with them: the credential's products the token was granted, and
 * the caller per covering product. Made once per token and credential record (both cached objects, made afresh on
 * any change), so a warm call allocates neither.
 */
interface TokenGrant {
  key: KeyRecord;
  live: ProductGrant[];
  callers: Map<ProductGrant, Caller>;
}

const grants = new WeakMap<TokenInfo, TokenGrant>();

function grantOf(info: TokenInfo, key: KeyRecord): TokenGrant {
  const made = grants.get(info);
  if (made && made.key === key) return made;
  const granted = new Set(info.products);
  const grant = { key, live: key.products.filter((p) => granted.has(p.name)), callers: new Map<ProductGrant, Caller>() };
  grants.set(info, grant);
  return grant;
}

function callerOf(grant: TokenGrant, info: TokenInfo, product: ProductGrant): Caller {
  let caller = grant.callers.get(product);
  if (!caller) {
    const key = grant.key;
    // Frozen: every call with this token shares it, so a step that changed it would change it for the next calls.
    const scopes = Object.freeze(info.scope ? info.scope.split(' ') : []);
    caller = Object.freeze({ clientId: key.clientId, appId: key.app.id, appName: key.app.name, developerId: key.developer.id, developerEmail: key.developer.email, product: product.name, scopes });
    grant.callers.set(product, caller);
  }
  return caller;
}

/** Apigee's variables (§2.7). Lookups cache the token's info and keys cache the credential, so both layers are reused. */
function setVariables(context: FlowContext, token: string, info: TokenInfo, key: KeyRecord, product: ProductGrant): void {
  context.setAll(callerLayer(key, product));
  context.setAll(tokenLayer(token, info));
  context.setAll(new ExpiresIn(info.expiresAt === null ? -1 : Math.max(0, Math.floor((info.expiresAt - context.now()) / 1000))));
}

const EXPIRES_IN = ['expires_in'] as const;

/** `expires_in` of one call (seconds left, -1 for never): a layer of one, so a verified call needs no map of its own. */
class ExpiresIn implements VariableLayer {
  readonly #seconds: number;

  constructor(seconds: number) {
    this.#seconds = seconds;
  }

  has(name: string): boolean {
    return name === 'expires_in';
  }

  get(name: string): VariableValue {
    return name === 'expires_in' ? this.#seconds : undefined;
  }

  keys(): Iterable<string> {
    return EXPIRES_IN;
  }
}

export function verifyAccessToken(config: OAuthV2Config, deps: PolicyDeps): StepFunction {
  const required = config.scope ? config.scope.trim().split(/\s+/) : [];
  const scheme = `${config.accessTokenPrefix.toLowerCase()} `;

  /** The token is known: is it live, and is its credential? */
  function withToken(context: FlowContext, token: string, info: TokenInfo | undefined): void | Promise<void> {
    if (!info) throw invalid('Invalid Access Token', 'keymanagement.service.invalid_access_token', 'invalid_access_token');
    if (info.revoked) throw invalid('Access Token not approved: it was revoked.', 'keymanagement.service.access_token_not_approved', 'access_token_not_approved');
    if (info.expiresAt !== null && info.expiresAt <= context.now()) throw invalid('Access Token expired', 'keymanagement.service.access_token_expired', 'access_token_expired', 'oauth.token_expired');
    const key = deps.keys.find(info.clientId);
    return isPromise(key) ? key.then((found) => withKey(context, token, info, found)) : withKey(context, token, info, key);
  }

  /** The credential is known: is it in good standing, and does one of the token's products cover this call? */
  function withKey(context: FlowContext, token: string, info: TokenInfo, key: KeyRecord | undefined): void {
    const refusal = !key ? 'the credential no longer exists' : key.app.id !== info.appId ? 'the credential now belongs to another app' : keyRefusal(key, context.now());
    if (!key || refusal) {
      throw invalid(`Access Token not approved: ${refusal}.`, 'keymanagement.service.invalid_client-client_id_not_approved', 'access_token_not_approved');
    }
    // The token's products that the credential still holds, approved, now: revoking a subscription stops its tokens.
    const grant = grantOf(info, key);
    const product = coveringProduct(grant.live, context.api.name, context.request.pathSuffix, context.request.method);
    if (!product) {
      throw invalid(
        `Invalid API call as no apiproduct match found: none of the token's products (${info.products.join(', ') || 'none'}) covers ${context.request.method} ${context.api.name}${context.request.pathSuffix}.`,
        'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
        'InvalidAPICallAsNoApiProductMatchFound',
        'oauth.no_product_match',
      );
    }
    if (required.length > 0) {
      const held = new Set(info.scope.split(' '));
      if (!required.some((s) => held.has(s))) {
        throw bearerFault({ error: 'insufficient_scope', faultName: 'InsufficientScope', apigeeCode: 'steps.oauth.v2.InsufficientScope', code: 'oauth.insufficient_scope', status: 403, message: `Insufficient scope: this call needs one of ${required.join(', ')}.`, scope: required.join(' ') });
      }
    }
    setVariables(context, token, info, key, product);
    context.caller = callerOf(grant, info, product);
  }

  // Not async: a warm call (token and credential in memory) is checked in the same turn, without a promise.
  return function verifyAccessTokenStep(context) {
    const token = presentedToken(context, config, scheme);
    if (!token) {
      throw bearerFault({ error: 'invalid_request', faultName: 'InvalidAccessToken', apigeeCode: 'oauth.v2.InvalidAccessToken', code: 'oauth.missing_token', status: 401, message: `Invalid access token: send Authorization: ${config.accessTokenPrefix} <token>.` });
    }
    const info = deps.tokens.lookupAccessToken(token);
    return isPromise(info) ? info.then((found) => withToken(context, token, found)) : withToken(context, token, info);
  };
}
