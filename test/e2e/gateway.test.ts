// The gateway end to end, on real sockets (see docs/gateway.md): routing, the target proxy, flows, faults,
// deploy-time checks through the management API, redeploys under load, and one analytics record per call.
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { closedPort, rawRequest, startEchoUpstream, startTextUpstream, startUpstream, untilTrue, type Echo, type RawResponse, type Upstream } from '../helpers/gateway-upstreams.ts';

let gh: Gatehouse;
let echo: Upstream;
const started: Upstream[] = [];

async function upstream(start: Promise<Upstream>): Promise<Upstream> {
  const u = await start;
  started.push(u);
  return u;
}

/** Saves the spec as a new API or a new revision, deploys that revision; returns the revision. */
async function deploy(spec: Record<string, unknown>): Promise<number> {
  let saved = await gh.manage('POST', '/apis', spec);
  if (saved.status === 409) saved = await gh.manage('PUT', `/apis/${String(spec.name)}`, spec);
  expect(saved.status, JSON.stringify(await saved.clone().json())).toBeLessThan(300);
  const { revision } = (await saved.json()) as { revision: number };
  const deployed = await gh.manage('POST', `/apis/${String(spec.name)}/revisions/${revision}/deployment`);
  expect(deployed.status, JSON.stringify(await deployed.clone().json())).toBe(200);
  return revision;
}

const json = (res: RawResponse): any => JSON.parse(res.body.toString('utf8'));
const echoOf = (res: RawResponse): Echo => {
  expect(res.status, res.body.toString('utf8')).toBe(200);
  return json(res) as Echo;
};
const get = (path: string, headers: Record<string, string> = {}) => rawRequest(`${gh.gateway}${path}`, { headers });

/** assign-message steps that append a name to a flow variable (`trace`, `rtrace`) or set headers from templates. */
const append = (variable: string, name: string) => ({
  policy: 'assign-message',
  name: `${variable}-${name}`,
  config: { assignVariables: [{ name: variable, template: `{${variable}},${name}` }] },
});
const start = (variable: string, name: string) => ({ policy: 'assign-message', name: `${variable}-${name}`, config: { assignVariables: [{ name: variable, value: name }] } });
const setHeaders = (name: string, headers: Record<string, string>) => ({ policy: 'assign-message', name, config: { set: { headers }, ignoreUnresolvedVariables: true } });
const raise = (name: string, statusCode: number, message: string, extra: Record<string, unknown> = {}) => ({ policy: 'raise-fault', name, config: { statusCode, message }, ...extra });

beforeAll(async () => {
  gh = await startGatehouse();
  echo = await upstream(startEchoUpstream());
  await deploy({ name: 'route-a', basePath: '/a', target: { url: `${echo.url}/from-a` } });
  await deploy({ name: 'route-ab', basePath: '/a/b', target: { url: `${echo.url}/from-ab` } });
});

afterAll(async () => {
  await gh?.close();
  await Promise.all(started.map((u) => u.close()));
});

