// /users, /me and /tokens: accounts, roles, and the caller's personal access tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { GatehouseError } from '../../errors.ts';
import type { ManageDeps } from '../../manage/context.ts';
import { createPersonalToken, createUser, deletePersonalToken, deleteUser, getUser, listPersonalTokens, listUsers, updateUser } from '../../manage/users.ts';
import { Page, PageQuery } from '../../model/common.ts';
import { PersonalTokenCreate, PersonalTokenView, RoleSchema, UserCreate, UserUpdate, UserView } from '../../model/user.ts';
import { ACCESS } from '../access.ts';
import { EmailParams, errorResponses, IfMatchHeaders, NoContent } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';

const Me = Type.Object({ email: Type.String(), roles: Type.Array(RoleSchema), system: Type.Boolean() }, { additionalProperties: false });

export function userRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerUserRoutes(app) {
    app.get(
      '/users',
      { config: { access: ACCESS.admin }, schema: { tags: ['users'], summary: 'List users', querystring: PageQuery, response: { 200: Page(UserView), ...errorResponses } } },
      async function listUsersRoute(request) {
        return listUsers(deps, pageOf(request.query));
      },
    );

    app.post(
      '/users',
      { config: { access: ACCESS.admin }, schema: { tags: ['users'], summary: 'Create a user', body: UserCreate, response: { 201: UserView, ...errorResponses } } },
      async function createUserRoute(request, reply) {
        const created = await createUser(deps, request.actor, request.body);
        reply.code(201).header('location', `/api/v1/users/${encodeURIComponent(created.view.email)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      '/users/:email',
      { config: { access: ACCESS.admin }, schema: { tags: ['users'], summary: 'Get a user', params: EmailParams, response: { 200: UserView, ...errorResponses } } },
      async function getUserRoute(request, reply) {
        return withEtag(reply, await getUser(deps, request.params.email));
      },
    );

    app.put(
      '/users/:email',
      {
        config: { access: ACCESS.admin },
        schema: { tags: ['users'], summary: 'Change roles, status, name or password', description: 'Fields left out stay as they are. Honours If-Match.', params: EmailParams, headers: IfMatchHeaders, body: UserUpdate, response: { 200: UserView, ...errorResponses } },
      },
      async function updateUserRoute(request, reply) {
        return withEtag(reply, await updateUser(deps, request.actor, request.params.email, request.body, ifMatch(request.headers)));
      },
    );

    app.delete(
      '/users/:email',
      { config: { access: ACCESS.admin }, schema: { tags: ['users'], summary: 'Delete a user', params: EmailParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteUserRoute(request, reply) {
        await deleteUser(deps, request.actor, request.params.email);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me',
      { config: { access: ACCESS.self }, schema: { tags: ['tokens'], summary: 'Who the token belongs to', response: { 200: Me, ...errorResponses } } },
      async function meRoute(request) {
        return { email: request.actor.name, roles: [...request.actor.roles], system: request.actor.userId === null };
      },
    );

    app.get(
      '/tokens',
      { config: { access: ACCESS.self }, schema: { tags: ['tokens'], summary: 'List your personal access tokens', response: { 200: Type.Object({ items: Type.Array(PersonalTokenView) }), ...errorResponses } } },
      async function listTokensRoute(request) {
        return { items: await listPersonalTokens(deps, request.actor) };
      },
    );

    app.post(
      '/tokens',
      {
        config: { access: ACCESS.self },
        schema: { tags: ['tokens'], summary: 'Create a personal access token', description: 'The token is in this response only.', body: PersonalTokenCreate, response: { 201: PersonalTokenView, ...errorResponses } },
      },
      async function createTokenRoute(request, reply) {
        reply.code(201);
        return createPersonalToken(deps, request.actor, request.body);
      },
    );

    app.delete(
      '/tokens/:id',
      {
        config: { access: ACCESS.self },
        schema: { tags: ['tokens'], summary: 'Delete one of your personal access tokens', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: NoContent, ...errorResponses } },
      },
      async function deleteTokenRoute(request, reply) {
        if (!request.params.id) throw new GatehouseError('token.not_found', 'No token id given.');
        await deletePersonalToken(deps, request.actor, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
