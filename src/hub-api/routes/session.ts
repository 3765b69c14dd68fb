// Sign-up, and the session routes with the hub's extras: the sign-up mode and what the account may do here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { GatehouseError } from '../../errors.ts';
import { readSessionCookie, sessionRoutes, SessionView, setSessionCookie } from '../../http/sessions.ts';
import type { Actor } from '../../manage/context.ts';
import { createDeveloper } from '../../manage/developers.ts';
import { csrfTokenFor, signIn, signOut } from '../../manage/sessions.ts';
import { createUser } from '../../manage/users.ts';
import { HubSessionExtras, SignupBody } from '../../model/hub.ts';
import type { Role } from '../../model/user.ts';
import { errorResponses, type HubContext } from '../context.ts';
import { namesOf, sessionExtras } from '../workspace.ts';

/** The session view of the hub: who is signed in, the CSRF token, and the hub's extras. */
export const HubSessionView = Type.Object({ ...SessionView.properties, ...HubSessionExtras.properties }, { additionalProperties: false });

export function sessionRoutesOfHub(context: HubContext): FastifyPluginAsyncTypebox {
  const { deps, signup } = context;
  return async function registerHubSessionRoutes(app) {
    // Every account may sign in to the hub: one without the developer role learns there what it lacks.
    await app.register(sessionRoutes({ deps, surface: 'hub', describe: async (actor) => sessionExtras(deps, signup, actor), viewSchema: HubSessionView }));

    app.post(
      '/signup',
      {
        config: { hub: 'public' },
        schema: {
          tags: ['session'],
          summary: 'Sign up',
          description:
            'Creates an account and signs it in (sets the session cookie). With sign-up `open`, the account gets the developer role and a developer profile, and may create apps at once; with `approval`, it gets no roles and waits for an administrator; with `closed`, sign-up is refused.',
          body: SignupBody,
          response: { 201: HubSessionView, ...errorResponses },
        },
      },
      async function signupRoute(request, reply) {
        if (signup === 'closed') throw new GatehouseError('hub.signup_closed', 'This developer hub does not take sign-ups. Ask a Gatehouse administrator for an account.');
        const { email, password } = request.body;
        const displayName = request.body.displayName.trim();
        // Sign-up proves nothing about the email: it must never hand over a developer profile an administrator made.
        if (await deps.store.users.getByEmail(email)) throw new GatehouseError('user.exists', `An account with the email ${email} exists already. Sign in instead.`);
        if (await deps.store.developers.getByEmail(email)) {
          throw new GatehouseError('developer.exists', `A developer profile with the email ${email} exists already. Ask a Gatehouse administrator to give you an account for it.`);
        }
        const self: Actor = { name: email, userId: null, roles: [] };
        const roles: Role[] = signup === 'open' ? ['developer'] : [];
        const created = await createUser(deps, self, { email, displayName, roles, password }).catch((error: unknown) => {
          if (error instanceof GatehouseError && error.code === 'user.exists') throw new GatehouseError('user.exists', `An account with the email ${email} exists already. Sign in instead.`);
          throw error;
        });
        if (signup === 'open') await createDeveloper(deps, { ...self, userId: created.view.id, roles }, { email, ...namesOf(displayName, email) }, { userId: created.view.id });
        const signedIn = await signIn(deps, 'hub', email, password);
        // Like signing in: a session this browser had before ends.
        const previous = readSessionCookie(request, 'hub');
        if (previous !== undefined) await signOut(deps, previous);
        setSessionCookie(reply, request, 'hub', signedIn.token);
        const actor = { name: signedIn.user.email, userId: signedIn.user.id, roles: signedIn.user.roles, user: signedIn.user, session: signedIn.session };
        reply.code(201);
        return {
          user: { email: signedIn.user.email, displayName: signedIn.user.displayName, roles: [...signedIn.user.roles] },
          csrfToken: csrfTokenFor(signedIn.token),
          ...(await sessionExtras(deps, signup, actor)),
        };
      },
    );
  };
}