describe('routing and the target proxy', () => {
  it('routes to the longest base path on whole segments', async () => {
    expect(echoOf(await get('/a/b/c')).url).toBe('/from-ab/c');
    expect(echoOf(await get('/a/b')).url).toBe('/from-ab');
    expect(echoOf(await get('/a/bc')).url).toBe('/from-a/bc');
    expect(echoOf(await get('/a/x/b/c')).url).toBe('/from-a/x/b/c');
    expect(echoOf(await get('/a')).url).toBe('/from-a');
    const none = await get('/ab');
    expect(none.status).toBe(404);
    expect(json(none)).toMatchObject({ code: 'gateway.no_route', status: 404, requestId: none.headers['x-request-id'] });
  });

  it('refuses dot segments and encoded slashes, which could slip past product resource rules', async () => {
    const { hostname, port } = new URL(gh.gateway);
    for (const path of ['/a/public/../admin', '/a/public/%2e%2e/admin', '/a/x%2Fy']) {
      // node:http sends `path` as written (a URL string would have its dot segments resolved first).
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest({ hostname, port, path, agent: false }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        request.end();
      });
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).code).toBe('gateway.invalid_path');
    }
  });

  it('passes the path suffix and the query to the target exactly as the client wrote them', async () => {
    const seen = echoOf(await get('/a/x%20y/caf%C3%A9/?q=a%20b&q=c&empty=&flag&plus=1+2'));
    expect(seen.url).toBe('/from-a/x%20y/caf%C3%A9/?q=a%20b&q=c&empty=&flag&plus=1+2');
    expect(echoOf(await get('/a/?')).url).toBe('/from-a/');
  });

  it('drops hop-by-hop request headers and those Connection names, and passes the rest', async () => {
    const seen = echoOf(
      await rawRequest(`${gh.gateway}/a/hop`, {
        headers: {
          connection: 'x-foo',
          'x-foo': 'connection-specific',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          upgrade: 'websocket',
          'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
          'x-keep': 'end-to-end',
        },
      }),
    ).headers;
    expect(seen['x-foo']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen.upgrade).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen.connection).not.toContain('x-foo');
    expect(seen['x-keep']).toBe('end-to-end');
    expect(seen.host).toBe(`127.0.0.1:${echo.port}`);
  });

  it("never passes Gatehouse's session cookies to a backend, nor lets a backend set them; other cookies pass both ways", async () => {
    const seen = echoOf(await get('/a/cookies?cookies=1', { cookie: 'gatehouse_hub=ghs_secret; theme=light; gatehouse_console=ghs_other' }));
    expect(seen.headers.cookie).toBe('theme=light');
    const onlyOurs = echoOf(await get('/a/cookies', { cookie: 'gatehouse_hub=ghs_secret' }));
    expect(onlyOurs.headers.cookie).toBeUndefined();
    const answer = await get('/a/cookies?cookies=1');
    expect(answer.headers['set-cookie']).toEqual(['theme=dark; Path=/']);
  });

  it('sets X-Forwarded-For, -Proto and -Host, appending the client to an incoming X-Forwarded-For', async () => {
    const gatewayHost = new URL(gh.gateway).host;
    const plain = echoOf(await get('/a/fwd')).headers;
    expect(plain['x-forwarded-for']).toBe('127.0.0.1');
    expect(plain['x-forwarded-proto']).toBe('http');
    expect(plain['x-forwarded-host']).toBe(gatewayHost);
    const chained = echoOf(await get('/a/fwd', { 'x-forwarded-for': '203.0.113.7, 198.51.100.2' })).headers;
    expect(chained['x-forwarded-for']).toBe('203.0.113.7, 198.51.100.2, 127.0.0.1');
    const spoofed = echoOf(await get('/a/fwd', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bank.example' })).headers;
    expect(spoofed['x-forwarded-proto']).toBe('http');
    expect(spoofed['x-forwarded-host']).toBe(gatewayHost);
  });

  it('drops hop-by-hop response headers and those the target’s Connection names', async () => {
    const res = await get('/a/hop?hop=1');
    expect(res.status).toBe(200);
    expect(res.headers['x-upstream']).toBe('echo');
    expect(res.headers['proxy-authenticate']).toBeUndefined();
    expect(res.headers.trailer).toBeUndefined();
    expect(res.headers.upgrade).toBeUndefined();
    expect(res.headers['keep-alive']).toBeUndefined(); // this client asked for Connection: close
    expect(res.headers.connection).toBe('close');
    expect(res.headers['x-bar'], 'a header the target’s Connection header names is hop-by-hop (RFC 9110 §7.6.1)').toBeUndefined();
  });

  it('answers HEAD with the target’s headers and no body, and the connection stays usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const head = await rawRequest(`${gh.gateway}/a/head`, { method: 'HEAD', agent });
      expect(head.status).toBe(200);
      expect(head.headers['x-upstream']).toBe('echo');
      expect(head.body.length).toBe(0);
      const next = await rawRequest(`${gh.gateway}/a/after-head`, { agent });
      expect(echoOf(next)).toMatchObject({ method: 'GET', url: '/from-a/after-head' });
    } finally {
      agent.destroy();
    }
  });

  it('passes a POST body to the target, with a length and chunked', async () => {
    const sized = echoOf(await rawRequest(`${gh.gateway}/a/post`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello, target' }));
    expect(sized).toMatchObject({ method: 'POST', body: 'hello, target' });
    expect(sized.headers['content-length']).toBe('13');
    expect(sized.headers['content-type']).toBe('text/plain');
    const chunked = echoOf(await rawRequest(`${gh.gateway}/a/post`, { method: 'POST', body: Readable.from([Buffer.from('one,'), Buffer.from('two,'), Buffer.from('three')]) }));
    expect(chunked).toMatchObject({ method: 'POST', body: 'one,two,three' });
  });

  it('passes a body sent with Expect: 100-continue to the target', async () => {
    const res = await rawRequest(`${gh.gateway}/a/expect`, { method: 'PUT', headers: { expect: '100-continue', 'content-length': 5 }, body: 'hello' });
    expect(res.status, res.body.toString('utf8')).toBe(200);
    expect(echoOf(res)).toMatchObject({ method: 'PUT', body: 'hello' });
  });
});

