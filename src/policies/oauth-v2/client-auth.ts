// Client authentication at the token, revocation and introspection endpoints, by the method the app registered:
// `client_secret` (RFC 6749 §2.3.1: HTTP Basic with the client id and secret, each form-encoded first, or client_id and
// client_secret in the form body), `private_key_jwt` (RFC 7523 §2.2: a signed client_assertion), or `none` (a public
// client: client_id in the form, nothing else), where the endpoint accepts public clients. One method per request.
import { assertedClientId, CLIENT_ASSERTION_TYPE } from '../../oauth/client-assertion.ts';
import { constantTimeEqual, secretMatches } from '../../util/secrets.ts';
import { keyRefusal } from '../key-refusal.ts';
import type { FlowContext, KeyRecord, PolicyDeps } from '../policy.ts';
import { tokenError, type Dialect } from './errors.ts';

/** How a client authenticated (the names of OAuth's `token_endpoint_auth_method` values). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface AuthenticatedClient {
  readonly key: KeyRecord;
  readonly method: ClientAuthMethod;
}

export interface ClientAuthOptions {
  /**
   * Whether a public client (registered method `none`) may call here with its client_id alone: RFC 7009 revocation
   * and the authorization code grant, yes; client credentials and introspection, no. Default false.
   */
  allowNone?: boolean;
}

type Presented =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'private_key_jwt'; clientId: string | undefined; assertion: string }
  | { method: 'none'; clientId: string };

const REQUIRED =
  'Client authentication is required: HTTP Basic with the client id and secret, client_id and client_secret in the form body, or client_assertion_type and client_assertion (private_key_jwt).';

/** One form parameter, refused when sent more than once (RFC 6749 §3.2). */
function single(form: URLSearchParams, name: string, dialect: Dialect): string | null {
  const values = form.getAll(name);
  if (values.length > 1) throw tokenError(dialect, 'invalid_request', `The parameter ${name} is sent more than once.`);
  return values[0] ?? null;
}

