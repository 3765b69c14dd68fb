// The developer hub's server on the hub port. This release serves health checks; the hub API and UI arrive with
// the developer hub work (see the roadmap in README).
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { healthRoutes, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE, toGatehouseError } from '../http/problem.ts';
import { GatehouseError } from '../errors.ts';

export async function buildHubServer(options: { health: Health; logLevel?: string | false }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel ?? 'info' },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
  });
  app.setErrorHandler(function renderProblem(error, request, reply) {
    const problem = toGatehouseError(error);
    reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(problem, request.url.split('?')[0] ?? '/', request.id)));
  });
  app.setNotFoundHandler(function renderNotFound(request) {
    throw new GatehouseError('request.not_found', `No route ${request.method} ${request.url.split('?')[0]} on the developer hub.`);
  });
  await app.register(healthRoutes(options.health));
  await app.ready();
  return app;
}
