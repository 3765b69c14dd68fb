// A token endpoint answers by itself: the rest of the request flow and the target are skipped, and the response
// flow still runs on its answer (docs/gateway.md). Real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { rawRequest, startTextUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';

let gh: Gatehouse;
let target: Upstream;

beforeAll(async () => {
  gh = await startGatehouse();
  target = await startTextUpstream('the target');
  const steps = {
    name: 'token',
    basePath: '/oauth/token',
    target: { url: target.url },
    preFlow: {
      request: [
        { policy: 'oauth-v2', config: { operation: 'GenerateAccessToken' } },
        { policy: 'assign-message', name: 'after-token', config: { assignVariables: [{ name: 'after', value: 'ran' }] } },
      ],
      response: [{ policy: 'assign-message', name: 'stamp', config: { set: { headers: { 'x-response-flow': 'ran', 'x-after-token': '{after}' } }, ignoreUnresolvedVariables: true } }],
    },
  };
  expect((await gh.manage('POST', '/apis', steps)).status).toBe(201);
  expect((await gh.manage('POST', '/apis/token/revisions/1/deployment')).status).toBe(200);
  expect((await gh.manage('POST', '/products', { name: 'tokens', apis: ['token'] })).status).toBe(201);
  expect((await gh.manage('POST', '/developers', { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' })).status).toBe(201);
  const app = await gh.manage('POST', '/developers/dana@example.com/apps', { name: 'app', products: ['tokens'], credentials: [{ clientId: 'token-client-0001', clientSecret: 'token-secret-0123456789' }] });
  expect(app.status).toBe(201);
});
afterAll(async () => {
  await gh?.close();
  await target?.close();
});

describe('a token endpoint', () => {
  it('answers without the target or the later request steps, and its answer passes through the response flow', async () => {
    const basic = `Basic ${Buffer.from('token-client-0001:token-secret-0123456789').toString('base64')}`;
    const res = await rawRequest(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect(res.headers['x-response-flow']).toBe('ran');
    expect(res.headers['x-after-token']).toBe('');
    expect(target.calls).toBe(0);
  });
});