describe('target failures', () => {
  it('delivers a target’s early answer to an upload it did not read, instead of resetting the client', async () => {
    const early = await upstream(
      startUpstream((_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{"error":"not you"}');
      }),
    );
    await deploy({ name: 'early', basePath: '/early', target: { url: early.url } });
    const res = await rawRequest(`${gh.gateway}/early/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1024 * 1024, 7) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body.toString())).toEqual({ error: 'not you' });
  });

  it('does not tell the client where the target lives', async () => {
    await deploy({ name: 'hidden', basePath: '/hidden', target: { url: `http://127.0.0.1:${await closedPort()}` } });
    const res = await rawRequest(`${gh.gateway}/hidden/x`);
    expect(res.status).toBe(502);
    expect(res.body.toString()).not.toContain('127.0.0.1');
  });

  it('answers 502 gateway.target_unreachable when the target resets the connection before answering', async () => {
    const resetting = await upstream(startUpstream((request) => request.socket.resetAndDestroy()));
    await deploy({ name: 'reset-early', basePath: '/reset-early', target: { url: resetting.url } });
    const res = await get('/reset-early/x');
    expect(res.status).toBe(502);
    expect(json(res).code).toBe('gateway.target_unreachable');
  });

  it('aborts the client’s response when the target resets mid-response, and keeps serving the next request', async () => {
    const resetting = await upstream(
      startUpstream((request, response) => {
        request.resume();
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1_000_000 });
        response.write(Buffer.alloc(64 * 1024, 1), () => request.socket.resetAndDestroy());
      }),
    );
    await deploy({ name: 'reset-late', basePath: '/reset-late', target: { url: resetting.url } });
    await expect(get('/reset-late/x')).rejects.toThrow();
    expect(echoOf(await get('/a/still-serving')).url).toBe('/from-a/still-serving');
    const again = await rawRequest(`${gh.gateway}/reset-late/y`).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(Error);
    expect(resetting.calls).toBe(2);
  });
});

