// Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3.1): HTTP Basic with the
// client id and secret (each form-encoded first), or client_id and client_secret in the form body, never both.
import { secretMatches } from '../../util/secrets.ts';
import { keyRefusal } from '../key-refusal.ts';
import type { FlowContext, KeyRecord, PolicyDeps } from '../policy.ts';
import { tokenError, type Dialect } from './errors.ts';

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

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

/** The credential of an authenticated client in good standing, or an RFC 6749 §5.2 `invalid_client` fault (401). */
export async function authenticateClient(context: FlowContext, form: URLSearchParams, dialect: Dialect, deps: Pick<PolicyDeps, 'keys'>): Promise<KeyRecord> {
  const { clientId, clientSecret } = clientCredentials(context, form, dialect);
  const key = await deps.keys.find(clientId);
  if (!key || !secretMatches(clientSecret, key.secretHash)) throw tokenError(dialect, 'invalid_client', 'ClientId is Invalid: client authentication failed.', 401);
  const refusal = keyRefusal(key, context.now());
  if (refusal) throw tokenError(dialect, 'invalid_client', `Client authentication failed: ${refusal}.`, 401);
  return key;
}
