import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixedRate, requestBytes } from './fixed-rate-generator.ts';
import type { RequestSpec } from './load.ts';

describe('the request bytes', () => {
  it('are an HTTP/1.1 request with the host, the headers and a body with its length', () => {
    const spec: RequestSpec = { method: 'POST', path: '/oauth/token', headers: { authorization: 'Basic YTpi' }, body: 'grant_type=client_credentials' };
    expect(requestBytes(spec, '127.0.0.1:8080').toString('latin1')).toBe('POST /oauth/token HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nauthorization: Basic YTpi\r\ncontent-length: 29\r\n\r\ngrant_type=client_credentials');
    expect(requestBytes({ method: 'GET', path: '/', headers: {} }, 'h').toString('latin1')).toBe('GET / HTTP/1.1\r\nhost: h\r\n\r\n');
  });
});

describe('the fixed-rate generator against a local node:http server', () => {
  let server: Server;
  let origin = '';
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers.host === origin.slice('http://'.length) ? 'host' : 'no host'} ${body}`.trim());
        if (request.url === '/missing') response.writeHead(404).end('no');
        // No Content-Length: node:http sends this body chunked.
        else if (request.url === '/chunked') response.end(body);
        else if (request.url === '/close') response.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok');
        else response.writeHead(200, { 'content-length': '2' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends every request of its bounded schedule and counts their answers', async () => {
    const requests: RequestSpec[] = [
      { method: 'GET', path: '/ok', headers: {} },
      { method: 'POST', path: '/chunked', headers: { 'content-type': 'text/plain' }, body: 'échange' },
      { method: 'GET', path: '/missing', headers: {} },
      { method: 'GET', path: '/close', headers: {} },
    ];
    // 150 requests at 500/s; the first 50 are the warm-up, so 100 are measured.
    const result = await generateFixedRate({ origin, requests, rate: 500, warmupS: 0.1, durationS: 0.2, connections: 8 });
    // Request i is requests[i mod 4]; the server sees them in whatever order its connections deliver them.
    const counts = Object.fromEntries(['GET /ok host', 'POST /chunked host échange', 'GET /missing host', 'GET /close host'].map((line) => [line, seen.filter((s) => s === line).length]));
    expect(counts).toEqual({ 'GET /ok host': 38, 'POST /chunked host échange': 38, 'GET /missing host': 37, 'GET /close host': 37 });
    expect(result.completed).toBe(100);
    // Requests 50..149 with i mod 4 = 2 got a 404.
    expect(result.failed).toBe(25);
    expect(result.rate).toBe(500);
    expect(result.achievedRps).toBeGreaterThan(400);
    expect(result.achievedRps).toBeLessThan(600);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(result.maxMs).toBeGreaterThanOrEqual(result.p999Ms);
    expect(result.serviceP99Ms).toBeGreaterThan(0);
    expect(result.sendLagP99Ms).toBeGreaterThanOrEqual(0);
  });
});