// The same failures on both ways an answer goes out: relayed straight to the client (no response steps), and held as a
// response for the response flow (forward()), which has its own stream between the target and the client.
describe.each([
  { way: 'relayed straight to the client', suffix: '', steps: {} },
  { way: 'held for a response step', suffix: '-held', steps: { preFlow: { response: [setHeaders('mark', { 'x-held': 'yes' })] } } },
])('target failures, the answer $way', ({ suffix, steps }) => {
  it('answers 504 gateway.target_timeout when the target does not answer within target.timeoutMs', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const hanging = await upstream(startUpstream(() => received())); // never answers
    await deploy({ name: `hanging${suffix}`, basePath: `/hanging${suffix}`, target: { url: hanging.url, timeoutMs: 200 }, ...steps });
    const sent = performance.now();
    const res = await get(`/hanging${suffix}/x`);
    const waited = performance.now() - sent;
    await arrived;
    expect(res.status).toBe(504);
    expect(waited, 'not before target.timeoutMs').toBeGreaterThanOrEqual(190);
    const body = json(res);
    expect(body).toMatchObject({ code: 'gateway.target_timeout', status: 504, requestId: res.headers['x-request-id'] });
    expect(body.detail).toContain('200 ms');
    expect(res.body.toString('utf8')).not.toMatch(/\n\s+at |Error:|UND_ERR/);
    await hanging.close();
    const record = () => gh.analytics.records.find((r) => r.requestId === res.headers['x-request-id']);
    expect(await untilTrue(() => record() !== undefined)).toBe(true);
    expect(record()).toMatchObject({ api: `hanging${suffix}`, status: 504, faultCode: 'gateway.target_timeout', targetLatencyMs: expect.any(Number) });
  });

  it('cuts the answer when the target stalls mid-body for longer than target.timeoutMs, and drops its connection', async () => {
    let targetSide!: Promise<void>;
    const stalling = await upstream(
      startUpstream((request, response) => {
        request.resume();
        targetSide = new Promise((resolve) => response.once('close', () => resolve()));
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000 });
        response.write('the first of a thousand bytes, and then nothing'); // never ends
      }),
    );
    await deploy({ name: `stalling${suffix}`, basePath: `/stalling${suffix}`, target: { url: stalling.url, timeoutMs: 200 }, ...steps });
    const sent = performance.now();
    await expect(get(`/stalling${suffix}/x`)).rejects.toThrow();
    expect(performance.now() - sent, 'not before target.timeoutMs').toBeGreaterThanOrEqual(190);
    await targetSide; // the gateway closed its connection to the target: nothing of it is left waiting
    expect(echoOf(await get('/a/still-serving')).url).toBe('/from-a/still-serving');
  });

  it('stops reading the target’s answer when the client goes away mid-body', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 1024 * chunk.length; // 64 MiB, far more than the sockets between here and the client can buffer
    let written = 0;
    let targetSide!: Promise<boolean>;
    const endless = await upstream(
      startUpstream((request, response) => {
        request.resume();
        targetSide = new Promise((resolve) => response.once('close', () => resolve(response.writableFinished)));
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
        const more = (): void => {
          while (written < total && !response.destroyed) {
            written += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', more);
          }
          if (written >= total) response.end();
        };
        more();
      }),
    );
    await deploy({ name: `endless${suffix}`, basePath: `/endless${suffix}`, target: { url: endless.url }, ...steps });
    const { hostname, port } = new URL(gh.gateway);
    const held = await new Promise<unknown>((resolve, reject) => {
      const request = httpRequest({ hostname, port, path: `/endless${suffix}/x`, agent: false }, (response) => {
        response.once('data', () => {
          request.destroy(); // gone after the first chunk
          resolve(response.headers['x-held']);
        });
      });
      request.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      request.end();
    });
    expect(held, 'the answer went the way this case is about').toBe(suffix ? 'yes' : undefined);
    expect(await targetSide, 'the target was cut off, not read to the end').toBe(false);
    expect(written).toBeLessThan(total);
    expect(echoOf(await get('/a/still-serving')).url).toBe('/from-a/still-serving');
  });

  it('answers 502 gateway.target_unreachable when the target refuses the connection', async () => {
    const port = await closedPort();
    await deploy({ name: `refused${suffix}`, basePath: `/refused${suffix}`, target: { url: `http://127.0.0.1:${port}` }, ...steps });
    const res = await get(`/refused${suffix}/x`);
    expect(res.status).toBe(502);
    expect(json(res)).toMatchObject({ code: 'gateway.target_unreachable', status: 502, requestId: res.headers['x-request-id'] });
    expect(res.body.toString('utf8')).not.toMatch(/\n\s+at /);
  });
});

