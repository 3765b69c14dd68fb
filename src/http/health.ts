// /healthz (the process lives) and /readyz (the store answers and we are not draining); on every port.
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../store/index.ts';

export interface Health {
  store: Pick<Store, 'ping'>;
  /** True once shutdown began: readiness fails so load balancers stop sending traffic. */
  draining(): boolean;
}

export interface Readiness {
  ready: boolean;
  checks: { store: 'ok' | 'unavailable'; draining: boolean };
}

export async function readiness(health: Health): Promise<Readiness> {
  const store = await health.store.ping().then(
    () => 'ok' as const,
    () => 'unavailable' as const,
  );
  const draining = health.draining();
  return { ready: store === 'ok' && !draining, checks: { store, draining } };
}

export function healthRoutes(health: Health): FastifyPluginAsync {
  return async function registerHealthRoutes(app) {
    app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async function healthzRoute() {
      return { status: 'ok' };
    });
    app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async function readyzRoute(_request, reply) {
      const result = await readiness(health);
      return reply.code(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not ready', ...result.checks });
    });
  };
}
