// /healthz says the process lives; /readyz says whether to send traffic: the store answers and shutdown has not begun.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthRoutes, readiness, type Health } from './health.ts';

const up = { ping: async () => {} };
const down = { ping: async () => Promise.reject(new Error('connection refused')) };

describe('readiness', () => {
  it('is ready when the store answers and the process is not draining', async () => {
    expect(await readiness({ store: up, draining: () => false })).toEqual({ ready: true, checks: { store: 'ok', draining: false } });
  });

  it('is not ready once shutdown began, so load balancers stop sending traffic', async () => {
    expect(await readiness({ store: up, draining: () => true })).toEqual({ ready: false, checks: { store: 'ok', draining: true } });
  });

  it('is not ready when the store does not answer', async () => {
    expect(await readiness({ store: down, draining: () => false })).toEqual({ ready: false, checks: { store: 'unavailable', draining: false } });
  });
});

describe('the health routes', () => {
  async function inject(health: Health, url: string) {
    const app = Fastify();
    await app.register(healthRoutes(health));
    try {
      const res = await app.inject({ method: 'GET', url });
      return { status: res.statusCode, body: res.json() as unknown };
    } finally {
      await app.close();
    }
  }

  it('answer /healthz 200 even while draining', async () => {
    expect(await inject({ store: down, draining: () => true }, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answer /readyz 503 while draining or without the store, 200 otherwise', async () => {
    expect(await inject({ store: up, draining: () => false }, '/readyz')).toEqual({ status: 200, body: { status: 'ready', store: 'ok', draining: false } });
    expect(await inject({ store: up, draining: () => true }, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', store: 'ok', draining: true } });
    expect(await inject({ store: down, draining: () => false }, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', store: 'unavailable', draining: false } });
  });
});