describe('flows', () => {
  let counted: Upstream;

  beforeAll(async () => {
    await deploy({
      name: 'flows',
      basePath: '/flows',
      target: { url: echo.url },
      preFlow: {
        request: [start('trace', 'pre'), { ...append('trace', 'post-only'), condition: 'request.verb = "POST"' }],
        response: [start('rtrace', 'pre')],
      },
      flows: [
        { name: 'flow-a', condition: 'proxy.pathsuffix MatchesPath "/a/**"', request: [append('trace', 'flow-a')], response: [append('rtrace', 'flow-a')] },
        { name: 'flow-b', condition: 'proxy.pathsuffix MatchesPath "/b/**"', request: [append('trace', 'flow-b')], response: [append('rtrace', 'flow-b')] },
        { name: 'flow-b-too', condition: 'proxy.pathsuffix ~/ "/b/**"', request: [append('trace', 'flow-b-too')], response: [append('rtrace', 'flow-b-too')] },
      ],
      postFlow: {
        request: [append('trace', 'post'), setHeaders('trace-to-target', { 'x-trace': '{trace}' })],
        response: [append('rtrace', 'post'), setHeaders('trace-to-client', { 'x-trace': '{trace}', 'x-response-trace': '{rtrace}' })],
      },
    });
    counted = await upstream(startEchoUpstream());
    await deploy({
      name: 'answers',
      basePath: '/answers',
      target: { url: counted.url },
      preFlow: {
        request: [
          { policy: 'cors', config: { allowOrigins: ['https://app.example.com'] } },
          { policy: 'response-cache', name: 'cache', condition: 'request.header.x-cache = "use"' },
          { policy: 'assign-message', name: 'after-answer', config: { assignVariables: [{ name: 'after', value: 'ran' }] } },
        ],
        response: [
          { policy: 'response-cache', name: 'cache', condition: 'request.header.x-cache = "use"' },
          setHeaders('response-flow', { 'x-response-flow': 'ran', 'x-after-answer': '{after}', 'x-cache-hit': '{responsecache.cache.cachehit}' }),
        ],
      },
      flows: [
        {
          name: 'refuse',
          condition: 'proxy.pathsuffix = "/refuse"',
          request: [raise('refuse', 403, 'Refused by the flow.'), { policy: 'assign-message', name: 'after-raise', config: { assignVariables: [{ name: 'afterRaise', value: 'ran' }] } }],
        },
      ],
      faultRules: [{ name: 'on-raise', condition: 'fault.name = "RaiseFault"', steps: [setHeaders('fault-rule', { 'x-fault-rule': 'on-raise', 'x-after-raise': '{afterRaise}' })] }],
    });
  });

  it('runs preFlow, the matching conditional flow, then postFlow, on the request and the response', async () => {
    const res = await get('/flows/b/x');
    expect(echoOf(res).headers['x-trace']).toBe('pre,flow-b,post');
    expect(res.headers['x-trace']).toBe('pre,flow-b,post');
    expect(res.headers['x-response-trace']).toBe('pre,flow-b,post');
    const a = await get('/flows/a/x/y');
    expect(echoOf(a).headers['x-trace']).toBe('pre,flow-a,post');
    expect(a.headers['x-response-trace']).toBe('pre,flow-a,post');
  });

  it('runs only the first conditional flow that matches, and none when none matches', async () => {
    const both = await get('/flows/b/deeper/still');
    expect(both.headers['x-trace']).toBe('pre,flow-b,post');
    expect(both.headers['x-response-trace']).toBe('pre,flow-b,post');
    const neither = await get('/flows/c');
    expect(echoOf(neither).headers['x-trace']).toBe('pre,post');
    expect(neither.headers['x-response-trace']).toBe('pre,post');
  });

  it('skips a step whose condition does not hold', async () => {
    const post = await rawRequest(`${gh.gateway}/flows/b/x`, { method: 'POST', body: 'x' });
    expect(echoOf(post).headers['x-trace']).toBe('pre,post-only,flow-b,post');
    expect(post.headers['x-trace']).toBe('pre,post-only,flow-b,post');
  });

  it('skips the rest of the request flow and the target when a CORS preflight answers, and still runs the response flow', async () => {
    const before = counted.calls;
    const res = await rawRequest(`${gh.gateway}/answers/x`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['x-response-flow']).toBe('ran');
    expect(res.headers['x-after-answer'] ?? '').toBe('');
    expect(counted.calls).toBe(before);
  });

  it('skips the target on a response-cache hit, and still runs the response flow on the cached answer', async () => {
    const before = counted.calls;
    const first = await get('/answers/cached?n=1', { 'x-cache': 'use' });
    expect(echoOf(first).url).toBe('/cached?n=1');
    expect(first.headers['x-after-answer']).toBe('ran');
    expect(first.headers['x-cache-hit']).toBe('false');
    expect(counted.calls).toBe(before + 1);
    const second = await get('/answers/cached?n=1', { 'x-cache': 'use' });
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['x-response-flow']).toBe('ran');
    expect(second.headers['x-cache-hit']).toBe('true');
    expect(second.headers['x-after-answer'] ?? '').toBe('');
    expect(second.headers.age).toBe('0');
    expect(counted.calls).toBe(before + 1);
  });

  it('skips the target when a raise-fault answers, and shapes the answer in the fault rules (Apigee’s error flow, not the response flow)', async () => {
    const before = counted.calls;
    const res = await get('/answers/refuse');
    expect(res.status).toBe(403);
    expect(json(res)).toMatchObject({ code: 'raise-fault.raised', detail: 'Refused by the flow.' });
    expect(res.headers['x-fault-rule']).toBe('on-raise');
    expect(res.headers['x-after-raise'] ?? '').toBe('');
    expect(res.headers['x-response-flow']).toBeUndefined();
    expect(counted.calls).toBe(before);
  });

  it('leaves the keep-alive connection usable when a step answers a request whose body nobody read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = counted.calls;
      const refused = await rawRequest(`${gh.gateway}/answers/refuse`, { method: 'POST', agent, body: Buffer.alloc(1024 * 1024, 'x') });
      expect(refused.status).toBe(403);
      const next = await rawRequest(`${gh.gateway}/answers/next`, { agent });
      expect(echoOf(next).url).toBe('/next');
      expect(counted.calls).toBe(before + 1);
    } finally {
      agent.destroy();
    }
  });
});

