// The tools of an app's page: get a token, try a call, download a Postman collection, see the app's traffic.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { GatehouseError } from '../../errors.ts';
import {
  HubTrafficReport,
  NameParams,
  TokenRequest,
  TokenResult,
  TrafficQueryString,
  TRY_REQUEST_BODY_LIMIT,
  TRY_RESPONSE_BODY_LIMIT,
  TryRequest,
  TryResult,
} from '../../model/hub.ts';
import { longestBasePath } from '../../gateway/router.ts';
import { workspaceOf } from '../access.ts';
import { productSpecs, tokenEndpointsOfProducts } from '../catalogue.ts';
import { errorResponses, type HubContext } from '../context.ts';
import { bodyAsText, callGateway, gatewayUrl } from '../gateway-calls.ts';
import { collectionFileName, postmanCollection } from '../postman.ts';
import { hubTrafficReport, trafficWindow } from '../traffic.ts';
import { getWorkspaceApp } from '../workspace.ts';

const tags = ['tools'];

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Token answers are small; anything longer is not a token response. */
const TOKEN_RESPONSE_LIMIT = 64 * 1024;

function parsedBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toolRoutes(context: HubContext): FastifyPluginAsyncTypebox {
  const { deps } = context;
  const { store } = deps;
  return async function registerToolRoutes(app) {
    app.post(
      '/apps/:name/token',
      {
        config: { hub: 'developer-change' },
        schema: {
          tags,
          summary: 'Get a token for one of my apps',
          description:
            "Sends a client credentials request (RFC 6749 §4.4, HTTP Basic) to the token endpoint of the credential's products on the gateway, and returns the gateway's answer as it came. The client id must be one of this app's; the secret is yours to send, since Gatehouse stores only its hash.",
          params: NameParams,
          body: TokenRequest,
          response: { 200: TokenResult, ...errorResponses },
        },
      },
      async function requestTokenRoute(request) {
        const { name } = request.params;
        const { view } = await getWorkspaceApp(deps, workspaceOf(request), name, context.gatewayUrl());
        const credential = view.credentials.find((c) => c.clientId === request.body.clientId);
        if (!credential) throw new GatehouseError('credential.not_found', `App '${name}' has no credential with client id '${request.body.clientId}'.`);
        const specs = await productSpecs(store, credential.products.map((p) => p.name));
        const endpoints = (await tokenEndpointsOfProducts(store, specs, context.gatewayUrl())).filter((e) => e.grantTypes.includes('client_credentials'));
        const wanted = request.body.tokenUrl;
        const endpoint = wanted === undefined ? endpoints[0] : endpoints.find((e) => e.url === wanted);
        if (!endpoint && wanted !== undefined && endpoints.length > 0) {
          throw new GatehouseError('request.invalid', `'${wanted}' is not a token endpoint of this app's products; they are ${endpoints.map((e) => e.url).join(', ')}.`, {
            details: { errors: [{ path: '/tokenUrl', message: 'is not a token endpoint of the app' }] },
          });
        }
        if (!endpoint) {
          throw new GatehouseError('hub.no_token_endpoint', `None of the products of app '${name}' (${specs.map((s) => s.name).join(', ') || 'none'}) has a deployed token endpoint that takes client_credentials. Ask the API's owner to add the token API to the product and deploy it.`);
        }
        const form = new URLSearchParams({ grant_type: 'client_credentials' });
        if (request.body.scope !== undefined && request.body.scope.trim() !== '') form.set('scope', request.body.scope);
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for the Basic header.
        const { clientId, clientSecret } = request.body;
        // A lone UTF-16 surrogate cannot be form-encoded (RFC 6749 §2.3.1), and no real secret holds one.
        if (LONE_SURROGATE.test(clientId) || LONE_SURROGATE.test(clientSecret)) {
          throw new GatehouseError('request.invalid', 'The client id or secret holds a character that is not valid Unicode (a lone surrogate).');
        }
        const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
        const answer = await callGateway(
          context.gatewayLocalUrl(),
          {
            method: 'POST',
            path: endpoint.path,
            headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
            maxResponseBytes: TOKEN_RESPONSE_LIMIT,
            forwardedFor: request.ip,
            relaySecret: context.relaySecret,
          },
          deps.clock,
        );
        return { tokenUrl: endpoint.url, status: answer.status, body: parsedBody(answer.body) };
      },
    );

    app.post(
      '/apps/:name/try',
      {
        config: { hub: 'developer-change' },
        schema: {
          tags,
          summary: 'Call an API of my app through the gateway',
          description:
            "The hub makes the call on the gateway (never another host) and returns the answer as data. The path must lie under the base path of a deployed API of the app's products. Bodies: 64 KB out; the answer is kept up to 256 KB (`truncated` says when it was longer). Deadline: 10 seconds.",
          params: NameParams,
          body: TryRequest,
          response: { 200: TryResult, ...errorResponses },
        },
      },
      async function tryCallRoute(request) {
        const { name } = request.params;
        const { view } = await getWorkspaceApp(deps, workspaceOf(request), name, context.gatewayUrl());
        const { method, path, headers, body } = request.body;
        if (body !== undefined && Buffer.byteLength(body, 'utf8') > TRY_REQUEST_BODY_LIMIT) {
          throw new GatehouseError('request.invalid', `The body has ${Buffer.byteLength(body, 'utf8')} bytes; the try-it console sends at most ${TRY_REQUEST_BODY_LIMIT}.`, {
            details: { errors: [{ path: '/body', message: `must be at most ${TRY_REQUEST_BODY_LIMIT} bytes` }] },
          });
        }
        const local = gatewayUrl(context.gatewayLocalUrl(), path);
        const basePaths = view.apis.map((a) => a.basePath);
        // The API the gateway will route this path to (the longest base path), which must be one of the app's: a path
        // under an app's API can belong to another API deployed deeper (`/orders/admin` under `/orders`).
        const deployments = await store.apis.listDeployments();
        const served = longestBasePath(local.pathname, new Map(deployments.map((d) => [d.basePath, d.apiName])));
        if (!served || !basePaths.includes(served.basePath)) {
          throw new GatehouseError(
            'hub.try_path_refused',
            basePaths.length === 0
              ? `App '${name}' has no deployed API to call.`
              : served
                ? `${local.pathname} reaches the API at ${served.basePath}, which is not one of app '${name}''s; its APIs are at ${basePaths.join(', ')}.`
                : `${local.pathname} is not under an API of app '${name}'; its APIs are at ${basePaths.join(', ')}.`,
            { details: { basePaths } },
          );
        }
        const target = `${local.pathname}${local.search}`;
        const answer = await callGateway(
          context.gatewayLocalUrl(),
          { method, path: target, headers: headers ?? {}, body, maxResponseBytes: TRY_RESPONSE_BODY_LIMIT, forwardedFor: request.ip, relaySecret: context.relaySecret },
          deps.clock,
        );
        return {
          url: `${new URL(context.gatewayUrl()).origin}${target}`,
          status: answer.status,
          headers: answer.headers,
          ...bodyAsText(answer.body, answer.headers['content-type']),
          truncated: answer.truncated,
          durationMs: answer.durationMs,
        };
      },
    );

    app.get(
      '/apps/:name/postman-collection',
      {
        config: { hub: 'developer' },
        schema: {
          tags,
          summary: 'Download a Postman collection for my app',
          description:
            "A Postman collection (v2.1) as an attachment: the gateway, token URL and client id as variables, a collection-level pre-request script that gets a client credentials token, and a GET per API of the app's products. The client secret variable is left empty: Gatehouse keeps only a hash of it, so paste it in Postman (or pass it to newman with --env-var).",
          params: NameParams,
          response: { 200: Type.Object({}, { additionalProperties: true, description: 'A Postman collection v2.1.' }), ...errorResponses },
        },
      },
      async function postmanCollectionRoute(request, reply) {
        const { name } = request.params;
        const { view } = await getWorkspaceApp(deps, workspaceOf(request), name, context.gatewayUrl());
        const credential = view.credentials.find((c) => c.status === 'approved') ?? view.credentials[0];
        const collection = postmanCollection({
          app: view,
          clientId: credential?.clientId ?? '',
          gatewayUrl: context.gatewayUrl(),
          tokenUrl: view.tokenUrl,
          apis: view.apis.filter((a) => !a.issuesTokens),
        });
        return reply
          .header('content-disposition', `attachment; filename="${collectionFileName(name)}"`)
          .header('cache-control', 'no-store')
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(collection, null, 2));
      },
    );

    app.get(
      '/apps/:name/traffic',
      {
        config: { hub: 'developer' },
        schema: {
          tags,
          summary: "My app's traffic",
          description: 'Calls, errors and latency of this app through the gateway, per time bucket and per API, and its most recent calls.',
          params: NameParams,
          querystring: TrafficQueryString,
          response: { 200: HubTrafficReport, ...errorResponses },
        },
      },
      async function appTrafficRoute(request) {
        const ws = workspaceOf(request);
        const { view } = await getWorkspaceApp(deps, ws, request.params.name, context.gatewayUrl());
        if (!context.traffic) throw new GatehouseError('hub.traffic_unavailable', 'This Gatehouse keeps no traffic the hub can report on.');
        const window = trafficWindow(request.query, deps.clock.now());
        return hubTrafficReport(context.traffic.traffic({ ...window, developer: ws.email, app: view.name }));
      },
    );
  };
}
