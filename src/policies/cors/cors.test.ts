import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse, type FakeRequest } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type StepPlacement } from '../policy.ts';
import { cors } from './index.ts';

function step(config: unknown, phase: StepPlacement['phase']) {
  const compiled = configure(cors, config);
  return cors.create(compiled, policyDeps(), { api: 'api', stepName: 'cors', phase });
}

const APP = 'https://app.example.com';
const preflight = (headers: Record<string, string> = {}): FakeRequest => ({
  method: 'OPTIONS',
  headers: { origin: APP, 'access-control-request-method': 'PUT', ...headers },
});

describe('cors in the request flow', () => {
  it('answers a preflight with 204 and the CORS headers, so the target is skipped', async () => {
    const context = flowContext(preflight({ 'access-control-request-headers': 'content-type, x-api-key' }));
    await step({ allowOrigins: [APP] }, 'request')(context);
    expect(context.responded).toBe(true);
    expect(context.response!.status).toBe(204);
    expect(context.response!.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'content-type, x-api-key',
      'access-control-max-age': '1800',
      vary: 'Origin, Access-Control-Request-Headers',
    });
    expect(context.get('cors.cors.preflight')).toBe(true);
    expect(context.get('cors.cors.origin_allowed')).toBe(true);
  });

  it('allows the configured headers instead of echoing the requested ones', async () => {
    const context = flowContext(preflight({ 'access-control-request-headers': 'x-anything' }));
    await step({ allowOrigins: [APP], allowHeaders: ['Content-Type', 'Authorization'], allowCredentials: true, maxAge: 60 }, 'request')(context);
    expect(context.response!.headers).toMatchObject({
      'access-control-allow-headers': 'content-type, authorization',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '60',
      vary: 'Origin',
    });
  });

  it('answers * to any origin when allowOrigins is * (the default), without Vary: Origin', async () => {
    const context = flowContext(preflight());
    await step({}, 'request')(context);
    expect(context.response!.header('access-control-allow-origin')).toBe('*');
    expect(context.response!.header('vary')).toBeUndefined();
  });

  it('refuses a preflight from an origin not allowed with 403', async () => {
    const context = flowContext(preflight({ origin: 'https://evil.example' }));
    const run = step({ allowOrigins: [APP] }, 'request');
    await expect(async () => run(context)).rejects.toThrow(StepFault);
    await expect(async () => run(context)).rejects.toMatchObject({ code: 'cors.origin_not_allowed', status: 403, faultName: 'CORSOriginNotAllowed' });
    expect(context.get('cors.cors.origin_allowed')).toBe(false);
  });

  it('matches origins exactly, ignoring case', async () => {
    const upper = flowContext(preflight({ origin: 'HTTPS://APP.EXAMPLE.COM' }));
    await step({ allowOrigins: [APP] }, 'request')(upper);
    expect(upper.response!.status).toBe(204);
    const sub = flowContext(preflight({ origin: 'https://evil.app.example.com' }));
    await expect(async () => step({ allowOrigins: [APP] }, 'request')(sub)).rejects.toThrow(StepFault);
  });

  it('lets actual requests and OPTIONS without a preflight header through untouched', async () => {
    for (const request of [{ method: 'GET', headers: { origin: APP } }, { method: 'OPTIONS', headers: { origin: APP } }, { method: 'OPTIONS' }]) {
      const context = flowContext(request);
      await step({ allowOrigins: [APP] }, 'request')(context);
      expect(context.responded).toBe(false);
      expect(context.get('cors.cors.preflight')).toBe(false);
    }
  });

  it('lets preflights through when generatePreflightResponse is false', async () => {
    const context = flowContext(preflight({ origin: 'https://evil.example' }));
    await step({ allowOrigins: [APP], generatePreflightResponse: false }, 'request')(context);
    expect(context.responded).toBe(false);
  });
});

describe('cors in the response flow', () => {
  it('adds the CORS headers to the response of an allowed origin', () => {
    const context = withResponse(flowContext({ headers: { origin: APP } }), 200, '{}', { vary: 'Accept-Encoding' });
    void step({ allowOrigins: [APP], exposeHeaders: ['X-Request-Id'], allowCredentials: true }, 'response')(context);
    expect(context.response!.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      vary: 'Accept-Encoding, Origin',
    });
    expect(context.response!.header('access-control-allow-methods')).toBeUndefined();
  });

  it('adds no CORS headers for an origin not allowed, or without Origin, but still says the response varies by Origin', () => {
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Array<Record<string, string>>) {
      const context = withResponse(flowContext({ headers }), 200, '{}');
      void step({ allowOrigins: [APP] }, 'response')(context);
      expect(context.response!.header('access-control-allow-origin')).toBeUndefined();
      expect(context.response!.header('vary')).toBe('Origin');
    }
  });

  it('does not repeat Vary: Origin, nor change Vary: *', () => {
    const once = withResponse(flowContext({ headers: { origin: APP } }), 200, '{}', { vary: 'origin' });
    void step({ allowOrigins: [APP] }, 'response')(once);
    expect(once.response!.header('vary')).toBe('origin');
    const star = withResponse(flowContext({ headers: { origin: APP } }), 200, '{}', { vary: '*' });
    void step({ allowOrigins: [APP] }, 'response')(star);
    expect(star.response!.header('vary')).toBe('*');
  });

  it('adds the preflight headers to a preflight the API answered itself', () => {
    const context = withResponse(flowContext(preflight()), 200, '');
    void step({ allowOrigins: [APP], generatePreflightResponse: false }, 'response')(context);
    expect(context.response!.header('access-control-allow-methods')).toContain('PUT');
  });

  it('adds the headers to error responses when placed in a fault rule', () => {
    const context = withResponse(flowContext({ headers: { origin: APP } }), 401, '{"title":"Invalid token"}');
    void step({}, 'fault')(context);
    expect(context.response!.header('access-control-allow-origin')).toBe('*');
  });
});

describe('cors configuration', () => {
  it('refuses * with allowCredentials, where browsers read it as a literal', () => {
    expect(() => step({ allowCredentials: true }, 'request')).toThrow(/explicit allowOrigins/);
    expect(() => step({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['*'] }, 'response')).toThrow(PolicyConfigError);
  });

  it('refuses origins that browsers never send', () => {
    expect(() => step({ allowOrigins: ['https://app.example.com/'] }, 'request')).toThrow(/not an origin/);
    expect(() => step({ allowOrigins: ['app.example.com'] }, 'request')).toThrow(/not an origin/);
    expect(() => step({ allowOrigins: ['null'] }, 'request')).toThrow(/not an origin/);
  });
});