describe('faults', () => {
  let unreachable: string;
  const rules = (alwaysEnforce: boolean) => ({
    flows: [{ name: 'raise', condition: 'proxy.pathsuffix = "/raise"', request: [raise('refuse', 403, 'Not for you.')] }],
    faultRules: [
      { name: 'quota', condition: 'fault.name = "QuotaViolation"', steps: [setHeaders('quota-rule', { 'x-rule': 'quota' })] },
      {
        name: 'raised',
        condition: 'fault.name = "RaiseFault"',
        steps: [
          {
            policy: 'assign-message',
            name: 'reshape',
            config: { set: { headers: { 'x-rule': 'raised' }, payload: '{"error":"reshaped","was":"{fault.name}","status":{error.status.code}}', contentType: 'application/json', statusCode: 418 } },
          },
        ],
      },
      { name: 'raised-again', condition: 'fault.name = "RaiseFault"', steps: [setHeaders('second-rule', { 'x-rule-2': 'ran' })] },
    ],
    defaultFaultRule: { alwaysEnforce, steps: [setHeaders('default-rule', { 'x-default': 'ran', 'x-default-fault': '{fault.name}' })] },
  });

  beforeAll(async () => {
    unreachable = `http://127.0.0.1:${await closedPort()}`;
    await deploy({ name: 'fault-default', basePath: '/fault-default', preFlow: { request: [raise('refuse', 403, 'Not for you.')] } });
    await deploy({ name: 'fault-apigee', basePath: '/fault-apigee', faultFormat: 'apigee', preFlow: { request: [raise('refuse', 403, 'Not for you.')] } });
    await deploy({ name: 'fault-rules', basePath: '/fault-rules', target: { url: unreachable }, ...rules(false) });
    await deploy({ name: 'fault-always', basePath: '/fault-always', target: { url: unreachable }, ...rules(true) });
    await deploy({
      name: 'fault-continue',
      basePath: '/fault-continue',
      target: { url: echo.url },
      preFlow: {
        request: [raise('refuse', 403, 'Not for you.', { continueOnError: true }), setHeaders('went-on', { 'x-went-on': 'yes' })],
        response: [setHeaders('report', { 'x-failed': '{raise-fault.refuse.failed}', 'x-failed-fault': '{raise-fault.refuse.fault.name}' })],
      },
    });
  });

  it('renders a fault as problem+json with a stable code and the request id by default', async () => {
    const res = await get('/fault-default/x');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(json(res)).toEqual({
      type: 'urn:gatehouse:error:raise-fault.raised',
      title: 'Fault raised',
      status: 403,
      detail: 'Not for you.',
      code: 'raise-fault.raised',
      instance: '/fault-default/x',
      requestId: res.headers['x-request-id'],
    });
  });

  it('renders a fault in Apigee’s {"fault":…} shape with faultFormat apigee', async () => {
    const res = await get('/fault-apigee/x');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/json');
    expect(json(res)).toEqual({ fault: { faultstring: 'Not for you.', detail: { errorcode: 'steps.raisefault.RaisedFault' } } });
  });

  it('runs the first fault rule whose condition holds, whose steps reshape the error, and not the default rule', async () => {
    const res = await get('/fault-rules/raise');
    expect(res.status).toBe(418);
    expect(res.headers['content-type']).toBe('application/json');
    expect(json(res)).toEqual({ error: 'reshaped', was: 'RaiseFault', status: 403 });
    expect(res.headers['x-rule']).toBe('raised');
    expect(res.headers['x-rule-2']).toBeUndefined();
    expect(res.headers['x-default']).toBeUndefined();
  });

  it('runs the default fault rule when no rule matched', async () => {
    const res = await get('/fault-rules/down');
    expect(res.status).toBe(502);
    expect(json(res).code).toBe('gateway.target_unreachable');
    expect(res.headers['x-default']).toBe('ran');
    expect(res.headers['x-default-fault']).toBe('ServiceUnavailable');
    expect(res.headers['x-rule']).toBeUndefined();
  });

  it('runs the default fault rule after a matching rule too when it is alwaysEnforce', async () => {
    const res = await get('/fault-always/raise');
    expect(res.status).toBe(418);
    expect(res.headers['x-rule']).toBe('raised');
    expect(res.headers['x-default']).toBe('ran');
    expect(res.headers['x-rule-2']).toBeUndefined();
  });

  it('goes on past a failing step with continueOnError, setting <policy>.<step>.failed', async () => {
    const res = await get('/fault-continue/x');
    expect(echoOf(res).headers['x-went-on']).toBe('yes');
    expect(res.headers['x-failed']).toBe('true');
    expect(res.headers['x-failed-fault']).toBe('RaiseFault');
  });
});

