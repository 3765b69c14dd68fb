// /apis: APIs, their revisions and their deployment.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ManageDeps } from '../../manage/context.ts';
import { createApi, deleteApi, deployRevision, getApi, getDeployment, getRevision, listApis, listRevisions, undeployApi, updateApi } from '../../manage/apis.ts';
import { ApiSpec, ApiView, DeploymentView, RevisionView } from '../../model/api.ts';
import { Page, PageQuery } from '../../model/common.ts';
import { ACCESS } from '../access.ts';
import { errorResponses, IfMatchHeaders, NameParams, NoContent, RevisionParams } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';
import { Type } from '@sinclair/typebox';

const tags = ['apis'];

export function apiRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerApiRoutes(app) {
    app.get(
      '/apis',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'List APIs', querystring: PageQuery, response: { 200: Page(ApiView), ...errorResponses } } },
      async function listApisRoute(request) {
        return listApis(deps, pageOf(request.query));
      },
    );

    app.post(
      '/apis',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Create an API (revision 1)', body: ApiSpec, response: { 201: ApiView, ...errorResponses } } },
      async function createApiRoute(request, reply) {
        const created = await createApi(deps, request.actor, request.body);
        reply.code(201).header('location', `/api/v1/apis/${encodeURIComponent(created.view.name)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      '/apis/:name',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get the latest revision of an API', params: NameParams, response: { 200: ApiView, ...errorResponses } } },
      async function getApiRoute(request, reply) {
        return withEtag(reply, await getApi(deps, request.params.name));
      },
    );

    app.put(
      '/apis/:name',
      {
        config: { access: ACCESS.editApis },
        schema: {
          tags,
          summary: 'Save a new revision of an API',
          description: 'Saves the body as a new immutable revision; a body identical to the latest revision saves nothing. Honours If-Match.',
          params: NameParams,
          headers: IfMatchHeaders,
          body: ApiSpec,
          response: { 200: ApiView, ...errorResponses },
        },
      },
      async function updateApiRoute(request, reply) {
        return withEtag(reply, await updateApi(deps, request.actor, request.params.name, request.body, ifMatch(request.headers)));
      },
    );

    app.delete(
      '/apis/:name',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Delete an undeployed API and all its revisions', params: NameParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteApiRoute(request, reply) {
        await deleteApi(deps, request.actor, request.params.name);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/apis/:name/revisions',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'List the revisions of an API', params: NameParams, response: { 200: Type.Object({ items: Type.Array(RevisionView) }), ...errorResponses } } },
      async function listRevisionsRoute(request) {
        return { items: await listRevisions(deps, request.params.name) };
      },
    );

    app.get(
      '/apis/:name/revisions/:rev',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get one revision of an API', params: RevisionParams, response: { 200: RevisionView, ...errorResponses } } },
      async function getRevisionRoute(request) {
        return getRevision(deps, request.params.name, request.params.rev);
      },
    );

    app.post(
      '/apis/:name/revisions/:rev/deployment',
      {
        config: { access: ACCESS.editApis },
        schema: {
          tags,
          summary: 'Deploy a revision',
          description: 'Replaces the deployed revision of the API, if any. Fails with 409 when another deployed API serves the same base path.',
          params: RevisionParams,
          response: { 200: DeploymentView, ...errorResponses },
        },
      },
      async function deployRoute(request) {
        return deployRevision(deps, request.actor, request.params.name, request.params.rev);
      },
    );

    app.get(
      '/apis/:name/deployment',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get the deployment of an API', params: NameParams, response: { 200: DeploymentView, ...errorResponses } } },
      async function getDeploymentRoute(request) {
        return getDeployment(deps, request.params.name);
      },
    );

    app.delete(
      '/apis/:name/deployment',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Undeploy an API', params: NameParams, response: { 204: NoContent, ...errorResponses } } },
      async function undeployRoute(request, reply) {
        await undeployApi(deps, request.actor, request.params.name);
        return reply.code(204).send(null);
      },
    );
  };
}
