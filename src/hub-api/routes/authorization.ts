// The login and consent page's API (authorization code grant): what an authorization request asks for, and the
// signed-in user's answer, which goes back to the gateway's authorization endpoint as a consent ticket.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatehouseError } from '../../errors.ts';
import { AuthorizationDecision, AuthorizationPrompt, AuthorizationQuery, AuthorizationRedirect } from '../../model/hub.ts';
import { consentRedirect, openAuthorizationRequest } from '../../manage/consents.ts';
import type { AuthorizationSeals } from '../../oauth/authorization-requests.ts';
import { actorOf } from '../access.ts';
import { errorResponses, type HubContext } from '../context.ts';

const tags = ['authorization'];

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
        const authorization = openAuthorizationRequest(seals(), request.query.request);
        const credential = await store.credentials.getByClientId(authorization.clientId);
        const appRecord = credential && (await store.apps.getById(credential.appId));
        const developer = appRecord && (await store.developers.getById(appRecord.developerId));
        if (!credential || !appRecord || !developer) throw new GatehouseError('authorization.request_invalid', 'The app of this sign-in link no longer exists.');
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
        return { redirectTo: consentRedirect(seals(), request.body.request, actorOf(request).user, request.body.decision) };
      },
    );
  };
}
