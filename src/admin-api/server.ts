// The management API (and, later, the admin console) on the admin port: Fastify, TypeBox schemas, OpenAPI 3.1.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import type { ManageDeps } from '../manage/context.ts';
import { accessHook, type Access } from './access.ts';
import { healthRoutes, type Health } from '../http/health.ts';
import { sessionRoutes } from '../http/sessions.ts';
import { builtWebApp, webAppRoutes } from '../http/web-app.ts';
import type { UserRecord } from '../store/index.ts';
import { problemBody, PROBLEM_CONTENT_TYPE, toGatehouseError } from '../http/problem.ts';
import type { TrafficSource } from '../gateway/traffic.ts';
import { policyRegistry } from '../policies/index.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { apiRoutes } from './routes/apis.ts';
import { appRoutes } from './routes/apps.ts';
import { auditRoutes } from './routes/audit.ts';
import { conditionRoutes } from './routes/conditions.ts';
import { developerRoutes } from './routes/developers.ts';
import { keyValueMapRoutes } from './routes/key-value-maps.ts';
import { policyRoutes } from './routes/policies.ts';
import { productRoutes } from './routes/products.ts';
import { signingKeyRoutes } from './routes/signing-keys.ts';
import { consentRoutes } from './routes/consents.ts';
import type { AuthorizationSeals } from '../oauth/authorization-requests.ts';
import type { KeyRotator } from '../manage/signing-keys.ts';
import { userRoutes } from './routes/users.ts';
import { validatorCompiler } from '../http/validation.ts';
import { acceptJsonBodies } from '../http/json-body.ts';

export const API_PREFIX = '/api/v1';
export const BODY_LIMIT = 1024 * 1024;

export interface AdminApiOptions {
  deps: ManageDeps;
  health: Health;
  version: string;
  /** Pino level, or false for no request log (tests). */
  logLevel?: string | false;
  internalToken?: string | undefined;
  /** The built admin console, served at `/` (default: dist/web/console). */
  webRoot?: string;
  /** What `GET /api/v1/analytics/traffic` reports on (the gateway's analytics); absent, every report is empty. */
  traffic?: TrafficSource | undefined;
  /** This node's JWT signing keys, which rotation by command changes; absent without a server secret. */
  signingKeys?: KeyRotator | undefined;
  /** Seals of the authorization code grant, for consents from login pages of your own. */
  seals?: AuthorizationSeals | undefined;
}

const CONSOLE_ROLES = ['admin', 'api-editor', 'viewer'] as const;

/** The console is for people who run Gatehouse; developers have the hub. */
function admitToConsole(user: UserRecord): void {
  if (user.roles.some((role) => (CONSOLE_ROLES as readonly string[]).includes(role))) return;
  const have = user.roles.length > 0 ? `the role ${user.roles.join(', ')}` : 'no roles yet';
  throw new GatehouseError('auth.forbidden', `The admin console is for admins, API editors and viewers; ${user.email} has ${have}. Developers sign in on the developer hub.`, {
    details: { requiredRoles: [...CONSOLE_ROLES] },
  });
}

/** Adds each route's roles to its OpenAPI entry, so the reference and the interactive docs show who may call it. */
function describeAccess({ schema, url, route }: { schema: unknown; url: string; route: { config?: { access?: Access } } }) {
  const access = route.config?.access;
  const base = (schema ?? {}) as Record<string, unknown>;
  if (access === undefined) return { schema: base, url };
  const who = access === 'public' ? 'No token needed.' : access === 'authenticated' ? 'Roles: any signed-in user.' : `Roles: ${access.join(', ')}.`;
  const description = [base.description, who].filter(Boolean).join('\n\n');
  return { schema: { ...base, description, 'x-gatehouse-roles': access, ...(access === 'public' ? { security: [] } : {}) }, url };
}

export async function buildAdminApi(options: AdminApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // Key value map keys (up to 2 KB, percent-encoded up to three times that) travel in the path.
    routerOptions: { maxParamLength: 8192 },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);

  acceptJsonBodies(app, BODY_LIMIT);

  app.addHook('onSend', async function addRequestId(request, reply) {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler(function renderProblem(error, request, reply) {
    const problem = toGatehouseError(error);
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
    const body = problemBody(problem, request.url.split('?')[0] ?? request.url, request.id);
    if (problem.code === 'auth.missing_token' || problem.code === 'auth.invalid_token') {
      reply.header('www-authenticate', `Bearer realm="gatehouse", error="invalid_token"`);
    }
    reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
  });

  app.setNotFoundHandler(function renderNotFound(request) {
    throw new GatehouseError('request.not_found', `No route ${request.method} ${request.url.split('?')[0]}. The management API lives under ${API_PREFIX}; see ${API_PREFIX}/openapi.json.`);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse management API',
        version: options.version,
        description: 'Manage APIs, products, key value maps, developers, apps and credentials. Every route needs `Authorization: Bearer <token>`. Errors are RFC 9457 problem documents with a stable `code`.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token or the bootstrap admin token.' } } },
      security: [{ bearer: [] }],
    },
    transform: describeAccess,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.addHook('onRequest', accessHook({ deps: options.deps, internalToken: options.internalToken }));

  await app.register(healthRoutes(options.health));
  await app.register(webAppRoutes({ root: options.webRoot ?? builtWebApp('console'), title: 'admin console', apiPrefix: API_PREFIX }));
  await app.register(
    async function managementApi(api) {
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async function openApiRoute() {
        return app.swagger();
      });
      await api.register(sessionRoutes({ deps: options.deps, surface: 'console', admit: admitToConsole }));
      await api.register(apiRoutes(options.deps));
      await api.register(productRoutes(options.deps));
      await api.register(keyValueMapRoutes(options.deps));
      await api.register(developerRoutes(options.deps));
      await api.register(appRoutes(options.deps));
      await api.register(userRoutes(options.deps));
      await api.register(auditRoutes(options.deps));
      await api.register(signingKeyRoutes(options.deps, options.signingKeys));
      await api.register(consentRoutes(options.deps, options.seals));
      await api.register(policyRoutes(policyRegistry()));
      await api.register(conditionRoutes());
      await api.register(analyticsRoutes(options.deps.clock, options.traffic));
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return app;
}
