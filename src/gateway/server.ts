// The gateway's HTTP server (the data plane): its own paths (health, well-known documents), path checks, routing;
// a routed call goes on in GatewayCall (call.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readiness, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../http/problem.ts';
import { GatehouseError } from '../errors.ts';
import type { Clock } from '../util/clock.ts';
import type { AnalyticsSink } from './analytics.ts';
import { callDeps, GatewayCall, sendJson } from './call.ts';
import { GatewayRequest, MessageContext, RELAY_HEADER } from './context.ts';
import { constantTimeEqual } from '../util/secrets.ts';
import { nextRequestId } from './request-id.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface GatewayServerOptions {
  runtime: GatewayRuntime;
  health: Health;
  clock: Clock;
  /** Where answered calls are recorded; none on a gateway node, which keeps no analytics (nothing is built). */
  analytics?: AnalyticsSink | undefined;
  log: { error(message: string, error?: unknown): void };
  /** Documents the gateway serves itself at fixed paths (the JWKS at `/.well-known/jwks.json`), before any API. */
  wellKnown?: ReadonlyMap<string, () => unknown>;
  /**
   * The secret the developer hub sends with calls it relays (in this process). Such a call counts as coming from the
   * address in its X-Forwarded-For, so IP rules see the developer, not the hub's loopback connection.
   */
  relaySecret?: string;
}

/** The developer's address when this is a call the hub relayed (right secret, from this machine), else undefined. */
function relayedFor(incoming: IncomingMessage, secret: string | undefined): string | undefined {
  const presented = incoming.headers[RELAY_HEADER];
  if (secret === undefined || typeof presented !== 'string' || !constantTimeEqual(presented, secret)) return undefined;
  const forwarded = incoming.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || undefined;
}

const ENCODED_SEPARATOR = /%2f|%5c/i;
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/**
 * RFC 3986 §5.2.4 dot segments (`/a/../b`, also as `%2e`) and encoded separators would let a path pass the product
 * checks as written and reach the target as something else; refuse them instead of guessing how the target reads them.
 */
export function unsafePath(path: string): boolean {
  return ENCODED_SEPARATOR.test(path) || DOT_SEGMENT.test(path);
}

/**
 * Only a path with a `%` or a `.` can be unsafe (see unsafePath) or be one of the documents served at fixed paths
 * (all under `/.well-known/`): other paths skip both checks.
 */
function mayBeUnsafe(path: string): boolean {
  return path.includes('%') || path.includes('.');
}

export function createGatewayServer(options: GatewayServerOptions): Server {
  const { runtime, health, clock, log } = options;
  const deps = callDeps(clock, options.analytics, log);
  const wellKnown = options.wellKnown;
  return createServer(function handleGatewayRequest(incoming: IncomingMessage, response: ServerResponse) {
    const requestId = nextRequestId();
    const url = incoming.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      readiness(health).then(
        (result) => sendJson(response, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', ...result.checks }),
        () => sendJson(response, 503, { status: 'not ready' }),
      );
      return;
    }
    if (mayBeUnsafe(path)) {
      const document = wellKnown?.get(path);
      if (document && (incoming.method === 'GET' || incoming.method === 'HEAD')) {
        incoming.resume();
        const text = JSON.stringify(document());
        // Clients cache key sets; a new key is published an hour before it signs, so five minutes is safe.
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'public, max-age=300', 'x-request-id': requestId });
        response.end(incoming.method === 'HEAD' ? undefined : text);
        return;
      }
      if (unsafePath(path)) {
        incoming.resume();
        const error = new GatehouseError('gateway.invalid_path', 'The path has a dot segment or an encoded slash, which the gateway does not accept.');
        response.setHeader('x-request-id', requestId);
        return sendJson(response, error.status, problemBody(error, path, requestId), PROBLEM_CONTENT_TYPE);
      }
    }
    const route = runtime.route(path);
    if (!route) {
      incoming.resume();
      const error = new GatehouseError('gateway.no_route', `No API is deployed at ${path}.`);
      response.setHeader('x-request-id', requestId);
      sendJson(response, error.status, problemBody(error, path, requestId), PROBLEM_CONTENT_TYPE);
      deps.analytics?.write({ at: clock.now(), requestId, api: null, revision: null, product: null, app: null, developer: null, clientId: null, method: incoming.method ?? 'GET', path, status: 404, totalLatencyMs: 0, targetLatencyMs: null, faultCode: 'gateway.no_route' });
      return;
    }
    const api = route.api;
    const context = new MessageContext(api.identity, new GatewayRequest(incoming, path, rawQuery, route.pathSuffix, relayedFor(incoming, options.relaySecret)), requestId, clock);
    new GatewayCall(api, context, incoming, response, deps).run();
  });
}
