// /developers: developer profiles and their status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ManageDeps } from '../../manage/context.ts';
import { createDeveloper, deleteDeveloper, getDeveloper, listDevelopers, setDeveloperStatus, updateDeveloper } from '../../manage/developers.ts';
import { Page, PageQuery } from '../../model/common.ts';
import { DeveloperSpec, DeveloperView } from '../../model/developer.ts';
import { ACCESS } from '../access.ts';
import { EmailParams, errorResponses, IfMatchHeaders, NoContent } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';

const tags = ['developers'];

export function developerRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerDeveloperRoutes(app) {
    app.get(
      '/developers',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'List developers', querystring: PageQuery, response: { 200: Page(DeveloperView), ...errorResponses } } },
      async function listDevelopersRoute(request) {
        return listDevelopers(deps, pageOf(request.query));
      },
    );

    app.post(
      '/developers',
      { config: { access: ACCESS.admin }, schema: { tags, summary: 'Create a developer', body: DeveloperSpec, response: { 201: DeveloperView, ...errorResponses } } },
      async function createDeveloperRoute(request, reply) {
        const created = await createDeveloper(deps, request.actor, request.body);
        reply.code(201).header('location', `/api/v1/developers/${encodeURIComponent(created.view.email)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      '/developers/:email',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get a developer', params: EmailParams, response: { 200: DeveloperView, ...errorResponses } } },
      async function getDeveloperRoute(request, reply) {
        return withEtag(reply, await getDeveloper(deps, request.params.email));
      },
    );

    app.put(
      '/developers/:email',
      {
        config: { access: ACCESS.admin },
        schema: { tags, summary: 'Replace a developer profile', description: 'Honours If-Match.', params: EmailParams, headers: IfMatchHeaders, body: DeveloperSpec, response: { 200: DeveloperView, ...errorResponses } },
      },
      async function updateDeveloperRoute(request, reply) {
        return withEtag(reply, await updateDeveloper(deps, request.actor, request.params.email, request.body, ifMatch(request.headers)));
      },
    );

    for (const [action, status] of [['activate', 'active'], ['deactivate', 'inactive']] as const) {
      app.post(
        `/developers/:email/${action}`,
        {
          config: { access: ACCESS.admin },
          schema: {
            tags,
            summary: action === 'activate' ? 'Activate a developer' : 'Deactivate a developer: their tokens and keys stop working',
            params: EmailParams,
            response: { 200: DeveloperView, ...errorResponses },
          },
        },
        async function setDeveloperStatusRoute(request, reply) {
          return withEtag(reply, await setDeveloperStatus(deps, request.actor, request.params.email, status));
        },
      );
    }

    app.delete(
      '/developers/:email',
      { config: { access: ACCESS.admin }, schema: { tags, summary: 'Delete a developer and their apps', params: EmailParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteDeveloperRoute(request, reply) {
        await deleteDeveloper(deps, request.actor, request.params.email);
        return reply.code(204).send(null);
      },
    );
  };
}
