// The login and consent page's API (authorization code grant): what an authorization request asks for, and the
// signed-in user's answer, which goes back to the gateway's authorization endpoint as a consent ticket.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatehouseError } from '../../errors.ts';
import { AuthorizationDecision, AuthorizationPrompt, AuthorizationQuery, AuthorizationRedirect } from '../../model/hub.ts';
import type { AuthorizationRequest, AuthorizationSeals } from '../../oauth/authorization-requests.ts';
import { actorOf } from '../access.ts';
import { errorResponses, type HubContext } from '../context.ts';

const tags = ['authorization'];

function openRequest(seals: AuthorizationSeals, handle: string): AuthorizationRequest {
  const opened = seals.openRequest(handle);
  if (!opened) throw new GatehouseError('hub.authorization_request_invalid', 'This sign-in link is not valid. Go back to the app and start again.');
  if (opened.expired) throw new GatehouseError('hub.authorization_request_expired', 'This sign-in link expired (they last 10 minutes). Go back to the app and start again.');
  return opened.request;
}

export function authorizationRoutes(context: HubContext): FastifyPluginAsyncTypebox {
  const { store } = context.deps;
  return async function registerAuthorizationRoutes(app) {
    const seals = (): AuthorizationSeals => {
      if (!context.seals) throw new GatehouseError('internal', 'The authorization code grant is not wired to this hub.');
      return context.seals;
    };

    app.get(
      '/authorization',
      {
        config: { hub: 'public' },
        schema: {
          tags,
          summary: 'What an authorization request asks for',
          description: 'Opens the sealed request the authorization endpoint sent the browser here with, and says which app asks for what, for the consent page.',
          querystring: AuthorizationQuery,
          response: { 200: AuthorizationPrompt, ...errorResponses },
        },
      },
      async function authorizationPromptRoute(request): Promise<AuthorizationPrompt> {
        const authorization = openRequest(seals(), request.query.request);
        const credential = await store.credentials.getByClientId(authorization.clientId);
        const appRecord = credential && (await store.apps.getById(credential.appId));
        const developer = appRecord && (await store.developers.getById(appRecord.developerId));
        if (!credential || !appRecord || !developer) throw new GatehouseError('hub.authorization_request_invalid', 'The app of this sign-in link no longer exists.');
        const products: AuthorizationPrompt['products'] = [];
        for (const subscription of credential.products) {
          if (subscription.status !== 'approved') continue;
          const product = await store.products.get(subscription.name);
          if (product) products.push({ name: product.spec.name, displayName: product.spec.displayName ?? product.spec.name });
        }
        const developerName = `${developer.spec.firstName} ${developer.spec.lastName}`.trim() || developer.email;
        return {
          app: { name: appRecord.name, displayName: appRecord.spec.displayName ?? appRecord.name, developer: developerName },
          products,
          scopes: authorization.scope === '' ? [] : authorization.scope.split(' '),
          redirectOrigin: new URL(authorization.redirectUri).origin,
        };
      },
    );

    app.post(
      '/authorization',
      {
        config: { hub: 'signed-in' },
        schema: {
          tags,
          summary: 'Answer an authorization request',
          description:
            "Records the signed-in user's answer as a consent ticket (valid two minutes, bound to this request) and says where to send the browser: back to the gateway's authorization endpoint, which sends the app a code, or `access_denied`.",
          body: AuthorizationDecision,
          response: { 200: AuthorizationRedirect, ...errorResponses },
        },
      },
      async function authorizationDecisionRoute(request): Promise<AuthorizationRedirect> {
        const handle = request.body.request;
        const authorization = openRequest(seals(), handle);
        const actor = actorOf(request);
        const ticket = seals().sealConsent(handle, { userId: actor.user.id, email: actor.user.email, decision: request.body.decision });
        const back = new URL(authorization.authorizeUrl);
        back.searchParams.set('request', handle);
        back.searchParams.set('consent', ticket);
        return { redirectTo: back.href };
      },
    );
  };
}