describe('deploy-time checks', () => {
  async function failedDeploy(spec: Record<string, unknown>, revision = 1): Promise<{ code: string; errors: Array<{ path: string; message: string }>; detail: string }> {
    const saved = await gh.manage(revision === 1 ? 'POST' : 'PUT', revision === 1 ? '/apis' : `/apis/${String(spec.name)}`, spec);
    expect(saved.status).toBeLessThan(300);
    expect(((await saved.json()) as { revision: number }).revision).toBe(revision);
    const res = await gh.manage('POST', `/apis/${String(spec.name)}/revisions/${revision}/deployment`);
    expect(res.status).toBe(422);
    return (await res.json()) as { code: string; errors: Array<{ path: string; message: string }>; detail: string };
  }

  it('refuses a revision with a bad condition with 422 api.invalid naming the path and the position', async () => {
    const body = await failedDeploy({ name: 'bad-condition', basePath: '/bad-condition', preFlow: { request: [{ policy: 'assign-message', condition: 'request.verb = "GET")', config: {} }] } });
    expect(body.code).toBe('api.invalid');
    expect(body.errors).toEqual([{ path: '/preFlow/request/0/condition', message: expect.stringContaining('position 20') }]);
    expect(body.errors[0]?.message).toContain("Unexpected ')'");
    const deployment = await gh.manage('GET', '/apis/bad-condition/deployment');
    expect([404, 409]).toContain(deployment.status);
    expect((await deployment.json()).code).toBe('api.not_deployed');
    expect((await get('/bad-condition/x')).status).toBe(404);
  });

  it('refuses an unknown policy with 422 naming the known policies', async () => {
    const body = await failedDeploy({ name: 'bad-policy', basePath: '/bad-policy', flows: [{ name: 'f', request: [{ policy: 'no-such-policy' }] }] });
    expect(body.code).toBe('api.invalid');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.path).toBe('/flows/0/request/0/policy');
    for (const known of ['access-control', 'assign-message', 'basic-authentication', 'cors', 'extract-variables', 'json-threat-protection', 'oauth-v2', 'quota', 'raise-fault', 'response-cache', 'spike-arrest', 'verify-api-key']) {
      expect(body.errors[0]?.message).toContain(known);
    }
    expect([404, 409]).toContain((await gh.manage('GET', '/apis/bad-policy/deployment')).status);
  });

  it('refuses a step config that does not fit its policy with 422 naming the config path', async () => {
    const body = await failedDeploy({ name: 'bad-config', basePath: '/bad-config', postFlow: { response: [{ policy: 'cors', config: { maxAge: -1 } }] } });
    expect(body.code).toBe('api.invalid');
    expect(body.errors.map((e) => e.path)).toContain('/postFlow/response/0/config/maxAge');
    expect([404, 409]).toContain((await gh.manage('GET', '/apis/bad-config/deployment')).status);
  });

  it('keeps serving the deployed revision when deploying a newer one fails', async () => {
    const text = await upstream(startTextUpstream('revision 1'));
    const good = { name: 'keeps-serving', basePath: '/keeps-serving', target: { url: text.url } };
    expect(await deploy(good)).toBe(1);
    const body = await failedDeploy({ ...good, preFlow: { request: [{ policy: 'raise-fault', condition: 'request.verb = ', config: {} }] } }, 2);
    expect(body.errors[0]?.path).toBe('/preFlow/request/0/condition');
    const deployment = await gh.manage('GET', '/apis/keeps-serving/deployment');
    expect(deployment.status).toBe(200);
    expect((await deployment.json()).revision).toBe(1);
    const res = await get('/keeps-serving/x');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('revision 1');
  });
});

