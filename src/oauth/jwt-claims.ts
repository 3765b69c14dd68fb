// The claims of a JWT access token (RFC 9068 §2.2) and back: what a token carries so that verifying it needs no
// store read (client, app, products, scope, grant, end user, times), under the registered names where there are some.
import type { TokenInfo } from '../policies/policy.ts';

export interface AccessTokenClaims {
  iss: string;
  /** RFC 9068 §3: the resource the token is for; Gatehouse's gateway, i.e. the issuer, unless configured otherwise. */
  aud: string;
  /** The resource owner (the end user's email), or the client id when the client acts for itself (§2.2). */
  sub: string;
  client_id: string;
  iat: number;
  exp?: number;
  jti: string;
  scope?: string;
  /** Gatehouse: the grant type that started the token's chain. */
  gty: string;
  /** Gatehouse: the app the token was issued to (its id). */
  app_id: string;
  /** Gatehouse: the products the token may be used with. */
  products: string[];
  /** Gatehouse: the end user, when there is one (sub is the client id otherwise). */
  end_user?: string;
  /** Gatehouse: the grant chain (refresh family) the token belongs to; revoking the chain refuses it. */
  fam?: string;
}

export interface ClaimsInput {
  issuer: string;
  audience: string;
  jti: string;
  clientId: string;
  appId: string;
  products: readonly string[];
  scope: string;
  grantType: string;
  endUser: string | null;
  issuedAt: number;
  expiresAt: number | null;
  familyId: string | null;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function accessTokenClaims(input: ClaimsInput): AccessTokenClaims {
  return {
    iss: input.issuer,
    aud: input.audience,
    sub: input.endUser ?? input.clientId,
    client_id: input.clientId,
    iat: seconds(input.issuedAt),
    ...(input.expiresAt === null ? {} : { exp: seconds(input.expiresAt) }),
    jti: input.jti,
    ...(input.scope ? { scope: input.scope } : {}),
    gty: input.grantType,
    app_id: input.appId,
    products: [...input.products],
    ...(input.endUser === null ? {} : { end_user: input.endUser }),
    ...(input.familyId === null ? {} : { fam: input.familyId }),
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Reads verified claims back into what the verify step needs, or undefined when they do not come from Gatehouse's
 * issuer and audience or lack a required claim. Expiry and revocation are judged by the caller.
 */
export function tokenInfoFromClaims(claims: Record<string, unknown>, expected: { issuer: string; audience: string }): (TokenInfo & { jti: string; familyId: string | null }) | undefined {
  const { iss, aud, client_id, iat, exp, jti, scope, gty, app_id, products, end_user, fam } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (iss !== expected.issuer || !audiences.includes(expected.audience)) return undefined;
  if (!isString(client_id) || !isSeconds(iat) || !isString(jti) || !isString(gty) || !isString(app_id)) return undefined;
  if (exp !== undefined && !isSeconds(exp)) return undefined;
  if (!Array.isArray(products) || !products.every(isString)) return undefined;
  if ((scope !== undefined && !isString(scope)) || (end_user !== undefined && !isString(end_user)) || (fam !== undefined && !isString(fam))) return undefined;
  return {
    jti,
    familyId: fam ?? null,
    clientId: client_id,
    appId: app_id,
    products,
    scope: scope ?? '',
    grantType: gty,
    endUser: end_user ?? null,
    issuedAt: iat * 1000,
    expiresAt: exp === undefined ? null : exp * 1000,
    revoked: false,
    attributes: {},
  };
}