/** What the request presents, checked for shape only: nothing is looked up yet. */
function presented(context: FlowContext, form: URLSearchParams, dialect: Dialect): Presented {
  const header = context.request.header('authorization');
  const basic = header !== undefined && /^basic\s+/i.test(header);
  const clientId = single(form, 'client_id', dialect);
  const clientSecret = single(form, 'client_secret', dialect);
  const assertionType = single(form, 'client_assertion_type', dialect);
  const assertion = single(form, 'client_assertion', dialect);

  if (assertionType !== null || assertion !== null) {
    // RFC 7521 §4.2.1: more than one authentication mechanism with an assertion is invalid_client.
    if (basic || clientSecret !== null) throw tokenError(dialect, 'invalid_client', 'Send either a client_assertion or a client secret (HTTP Basic or client_secret), not both.', 401);
    if (assertionType === null || assertion === null || assertion === '') throw tokenError(dialect, 'invalid_request', 'Send client_assertion_type and client_assertion together (RFC 7521 §4.2).');
    if (assertionType !== CLIENT_ASSERTION_TYPE) throw tokenError(dialect, 'invalid_client', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE} (RFC 7523 §2.2).`, 401);
    return { method: 'private_key_jwt', clientId: clientId ?? undefined, assertion };
  }
  if (basic) {
    if (clientId !== null || clientSecret !== null) throw tokenError(dialect, 'invalid_request', 'Send the client credentials either in the Authorization header or in the body, not both.');
    const decoded = Buffer.from((header ?? '').replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw tokenError(dialect, 'invalid_client', 'The Basic credentials are not client_id:client_secret.', 401);
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return part;
      }
    };
    return { method: 'client_secret_basic', clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  }
  if (clientId && clientSecret) return { method: 'client_secret_post', clientId, clientSecret };
  if (clientId && clientSecret === null) return { method: 'none', clientId };
  throw tokenError(dialect, 'invalid_client', REQUIRED, 401);
}

const METHOD_NAMES: Record<KeyRecord['app']['tokenEndpointAuthMethod'], string> = {
  client_secret: 'its client id and secret',
  private_key_jwt: 'private_key_jwt (a client_assertion signed with its registered key, RFC 7523)',
  none: 'its client_id alone (a public client, which has no secret)',
};

/**
 * The secret that last matched each cached credential. A client sends the same secret on every token request, and the
 * SHA-256 behind secretMatches was the largest piece of a token request after the store write (bench --cpu-prof); a
 * constant-time comparison with the secret that matched before costs a fraction of it. A credential whose secret,
 * app or products change is a new key record (the key cache drops the old one), so its entry goes with it. The
 * secret is in this process's memory while the request is anyway.
 */
const matchedSecrets = new WeakMap<KeyRecord, string>();

function clientSecretMatches(key: KeyRecord, secret: string): boolean {
  const matched = matchedSecrets.get(key);
  if (matched !== undefined && constantTimeEqual(matched, secret)) return true;
  if (!secretMatches(secret, key.secretHash)) return false;
  matchedSecrets.set(key, secret);
  return true;
}

/**
 * The credential of an authenticated client in good standing and how it authenticated, or an RFC 6749 §5.2 fault:
 * `invalid_client` (401, with a `WWW-Authenticate` challenge) or `invalid_request` for a malformed request. A client
 * must use the method its app registered; a wrong secret, an unknown client and a bad assertion all get 401.
 */
export async function authenticateClient(
  context: FlowContext,
  form: URLSearchParams,
  dialect: Dialect,
  deps: Pick<PolicyDeps, 'keys' | 'clientAssertions'>,
  options: ClientAuthOptions = {},
): Promise<AuthenticatedClient> {
  const given = presented(context, form, dialect);
  const failed = () => tokenError(dialect, 'invalid_client', 'ClientId is Invalid: client authentication failed.', 401);
  let key: KeyRecord | undefined;

  if (given.method === 'private_key_jwt') {
    // RFC 7523 §3: the client is the assertion's sub; client_id in the form is optional and, if sent, must be it too.
    const clientId = given.clientId ?? assertedClientId(given.assertion);
    if (clientId === undefined) throw tokenError(dialect, 'invalid_client', 'The client_assertion is not a JWT whose sub is the client id.', 401);
    key = await deps.keys.find(clientId);
    if (!key) throw failed();
    const registered = key.app.tokenEndpointAuthMethod;
    if (registered !== 'private_key_jwt') throw tokenError(dialect, 'invalid_client', `Client authentication failed: this client authenticates with ${METHOD_NAMES[registered]}, not a client_assertion.`, 401);
    if (!deps.clientAssertions) throw tokenError(dialect, 'invalid_client', 'Client authentication failed: this gateway cannot check client assertions.', 401);
    const checked = await deps.clientAssertions.verify(given.assertion, key, { endpointPath: context.request.path, now: context.now() });
    if (!checked.ok) throw tokenError(dialect, 'invalid_client', `Client authentication failed: ${checked.message}`, 401);
  } else if (given.method === 'none') {
    key = await deps.keys.find(given.clientId);
    // A confidential client that sent only its id has not authenticated; an unknown one gets the same answer.
    if (!key || key.app.tokenEndpointAuthMethod !== 'none') throw tokenError(dialect, 'invalid_client', REQUIRED, 401);
    if (!options.allowNone) {
      throw tokenError(dialect, 'invalid_client', 'Client authentication failed: this client is a public client (token endpoint auth method none), and this request needs a confidential client that authenticates.', 401);
    }
  } else {
    key = await deps.keys.find(given.clientId);
    if (!key || !clientSecretMatches(key, given.clientSecret)) throw failed();
    const registered = key.app.tokenEndpointAuthMethod;
    // The app chose another method: its secret (every credential has one) is not accepted in its place.
    if (registered !== 'client_secret') throw tokenError(dialect, 'invalid_client', `Client authentication failed: this client authenticates with ${METHOD_NAMES[registered]}; its client secret is not accepted.`, 401);
  }

  const refusal = keyRefusal(key, context.now());
  if (refusal) throw tokenError(dialect, 'invalid_client', `Client authentication failed: ${refusal}.`, 401);
  return { key, method: given.method };
}
