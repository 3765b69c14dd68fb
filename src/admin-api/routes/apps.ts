// /developers/{email}/apps: apps, their credentials, and the status of each credential's products.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ManageDeps } from '../../manage/context.ts';
import {
  checkSecret,
  createApp,
  createCredential,
  deleteApp,
  deleteCredential,
  getApp,
  listApps,
  regenerateSecret,
  setAppStatus,
  setCredentialProductStatus,
  setCredentialStatus,
  updateApp,
} from '../../manage/apps.ts';
import { AppCreate, AppSpec, AppView, ClientSecret, CredentialCreate, CredentialView, SecretCheck } from '../../model/app.ts';
import { Page, PageQuery } from '../../model/common.ts';
import { ACCESS } from '../access.ts';
import { AppParams, CredentialParams, CredentialProductParams, EmailParams, errorResponses, IfMatchHeaders, NoContent } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';

const tags = ['apps'];
const APP = '/developers/:email/apps/:name';
const CREDENTIAL = `${APP}/credentials/:clientId`;

export function appRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerAppRoutes(app) {
    app.get(
      '/developers/:email/apps',
      { config: { access: ACCESS.read }, schema: { tags, summary: "List a developer's apps", params: EmailParams, querystring: PageQuery, response: { 200: Page(AppView), ...errorResponses } } },
      async function listAppsRoute(request) {
        return listApps(deps, request.params.email, pageOf(request.query));
      },
    );

    app.post(
      '/developers/:email/apps',
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Create an app',
          description: 'Generates a credential (its secret is in this response only), or imports the `credentials` given.',
          params: EmailParams,
          body: AppCreate,
          response: { 201: AppView, ...errorResponses },
        },
      },
      async function createAppRoute(request, reply) {
        const created = await createApp(deps, request.actor, request.params.email, request.body);
        reply.code(201).header('location', `/api/v1/developers/${encodeURIComponent(request.params.email)}/apps/${encodeURIComponent(created.view.name)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      APP,
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get an app', params: AppParams, response: { 200: AppView, ...errorResponses } } },
      async function getAppRoute(request, reply) {
        return withEtag(reply, await getApp(deps, request.params.email, request.params.name));
      },
    );

    app.put(
      APP,
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Replace an app',
          description: "Its `products` apply to every credential: added products start approved (pending for manual approval), kept ones keep their status. Honours If-Match.",
          params: AppParams,
          headers: IfMatchHeaders,
          body: AppSpec,
          response: { 200: AppView, ...errorResponses },
        },
      },
      async function updateAppRoute(request, reply) {
        return withEtag(reply, await updateApp(deps, request.actor, request.params.email, request.params.name, request.body, ifMatch(request.headers)));
      },
    );

    for (const [action, status] of [['approve', 'approved'], ['revoke', 'revoked']] as const) {
      app.post(
        `${APP}/${action}`,
        { config: { access: ACCESS.admin }, schema: { tags, summary: `${action === 'approve' ? 'Approve' : 'Revoke'} an app`, params: AppParams, response: { 200: AppView, ...errorResponses } } },
        async function setAppStatusRoute(request, reply) {
          return withEtag(reply, await setAppStatus(deps, request.actor, request.params.email, request.params.name, status));
        },
      );
    }

    app.delete(
      APP,
      { config: { access: ACCESS.admin }, schema: { tags, summary: 'Delete an app; its tokens stop working', params: AppParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteAppRoute(request, reply) {
        await deleteApp(deps, request.actor, request.params.email, request.params.name);
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${APP}/credentials`,
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Add a credential',
          description: 'Empty body: a generated pair, the secret shown in this response only. `clientId` + `clientSecret`: import an existing pair.',
          params: AppParams,
          body: Type.Optional(CredentialCreate),
          response: { 201: CredentialView, ...errorResponses },
        },
      },
      async function createCredentialRoute(request, reply) {
        reply.code(201);
        return createCredential(deps, request.actor, request.params.email, request.params.name, request.body ?? {});
      },
    );

    app.post(
      `${CREDENTIAL}/regenerate`,
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Replace the secret of a credential',
          description: 'The client id stays. Empty body: a generated secret, shown in this response only. `clientSecret`: set this one.',
          params: CredentialParams,
          body: Type.Optional(Type.Object({ clientSecret: Type.Optional(ClientSecret) }, { additionalProperties: false })),
          response: { 200: CredentialView, ...errorResponses },
        },
      },
      async function regenerateSecretRoute(request) {
        const { email, name, clientId } = request.params;
        return regenerateSecret(deps, request.actor, email, name, clientId, request.body?.clientSecret);
      },
    );

    app.post(
      `${CREDENTIAL}/check-secret`,
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Tell whether a secret is the credential’s',
          description: 'Used by `gatehouse apply` to plan without changing anything.',
          params: CredentialParams,
          body: SecretCheck,
          response: { 200: Type.Object({ matches: Type.Boolean() }), ...errorResponses },
        },
      },
      async function checkSecretRoute(request) {
        const { email, name, clientId } = request.params;
        return { matches: await checkSecret(deps, email, name, clientId, request.body.clientSecret) };
      },
    );

    for (const [action, status] of [['approve', 'approved'], ['revoke', 'revoked']] as const) {
      app.post(
        `${CREDENTIAL}/${action}`,
        { config: { access: ACCESS.admin }, schema: { tags, summary: `${action === 'approve' ? 'Approve' : 'Revoke'} a credential`, params: CredentialParams, response: { 200: CredentialView, ...errorResponses } } },
        async function setCredentialStatusRoute(request) {
          const { email, name, clientId } = request.params;
          return setCredentialStatus(deps, request.actor, email, name, clientId, status);
        },
      );
      app.post(
        `${CREDENTIAL}/products/:product/${action}`,
        {
          config: { access: ACCESS.admin },
          schema: { tags, summary: `${action === 'approve' ? 'Approve' : 'Revoke'} a product of a credential`, params: CredentialProductParams, response: { 200: CredentialView, ...errorResponses } },
        },
        async function setCredentialProductStatusRoute(request) {
          const { email, name, clientId, product } = request.params;
          return setCredentialProductStatus(deps, request.actor, email, name, clientId, product, status);
        },
      );
    }

    app.delete(
      CREDENTIAL,
      { config: { access: ACCESS.admin }, schema: { tags, summary: 'Delete a credential; its tokens stop working', params: CredentialParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteCredentialRoute(request, reply) {
        const { email, name, clientId } = request.params;
        await deleteCredential(deps, request.actor, email, name, clientId);
        return reply.code(204).send(null);
      },
    );
  };
}
