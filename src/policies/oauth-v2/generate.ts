// GenerateAccessToken: the token endpoint (RFC 6749 §4.4 client credentials), in the RFC or the Apigee dialect.
import { keyRefusal } from '../key-refusal.ts';
import { secretMatches } from '../../util/secrets.ts';
import type { FlowContext, PolicyDeps, StepFunction } from '../policy.ts';
import type { OAuthV2Config } from './config.ts';
import { tokenError, type Dialect } from './errors.ts';

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 §2.3.1: HTTP Basic (id and secret form-encoded first), or `client_id` + `client_secret` in the body. */
function clientCredentials(context: FlowContext, form: URLSearchParams, dialect: Dialect): ClientCredentials {
  const header = context.request.header('authorization');
  const inForm = form.get('client_id') !== null || form.get('client_secret') !== null;
  if (header && /^basic\s+/i.test(header)) {
    if (inForm) throw tokenError(dialect, 'invalid_request', 'Send the client credentials either in the Authorization header or in the body, not both.');
    const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw tokenError(dialect, 'invalid_client', 'The Basic credentials are not client_id:client_secret.', 401);
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return part;
      }
    };
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (!clientId || !clientSecret) {
    throw tokenError(dialect, 'invalid_client', 'Client authentication is required: HTTP Basic with the client id and secret, or client_id and client_secret in the form body.', 401);
  }
  return { clientId, clientSecret };
}

function grantScope(requested: string | null, allowed: ReadonlySet<string>): string {
  // Apigee: no scope asked for = every scope of the products; asked for = the ones the products allow
  // (possibly none, which is not an error).
  if (requested === null || requested.trim() === '') return [...allowed].join(' ');
  return [...new Set(requested.trim().split(/\s+/))].filter((s) => allowed.has(s)).join(' ');
}

export function generateAccessToken(config: OAuthV2Config, deps: PolicyDeps): StepFunction {
  const dialect = config.dialect;
  const supported = new Set<string>(config.supportedGrantTypes);
  const expiresInMs = config.expiresIn === -1 ? null : config.expiresIn;
  return async function generateAccessTokenStep(context) {
    const form = await context.request.readForm();
    // Apigee reads grant_type from a configured variable; without one, from the form, then the query.
    const grantType = (config.grantType ? context.get(config.grantType) : (form.get('grant_type') ?? context.request.query.get('grant_type'))) ?? undefined;
    if (grantType === undefined || grantType === '') throw tokenError(dialect, 'invalid_request', 'Required param : grant_type');
    if (!supported.has(String(grantType))) {
      throw tokenError(dialect, 'unsupported_grant_type', `Unsupported grant type : ${String(grantType)}. This endpoint accepts ${[...supported].join(', ')}.`);
    }
    if (grantType !== 'client_credentials') {
      throw tokenError(dialect, 'unsupported_grant_type', `Grant type ${String(grantType)} is not available yet on this endpoint; use client_credentials.`);
    }
    const { clientId, clientSecret } = clientCredentials(context, form, dialect);
    const key = await deps.keys.find(clientId);
    if (!key || !secretMatches(clientSecret, key.secretHash)) throw tokenError(dialect, 'invalid_client', 'ClientId is Invalid: client authentication failed.', 401);
    const refusal = keyRefusal(key, context.now());
    if (refusal) throw tokenError(dialect, 'invalid_client', `Client authentication failed: ${refusal}.`, 401);
    if (key.products.length === 0) {
      throw tokenError(dialect, 'unauthorized_client', 'The app has no approved product; ask an admin to approve its subscription.');
    }
    const allowed = new Set(key.products.flatMap((p) => p.scopes));
    const scope = grantScope(form.get('scope') ?? context.request.query.get('scope'), allowed);
    const products = key.products.map((p) => p.name);
    const issued = await deps.tokens.issueAccessToken({ key, products, scope, grantType: 'client_credentials', expiresInMs });
    context.caller = { clientId, appId: key.app.id, appName: key.app.name, developerId: key.developer.id, developerEmail: key.developer.email, scopes: scope ? scope.split(' ') : [] };
    const expiresIn = issued.expiresAt === null ? -1 : Math.max(0, Math.floor((issued.expiresAt - issued.issuedAt) / 1000));
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (dialect === 'apigee') {
      // Edge/SAP shape (apigee-model.md §2.4): every value a string; `expires_in` one second short, as observed.
      context.respond(
        200,
        {
          issued_at: String(issued.issuedAt),
          application_name: key.app.id,
          scope,
          status: 'approved',
          api_product_list: `[${products.join(', ')}]`,
          api_product_list_json: products,
          expires_in: String(expiresIn === -1 ? -1 : Math.max(0, expiresIn - 1)),
          'developer.email': key.developer.email,
          token_type: 'BearerToken',
          client_id: clientId,
          access_token: issued.token,
          refresh_token_expires_in: '0',
          refresh_count: '0',
        },
        headers,
      );
    } else {
      // RFC 6749 §5.1; §4.4.3: no refresh token for client_credentials.
      context.respond(200, { access_token: issued.token, token_type: 'Bearer', expires_in: expiresIn, ...(scope ? { scope } : {}) }, headers);
    }
  };
}
