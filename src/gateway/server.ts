// The gateway's HTTP server (the data plane): route, run the API's flows, answer, and record the call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readiness, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../http/problem.ts';
import { GatehouseError } from '../errors.ts';
import type { Headers } from '../policies/policy.ts';
import type { Clock } from '../util/clock.ts';
import type { AnalyticsSink } from './analytics.ts';
import { GatewayRequest, MessageContext, RELAY_HEADER, type DirectResponse } from './context.ts';
import { constantTimeEqual } from '../util/secrets.ts';
import { runApi } from './flow.ts';
import { nextRequestId } from './request-id.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface GatewayServerOptions {
  runtime: GatewayRuntime;
  health: Health;
  clock: Clock;
  analytics: AnalyticsSink;
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

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
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

function splitUrl(url: string): { path: string; rawQuery: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

function send(context: MessageContext, response: ServerResponse, isHead: boolean, onError: (error: unknown) => void): void {
  const answer = context.response;
  if (!answer) {
    response.writeHead(500).end();
    return;
  }
  const headers = answer.headers;
  for (const [name, value] of context.responseHeaders ?? []) headers[name] = value;
  headers['x-request-id'] = context.requestId;
  const body = answer.body;
  response.writeHead(answer.status, headers as Record<string, string | string[]>);
  if (isHead || !body) {
    if (body && 'stream' in body) body.stream.resume();
    response.end();
  } else if ('buffer' in body) response.end(body.buffer);
  else {
    // pipe() rather than pipeline(): pipeline makes an AbortController per call and aborts it at the end, which builds
    // a DOMException with a stack trace; that alone cost about 8% of a proxied call (bench --cpu-prof).
    const stream = body.stream;
    stream.once('error', (error: Error) => {
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(error);
      response.destroy();
    });
    response.once('close', () => {
      if (!stream.readableEnded) stream.destroy();
    });
    stream.pipe(response);
  }
}

/** The client's response as the target streams into it: the call's own headers join the target's in the head. */
class DirectClientResponse implements DirectResponse {
  // A class, not an object of closures: one of these is made on every proxied call.
  started = false;
  readonly #context: MessageContext;
  readonly #response: ServerResponse;

  constructor(context: MessageContext, response: ServerResponse) {
    this.#context = context;
    this.#response = response;
  }

  head(status: number, headers: Headers): ServerResponse {
    for (const [name, value] of this.#context.responseHeaders ?? []) headers[name] = value;
    headers['x-request-id'] = this.#context.requestId;
    this.#response.writeHead(status, headers as Record<string, string | string[]>);
    this.started = true;
    return this.#response;
  }

  abort(): void {
    this.#response.destroy();
  }
}

export function createGatewayServer(options: GatewayServerOptions): Server {
  const { runtime, health, clock, analytics, log } = options;
  return createServer(function handleGatewayRequest(incoming: IncomingMessage, response: ServerResponse) {
    const requestId = nextRequestId();
    const { path, rawQuery } = splitUrl(incoming.url ?? '/');
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      readiness(health).then(
        (result) => sendJson(response, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', ...result.checks }),
        () => sendJson(response, 503, { status: 'not ready' }),
      );
      return;
    }
    const document = options.wellKnown?.get(path);
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
    const route = runtime.route(path);
    if (!route) {
      incoming.resume();
      const error = new GatehouseError('gateway.no_route', `No API is deployed at ${path}.`);
      response.setHeader('x-request-id', requestId);
      sendJson(response, error.status, problemBody(error, path, requestId), PROBLEM_CONTENT_TYPE);
      analytics.write({ at: clock.now(), requestId, api: null, revision: null, product: null, app: null, developer: null, clientId: null, method: incoming.method ?? 'GET', path, status: 404, totalLatencyMs: 0, targetLatencyMs: null, faultCode: 'gateway.no_route' });
      return;
    }
    const context = new MessageContext(route.api.identity, new GatewayRequest(incoming, path, rawQuery, route.pathSuffix, relayedFor(incoming, options.relaySecret)), requestId, clock);
    const direct = route.api.streamsTargetDirectly ? new DirectClientResponse(context, response) : undefined;
    context.direct = direct;
    runApi(route.api, context, { onUnexpected: (error) => log.error(`request ${requestId} failed in API '${route.api.identity.name}'`, error) })
      .then(() => {
        if (direct?.started) return; // the target's answer went straight out
        // A body that no step read and the target did not take must still be consumed, or the connection stalls.
        if (!incoming.readableEnded && context.request.bufferedBody === undefined && !context.request.streamedToTarget) incoming.resume();
        send(context, response, incoming.method === 'HEAD', (error) => log.error(`request ${requestId}: response stream failed`, error));
      })
      .catch((error: unknown) => {
        log.error(`request ${requestId} failed`, error);
        // The target's body will not be sent: drain it, or its pooled connection stays busy until the timeout.
        context.response?.discard();
        if (!response.headersSent) sendJson(response, 500, { code: 'internal', requestId });
        else response.destroy();
      });
    response.once('finish', function recordCall() {
      const caller = context.caller;
      analytics.write({
        at: context.startedAt,
        requestId,
        api: route.api.identity.name,
        revision: route.api.identity.revision,
        product: caller?.product ?? null,
        app: caller?.appName ?? null,
        developer: caller?.developerEmail ?? null,
        clientId: caller?.clientId ?? null,
        method: context.request.method,
        path,
        status: context.response?.status ?? response.statusCode,
        totalLatencyMs: clock.now() - context.startedAt,
        targetLatencyMs: context.targetLatencyMs ?? null,
        faultCode: context.faultCode ?? null,
      });
    });
  });
}
