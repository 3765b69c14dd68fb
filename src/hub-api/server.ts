// The developer hub on the hub port: its JSON API under /api/v1 (sessions, sign-up, catalogue, my apps, tools) and
// the hub web app at /; a surface of its own, distinct from the management API, where a developer sees only theirs.
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { validatorCompiler } from '../http/validation.ts';
import { acceptJsonBodies } from '../http/json-body.ts';
import { GatehouseError } from '../errors.ts';
import type { TrafficSource } from '../gateway/traffic.ts';
import { healthRoutes, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE, toGatehouseError } from '../http/problem.ts';
import { SESSION_COOKIES } from '../http/sessions.ts';
import { builtWebApp, webAppRoutes } from '../http/web-app.ts';
import type { ManageDeps } from '../manage/context.ts';
import type { SignupMode } from '../model/hub.ts';
import { hubAccessHook, type HubAccess } from './access.ts';
import type { HubContext } from './context.ts';
import type { AuthorizationSeals } from '../oauth/authorization-requests.ts';
import { appRoutes } from './routes/apps.ts';
import { authorizationRoutes } from './routes/authorization.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { sessionRoutesOfHub } from './routes/session.ts';
import { toolRoutes } from './routes/tools.ts';

export const HUB_API_PREFIX = '/api/v1';
/** As on the management API (its problem message names 1 MiB); the try-it console checks its own 64 KB on the body it sends. */
export const HUB_BODY_LIMIT = 1024 * 1024;

export interface HubServerOptions {
  health: Health;
  deps: ManageDeps;
  version: string;
  /** Who may sign up (GATEHOUSE_HUB_SIGNUP). */
  signup: SignupMode;
  /** The gateway as callers reach it (GATEHOUSE_GATEWAY_PUBLIC_URL, else its own URL); read per request, so it may be set after listen. */
  gatewayUrl: () => string;
  /** Where this process reaches its own gateway (loopback for a wildcard address); read per request. */
  gatewayLocalUrl: () => string;
  /** The gateway's traffic, for each app's chart; absent: the traffic route answers 503. */
  traffic?: TrafficSource | undefined;
  /** The gateway's relay secret, so relayed calls count as the developer's (GatewayServerOptions.relaySecret). */
  relaySecret?: string | undefined;
  /** Seals of the authorization code grant, shared with the gateway's authorization endpoint. */
  seals?: AuthorizationSeals | undefined;
  /** The built hub web app, served at `/` (default: dist/web/hub). */
  webRoot?: string;
  /** Pino level, or false for no request log (tests). */
  logLevel?: string | false;
}

/** Adds each route's access rule to its OpenAPI entry. */
function describeAccess({ schema, url, route }: { schema: unknown; url: string; route: { config?: { hub?: HubAccess; access?: unknown } } }) {
  const base = (schema ?? {}) as Record<string, unknown>;
  const access = route.config?.hub ?? (route.config?.access === 'public' ? 'public' : undefined);
  if (access === undefined) return { schema: base, url };
  const who = {
    public: 'Anybody, signed in or not.',
    'signed-in': 'Any signed-in account.',
    developer: 'An account with the developer role; only its own apps.',
    'developer-change': 'An account with the developer role and an active developer profile; only its own apps.',
  }[access];
  const description = [base.description, who].filter(Boolean).join('\n\n');
  return { schema: { ...base, description, 'x-gatehouse-access': access, ...(access === 'public' ? { security: [] } : {}) }, url };
}

export async function buildHubServer(options: HubServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel ?? 'info', redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    bodyLimit: HUB_BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);

  acceptJsonBodies(app, HUB_BODY_LIMIT);

  app.addHook('onSend', async function addRequestId(request, reply) {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler(function renderProblem(error, request, reply) {
    const problem = toGatehouseError(error);
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
    const body = problemBody(problem, request.url.split('?')[0] ?? request.url, request.id);
    reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
  });

  app.setNotFoundHandler(function renderNotFound(request) {
    throw new GatehouseError('request.not_found', `No route ${request.method} ${request.url.split('?')[0]} on the developer hub. Its API lives under ${HUB_API_PREFIX}; see ${HUB_API_PREFIX}/openapi.json.`);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse developer hub API',
        version: options.version,
        description:
          'The API behind the developer hub: sign up and sign in, browse the catalogue, and manage your own apps (credentials, tokens, a try-it console, Postman collections, traffic). Changes need the session cookie and the `x-csrf-token` header from `GET /api/v1/session`. Errors are RFC 9457 problem documents with a stable `code`.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIES.hub, description: 'The session cookie set by `POST /api/v1/session` or `POST /api/v1/signup`.' } } },
      security: [{ session: [] }],
    },
    transform: describeAccess,
  });

  const context: HubContext = {
    deps: options.deps,
    signup: options.signup,
    gatewayUrl: options.gatewayUrl,
    gatewayLocalUrl: options.gatewayLocalUrl,
    traffic: options.traffic,
    relaySecret: options.relaySecret,
    seals: options.seals,
  };
  app.addHook('onRequest', hubAccessHook({ deps: options.deps, signup: options.signup }));

  await app.register(healthRoutes(options.health));
  await app.register(webAppRoutes({ root: options.webRoot ?? builtWebApp('hub'), title: 'developer hub', apiPrefix: HUB_API_PREFIX }));
  await app.register(
    async function hubApi(api) {
      api.get('/openapi.json', { config: { hub: 'public' }, schema: { hide: true } }, async function openApiRoute() {
        return app.swagger();
      });
      await api.register(sessionRoutesOfHub(context));
      await api.register(catalogueRoutes(context));
      await api.register(appRoutes(context));
      await api.register(toolRoutes(context));
      await api.register(authorizationRoutes(context));
    },
    { prefix: HUB_API_PREFIX },
  );
  await app.ready();
  return app;
}
