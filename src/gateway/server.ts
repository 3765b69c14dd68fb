// The gateway's HTTP server (the data plane). This release answers health checks and refuses every other path
// with `gateway.no_route`; routing, flows and policies arrive with the gateway work (see the roadmap in README).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readiness, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../http/problem.ts';
import { GatehouseError } from '../errors.ts';

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function createGatewayServer(health: Health): Server {
  return createServer(function handleGatewayRequest(request: IncomingMessage, response: ServerResponse) {
    const requestId = randomUUID();
    response.setHeader('x-request-id', requestId);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      readiness(health).then(
        (result) => sendJson(response, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', ...result.checks }),
        () => sendJson(response, 503, { status: 'not ready' }),
      );
      return;
    }
    const error = new GatehouseError('gateway.no_route', `No API is deployed at ${path}.`);
    sendJson(response, error.status, problemBody(error, path, requestId), PROBLEM_CONTENT_TYPE);
  });
}
