// /oauth/consents: a login page of your own (instead of the developer hub's) answers an authorization request for a
// user it signed in, and gets back where to send the browser.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatehouseError } from '../../errors.ts';
import { consentFor } from '../../manage/consents.ts';
import type { ManageDeps } from '../../manage/context.ts';
import { AuthorizationConsent, AuthorizationRedirect } from '../../model/hub.ts';
import type { AuthorizationSeals } from '../../oauth/authorization-requests.ts';
import { ACCESS } from '../access.ts';
import { errorResponses } from '../schemas.ts';

export function consentRoutes(deps: ManageDeps, seals: AuthorizationSeals | undefined): FastifyPluginAsyncTypebox {
  return async function registerConsentRoutes(app) {
    app.post(
      '/oauth/consents',
      {
        config: { access: ACCESS.admin },
        schema: {
          tags: ['oauth'],
          summary: "Answer an authorization request from a login page of your own",
          description:
            "For a `GenerateAuthorizationCode` step whose `loginPage` is yours: the browser arrives there with `?request=…`; once your page has signed the user in and asked for consent, its server sends the request, the user's email (an active Gatehouse user) and the answer here, and sends the browser to the `redirectTo` it gets back, which brings the app a code or `access_denied`. Written to the audit log as `authorization.consent`. Needs an admin token: keep it on your page's server, never in the browser.",
          body: AuthorizationConsent,
          response: { 200: AuthorizationRedirect, ...errorResponses },
        },
      },
      async function answerAuthorizationRoute(request) {
        if (!seals) throw new GatehouseError('internal', 'The authorization code grant is not wired to this management API.');
        return { redirectTo: await consentFor(deps, request.actor, seals, request.body) };
      },
    );
  };
}
