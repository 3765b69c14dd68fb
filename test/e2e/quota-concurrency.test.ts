// Counters are exact under concurrency on one node: 1,000 calls at once through the gateway, on real sockets,
// against a quota of 100, and exactly 100 reach the target.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { rawRequest, startTextUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';

let gh: Gatehouse;
let target: Upstream;

beforeAll(async () => {
  gh = await startGatehouse();
  target = await startTextUpstream('ok');
  const saved = await gh.manage('POST', '/apis', {
    name: 'limited',
    basePath: '/limited',
    target: { url: target.url },
    preFlow: { request: [{ policy: 'quota', config: { limit: 100, timeUnit: 'hour' } }] },
  });
  expect(saved.status).toBe(201);
  expect((await gh.manage('POST', '/apis/limited/revisions/1/deployment')).status).toBe(200);
});
afterAll(async () => {
  await gh?.close();
  await target?.close();
});

describe('quota under concurrency', () => {
  it('lets exactly 100 of 1,000 concurrent calls through and answers the other 900 with 429', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    try {
      const answers = await Promise.all(Array.from({ length: 1000 }, () => rawRequest(`${gh.gateway}/limited/x`, { agent })));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(900);
      expect(target.calls).toBe(100);
    } finally {
      agent.destroy();
    }
  });
});
