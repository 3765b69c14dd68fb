// My apps: a developer's own apps and their credentials. The developer is the session's, never the request's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { etag, parseIfMatch } from '../../manage/context.ts';
import { HubAppCreate, HubAppList, HubAppUpdate, HubAppView, HubCredentialParams, HubCredentialView, NameParams } from '../../model/hub.ts';
import { workspaceOf } from '../access.ts';
import { errorResponses, type HubContext } from '../context.ts';
import { createWorkspaceApp, deleteWorkspaceApp, getWorkspaceApp, listWorkspaceApps, regenerateWorkspaceSecret, updateWorkspaceApp } from '../workspace.ts';

const tags = ['apps'];

const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag you read; the write fails with 412 if the app changed since.' })),
});

function withEtag<T>(reply: FastifyReply, result: { view: T; version: number }): T {
  reply.header('etag', etag(result.version));
  return result.view;
}

export function appRoutes(context: HubContext): FastifyPluginAsyncTypebox {
  const { deps } = context;
  return async function registerAppRoutes(app) {
    app.get(
      '/apps',
      { config: { hub: 'developer' }, schema: { tags, summary: 'List my apps', description: 'Your apps, with their credentials and the status of each product.', response: { 200: HubAppList, ...errorResponses } } },
      async function listAppsRoute(request) {
        return { items: await listWorkspaceApps(deps, workspaceOf(request), context.gatewayUrl()) };
      },
    );

    app.post(
      '/apps',
      {
        config: { hub: 'developer-change' },
        schema: {
          tags,
          summary: 'Create an app',
          description: 'Subscribes to products of the catalogue and generates a credential: its client secret is in this answer only, so copy it now. Products with manual approval start `pending`.',
          body: HubAppCreate,
          response: { 201: HubAppView, ...errorResponses },
        },
      },
      async function createAppRoute(request, reply) {
        const created = await createWorkspaceApp(deps, workspaceOf(request), request.body, context.gatewayUrl());
        reply.code(201).header('location', `/api/v1/apps/${encodeURIComponent(created.view.name)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      '/apps/:name',
      { config: { hub: 'developer' }, schema: { tags, summary: 'Get one of my apps', params: NameParams, response: { 200: HubAppView, ...errorResponses } } },
      async function getAppRoute(request, reply) {
        return withEtag(reply, await getWorkspaceApp(deps, workspaceOf(request), request.params.name, context.gatewayUrl()));
      },
    );

    app.put(
      '/apps/:name',
      {
        config: { hub: 'developer-change' },
        schema: {
          tags,
          summary: 'Change one of my apps',
          description: 'Replaces its display name, description, callback URLs and products. Added products must be in the catalogue; kept ones keep their status. Honours If-Match.',
          params: NameParams,
          headers: IfMatchHeaders,
          body: HubAppUpdate,
          response: { 200: HubAppView, ...errorResponses },
        },
      },
      async function updateAppRoute(request, reply) {
        const expected = parseIfMatch(request.headers['if-match']);
        return withEtag(reply, await updateWorkspaceApp(deps, workspaceOf(request), request.params.name, request.body, expected, context.gatewayUrl()));
      },
    );

    app.delete(
      '/apps/:name',
      {
        config: { hub: 'developer' },
        schema: { tags, summary: 'Delete one of my apps', description: 'Its credentials and tokens stop working at once.', params: NameParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses } },
      },
      async function deleteAppRoute(request, reply) {
        await deleteWorkspaceApp(deps, workspaceOf(request), request.params.name);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/apps/:name/credentials/:clientId/regenerate',
      {
        config: { hub: 'developer-change' },
        schema: {
          tags,
          summary: 'Regenerate a client secret',
          description: 'The client id stays; the old secret stops working at once. The new secret is in this answer only.',
          params: HubCredentialParams,
          response: { 200: HubCredentialView, ...errorResponses },
        },
      },
      async function regenerateSecretRoute(request) {
        return regenerateWorkspaceSecret(deps, workspaceOf(request), request.params.name, request.params.clientId);
      },
    );
  };
}
