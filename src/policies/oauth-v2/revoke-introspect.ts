// The RFC endpoints beside the token endpoint: revocation (RFC 7009) and introspection (RFC 7662), both behind client
// authentication. A client may revoke only its own tokens; it learns about others' only where the step allows it.
import { keyRefusal } from '../key-refusal.ts';
import type { FlowContext, PolicyDeps, StepFunction, TokenInfo } from '../policy.ts';
import { authenticateClient } from './client-auth.ts';
import type { OAuthV2Config } from './config.ts';
import { tokenError } from './errors.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

type Found = { kind: 'access'; info: TokenInfo } | { kind: 'refresh'; info: TokenInfo; familyId: string };

/** The token, looked up as the hint says first (RFC 7009 §2.1, RFC 7662 §2.1: a wrong hint only costs a second look). */
async function findToken(deps: PolicyDeps, token: string, hint: string | null): Promise<Found | undefined> {
  const asAccess = async (): Promise<Found | undefined> => {
    const info = await deps.tokens.lookupAccessToken(token);
    return info && { kind: 'access', info };
  };
  const asRefresh = async (): Promise<Found | undefined> => {
    const info = await deps.tokens.lookupRefreshToken(token);
    return info && { kind: 'refresh', info, familyId: info.familyId };
  };
  return hint === 'refresh_token' ? ((await asRefresh()) ?? (await asAccess())) : ((await asAccess()) ?? (await asRefresh()));
}

/** Client authentication first, then the `token` parameter both endpoints require. */
async function clientAndToken(context: FlowContext, deps: PolicyDeps, allowNone: boolean) {
  const form = await context.request.readForm();
  const { key: client } = await authenticateClient(context, form, 'rfc6749', deps, { allowNone });
  const token = form.get('token');
  if (!token) throw tokenError('rfc6749', 'invalid_request', 'Required param : token');
  return { client, token, hint: form.get('token_type_hint') };
}

/** RFC 7009: answers 200 whether or not there was anything to revoke, so the answer says nothing about the token. */
export function revokeToken(_config: OAuthV2Config, deps: PolicyDeps): StepFunction {
  return async function revokeTokenStep(context) {
    // RFC 7009 §2.1: a public client revokes its own tokens with its client_id alone.
    const { client, token, hint } = await clientAndToken(context, deps, true);
    const found = await findToken(deps, token, hint);
    // §2.1: only the client the token was issued to may revoke it; another client's attempt changes nothing.
    if (found && found.info.clientId === client.clientId) {
      // §2.1: revoking a refresh token also revokes the access tokens of the same grant.
      if (found.kind === 'refresh') await deps.tokens.revokeTokenFamily(found.familyId);
      else await deps.tokens.revokeAccessToken(token);
    }
    context.respond(200, {}, NO_STORE);
  };
}

/** RFC 7662: `active` and, for an active token, what it is for; nothing at all about an inactive one (§2.2). */
export function introspectToken(config: OAuthV2Config, deps: PolicyDeps): StepFunction {
  return async function introspectTokenStep(context) {
    // RFC 7662 §2.1: the caller (a resource server) must authenticate; a public client cannot.
    const { client, token, hint } = await clientAndToken(context, deps, false);
    const found = await findToken(deps, token, hint);
    const inactive = () => context.respond(200, { active: false }, NO_STORE);
    if (!found) return inactive();
    const { info } = found;
    if (info.clientId !== client.clientId && !config.introspectAnyClient) return inactive();
    const now = context.now();
    if (info.revoked || (info.expiresAt !== null && info.expiresAt <= now)) return inactive();
    // A token whose credential, app or developer is no longer in good standing is not accepted anywhere, so not active.
    const key = await deps.keys.find(info.clientId);
    if (!key || key.app.id !== info.appId || keyRefusal(key, now)) return inactive();
    const seconds = (ms: number) => Math.floor(ms / 1000);
    context.respond(
      200,
      {
        active: true,
        ...(info.scope ? { scope: info.scope } : {}),
        client_id: info.clientId,
        ...(info.endUser !== null ? { username: info.endUser } : {}),
        ...(found.kind === 'access' ? { token_type: 'Bearer' } : {}),
        ...(info.expiresAt !== null ? { exp: seconds(info.expiresAt) } : {}),
        iat: seconds(info.issuedAt),
        sub: info.endUser ?? info.clientId,
        products: [...info.products],
      },
      NO_STORE,
    );
  };
}
