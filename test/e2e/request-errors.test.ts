// Bad input on the management API: each mistake gets a 4xx problem document that says what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

describe('request errors', () => {
  it('names an unknown field and where it is', async () => {
    const res = await cp.call('POST', '/apis', { name: 'w', basePath: '/w', preFlow: { request: [{ policy: 'quota', confg: {} }] } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ type: 'urn:gatehouse:error:request.invalid', status: 400, code: 'request.invalid', instance: '/api/v1/apis' });
    expect(body.errors).toContainEqual({ path: '/preFlow/request/0/confg', message: "unknown field 'confg'" });
    expect(body.detail).toContain('/preFlow/request/0/confg');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('explains a bad name with the rule it breaks', async () => {
    const res = await cp.call('POST', '/products', { name: 'has space', apis: [] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toContainEqual({ path: '/name', message: expect.stringContaining('Letters, digits') });
  });

  it('reports a missing required field', async () => {
    const body = await (await cp.call('POST', '/apis', { name: 'w' })).json();
    expect(body.errors).toContainEqual({ path: '/basePath', message: 'is required' });
  });

  it('lists the allowed values of an enumeration', async () => {
    const body = await (await cp.call('POST', '/products', { name: 'p', apis: [], approval: 'sometimes' })).json();
    expect(body.errors).toContainEqual({ path: '/approval', message: "must be one of 'auto', 'manual'" });
  });

  it('does not coerce types in bodies', async () => {
    const res = await cp.call('POST', '/products', { name: 'p', apis: [], published: 'yes' });
    expect(res.status).toBe(400);
  });

  it('answers malformed JSON with the parser position', async () => {
    const res = await cp.call('POST', '/apis', '{"name": "w",');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('request.malformed_json');
    expect(body.detail).toMatch(/not valid JSON: .*(position|end of JSON)/i);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const res = await cp.call('POST', '/apis', JSON.stringify({ name: 'w', basePath: '/w', description: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('request.body_too_large');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await fetch(`${cp.url}/api/v1/apis`, { method: 'POST', headers: { authorization: `Bearer ${cp.adminToken}`, 'content-type': 'text/plain' }, body: 'name=w' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).code).toBe("request.unsupported_media_type");
  });

  it('refuses NUL characters, which PostgreSQL cannot store', async () => {
    const res = await cp.call('POST', '/developers', '{"email":"a@example.com","firstName":"A\\u0000","lastName":"B"}');
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toContain('NUL character');
    const literal = await cp.call('POST', '/developers', '{"email":"a@example.com","firstName":"A\\\\u0000","lastName":"B"}');
    expect(literal.status).toBe(201);
  });

  it('refuses prototype-poisoning keys', async () => {
    const res = await cp.call('POST', '/products', '{"name":"p","apis":[],"__proto__":{"admin":true}}');
    expect(res.status).toBe(400);
  });

  it('answers unknown routes with 404 and a pointer to the API document', async () => {
    const res = await cp.call('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.code).toBe('request.not_found');
    expect(body.detail).toContain('/api/v1/openapi.json');
  });

  it('checks path parameters against the same rules as bodies', async () => {
    const res = await cp.call('GET', '/developers/not-an-email');
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe('/email');
  });

  it('refuses a limit out of range', async () => {
    const res = await cp.call('GET', '/apis?limit=100000');
    expect(res.status).toBe(400);
  });

  it('never answers with a stack trace', async () => {
    const res = await cp.call('POST', '/apis', '[1,2');
    expect(await res.text()).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});

describe('OpenAPI document and docs', () => {
  it('publishes OpenAPI 3.1 generated from the route schemas, without auth', async () => {
    const res = await fetch(`${cp.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc: any = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const post = doc.paths['/api/v1/apis'].post;
    expect(post.requestBody.content['application/json'].schema.properties.basePath.description).toContain('path prefix');
    expect(post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/products/{name}', '/api/v1/developers/{email}/apps/{name}/credentials/{clientId}/regenerate', '/api/v1/audit', '/api/v1/tokens']),
    );
  });

  it('serves interactive docs at /api/docs', async () => {
    const res = await fetch(`${cp.url}/api/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });

  it('answers /healthz and /readyz without a token', async () => {
    expect(await (await fetch(`${cp.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${cp.url}/readyz`)).json()).toEqual({ status: 'ready', store: 'ok', draining: false });
  });
});