describe('redeploys under load', () => {
  it('drops no request while revisions alternating between two targets are deployed, and then serves the last one', async () => {
    const a = await upstream(startTextUpstream('A'));
    const b = await upstream(startTextUpstream('B'));
    const spec = (url: string, n: number) => ({ name: 'flip', basePath: '/flip', description: `deploy ${n}`, target: { url } });
    expect(await deploy(spec(a.url, 0))).toBe(1);

    const CLIENTS = 40;
    const PER_CLIENT = 75; // 3,000 requests at least
    const MAX_PER_CLIENT = 4 * PER_CLIENT; // keep going while deploys run, but never past this
    const REDEPLOYS = 20;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const failures: string[] = [];
    const answers = { A: 0, B: 0 };
    let deploysDone = false;
    let lastTarget = 'A';
    let lateWrong = 0;

    async function client(): Promise<number> {
      let sent = 0;
      while (sent < MAX_PER_CLIENT && (sent < PER_CLIENT || !deploysDone)) {
        sent++;
        const afterLastDeploy = deploysDone;
        try {
          const res = await rawRequest(`${gh.gateway}/flip/x`, { agent });
          const text = res.body.toString('utf8');
          if (afterLastDeploy && text !== lastTarget) lateWrong++;
          if (res.status === 200 && (text === 'A' || text === 'B')) answers[text]++;
          else failures.push(`${res.status} ${text}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
      return sent;
    }

    async function redeploys(): Promise<void> {
      try {
        for (let i = 1; i <= REDEPLOYS; i++) {
          lastTarget = i % 2 === 1 ? 'B' : 'A';
          expect(await deploy(spec(lastTarget === 'A' ? a.url : b.url, i))).toBe(i + 1);
        }
      } finally {
        deploysDone = true;
      }
    }

    try {
      const [sent] = await Promise.all([Promise.all(Array.from({ length: CLIENTS }, client)), redeploys()]);
      const total = sent.reduce((x, y) => x + y, 0);
      expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
      expect(total).toBeGreaterThanOrEqual(CLIENTS * PER_CLIENT);
      expect(answers.A + answers.B).toBe(total);
      expect(answers.A).toBeGreaterThan(0);
      expect(answers.B).toBeGreaterThan(0);
      expect(lateWrong, 'answers from an older revision to requests sent after the last deploy was answered').toBe(0);
      expect((await (await gh.manage('GET', '/apis/flip/deployment')).json()).revision).toBe(REDEPLOYS + 1);
      const after = await Promise.all(Array.from({ length: 50 }, () => rawRequest(`${gh.gateway}/flip/x`, { agent })));
      expect(new Set(after.map((r) => `${r.status} ${r.body.toString()}`))).toEqual(new Set([`200 ${lastTarget}`]));
    } finally {
      agent.destroy();
    }
  });
});

describe('analytics', () => {
  async function recordsOf(res: RawResponse) {
    const id = res.headers['x-request-id'];
    expect(typeof id).toBe('string');
    const mine = () => gh.analytics.records.filter((r) => r.requestId === id);
    expect(await untilTrue(() => mine().length >= 1)).toBe(true);
    await untilTrue(() => false, 20); // a few more turns: a second record would have shown up by now
    return mine();
  }

  it('writes one record for a call no API matched', async () => {
    const records = await recordsOf(await get('/nowhere/at-all?x=1'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ api: null, revision: null, method: 'GET', path: '/nowhere/at-all', status: 404, faultCode: 'gateway.no_route', targetLatencyMs: null, clientId: null });
  });

  it('writes one record for a fault, with its code and no target latency', async () => {
    const records = await recordsOf(await get('/fault-default/y'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ api: 'fault-default', revision: 1, method: 'GET', path: '/fault-default/y', status: 403, faultCode: 'raise-fault.raised', targetLatencyMs: null });
  });

  it('writes one record for a proxied call, with the target latency and no fault code', async () => {
    const res = await rawRequest(`${gh.gateway}/a/b/analytics`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(200);
    const records = await recordsOf(res);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ api: 'route-ab', revision: 1, method: 'POST', path: '/a/b/analytics', status: 200, faultCode: null });
    expect(records[0]?.targetLatencyMs).toEqual(expect.any(Number));
    expect(records[0]?.totalLatencyMs).toEqual(expect.any(Number));
  });

  it('runs the fault rules of a plain proxy (no steps) when its target is down, and writes one record', async () => {
    // A plain proxy relays at once, without running its flows; a target failure must still go through fault rules.
    await deploy({
      name: 'plain-down',
      basePath: '/plain-down',
      target: { url: `http://127.0.0.1:${await closedPort()}` },
      defaultFaultRule: { steps: [setHeaders('default-rule', { 'x-default-fault': '{fault.name}' })] },
    });
    const res = await get('/plain-down/x');
    expect(res.status).toBe(502);
    expect(json(res)).toMatchObject({ code: 'gateway.target_unreachable', requestId: res.headers['x-request-id'] });
    expect(res.headers['x-default-fault']).toBe('ServiceUnavailable');
    const records = await recordsOf(res);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ api: 'plain-down', status: 502, faultCode: 'gateway.target_unreachable', targetLatencyMs: expect.any(Number) });
  });
});
