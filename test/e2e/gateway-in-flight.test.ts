// A request in flight keeps the revision it started on: a deploy or an undeploy swaps the routing table for the
// requests that come after it, never for one already running (target and response flow alike). Real sockets.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { rawRequest, startTextUpstream, startUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';

let gh: Gatehouse;
const upstreams: Upstream[] = [];

/** An upstream that answers `text` only when told to; `received` resolves once a request has arrived. */
async function heldUpstream(text: string) {
  let arrived!: (response: ServerResponse) => void;
  const received = new Promise<ServerResponse>((resolve) => (arrived = resolve));
  const upstream = await startUpstream(function held(request, response) {
    request.resume();
    request.on('end', () => arrived(response));
  });
  upstreams.push(upstream);
  return {
    url: upstream.url,
    received,
    async release() {
      const response = await received;
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
  };
}

/** An API whose response flow stamps the revision that served the call, from the flow variable and by hand. */
const spec = (name: string, target: string, mark: string) => ({
  name,
  basePath: `/${name}`,
  description: `revision marked ${mark}`,
  target: { url: target },
  preFlow: { response: [{ policy: 'assign-message', name: 'mark', config: { set: { headers: { 'x-revision': '{apiproxy.revision}', 'x-mark': mark } } } }] },
});

async function deploy(body: Record<string, unknown>): Promise<number> {
  let saved = await gh.manage('POST', '/apis', body);
  if (saved.status === 409) saved = await gh.manage('PUT', `/apis/${String(body.name)}`, body);
  expect(saved.status).toBeLessThan(300);
  const { revision } = (await saved.json()) as { revision: number };
  // The management API answers once this node's gateway serves the revision (ChangeFeed.emit awaits the reload).
  expect((await gh.manage('POST', `/apis/${String(body.name)}/revisions/${revision}/deployment`)).status).toBe(200);
  return revision;
}

beforeAll(async () => {
  gh = await startGatehouse();
});
afterAll(async () => {
  await gh?.close();
  await Promise.all(upstreams.map((u) => u.close()));
});

describe('requests in flight during a deploy', () => {
  it('finish on the revision they started on, target and response flow, while new requests get the new one', async () => {
    const old = await heldUpstream('old target');
    const next = await startTextUpstream('new target');
    upstreams.push(next);
    expect(await deploy(spec('swap', old.url, 'one'))).toBe(1);

    const inFlight = rawRequest(`${gh.gateway}/swap/x`);
    await old.received;
    expect(await deploy(spec('swap', next.url, 'two'))).toBe(2);

    const after = await rawRequest(`${gh.gateway}/swap/x`);
    expect({ status: after.status, body: after.body.toString(), revision: after.headers['x-revision'], mark: after.headers['x-mark'] }).toEqual({
      status: 200,
      body: 'new target',
      revision: '2',
      mark: 'two',
    });

    await old.release();
    const first = await inFlight;
    expect({ status: first.status, body: first.body.toString(), revision: first.headers['x-revision'], mark: first.headers['x-mark'] }).toEqual({
      status: 200,
      body: 'old target',
      revision: '1',
      mark: 'one',
    });
  });

  it('finish when their API is undeployed meanwhile, while new requests find no route', async () => {
    const held = await heldUpstream('still answered');
    await deploy(spec('going', held.url, 'one'));

    const inFlight = rawRequest(`${gh.gateway}/going/x`);
    await held.received;
    expect((await gh.manage('DELETE', '/apis/going/deployment')).status).toBe(204);

    const after = await rawRequest(`${gh.gateway}/going/x`);
    expect(after.status).toBe(404);
    expect(JSON.parse(after.body.toString()).code).toBe('gateway.no_route');

    await held.release();
    const first = await inFlight;
    expect({ status: first.status, body: first.body.toString(), revision: first.headers['x-revision'] }).toEqual({ status: 200, body: 'still answered', revision: '1' });
  });
});
