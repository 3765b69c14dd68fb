// The gateway's HTTP server (the data plane): route, run the API's flows, answer, and record the call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readiness, type Health } from '../http/health.ts';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../http/problem.ts';
import { GatehouseError } from '../errors.ts';
import type { Headers } from '../policies/policy.ts';
import type { Clock } from '../util/clock.ts';
import type { AnalyticsSink } from './analytics.ts';
import type { CompiledApi } from './compile.ts';
import { GatewayRequest, MessageContext, RELAY_HEADER, type ApiIdentity, type DirectResponse } from './context.ts';
import { constantTimeEqual } from '../util/secrets.ts';
import { runApi, runFaultFlow, type FlowHooks } from './flow.ts';
import { nextRequestId } from './request-id.ts';
import type { GatewayRuntime } from './runtime.ts';
import type { TargetClient } from './target.ts';

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

function send(context: MessageContext, response: ServerResponse, isHead: boolean, onError: (error: unknown) => void): void {
  const answer = context.response;
  if (!answer) {
    response.writeHead(500).end();
    return;
  }
  const headers = answer.headers;
  const extra = context.responseHeaders;
  if (extra) for (const [name, value] of extra) headers[name] = value;
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

interface ServerDeps {
  readonly clock: Clock;
  readonly analytics: AnalyticsSink | undefined;
  readonly log: GatewayServerOptions['log'];
}

/** Records a call that was answered (a gateway node keeps no analytics: then nothing is built). */
function recordCall(deps: ServerDeps, api: ApiIdentity, context: MessageContext, response: ServerResponse): void {
  const analytics = deps.analytics;
  if (!analytics) return;
  const caller = context.caller;
  analytics.write({
    at: context.startedAt,
    requestId: context.requestId,
    api: api.name,
    revision: api.revision,
    product: caller?.product ?? null,
    app: caller?.appName ?? null,
    developer: caller?.developerEmail ?? null,
    clientId: caller?.clientId ?? null,
    method: context.request.method,
    path: context.request.path,
    status: context.response?.status ?? response.statusCode,
    totalLatencyMs: deps.clock.now() - context.startedAt,
    targetLatencyMs: context.targetLatencyMs ?? null,
    faultCode: context.faultCode ?? null,
  });
}

/**
 * One call whose answer the target relays straight to the client (TargetClient.relay): the call's own headers join
 * the target's in the head, and the end of the relay ends the call. A class, not closures: one is made per call.
 */
class RelayedCall implements DirectResponse {
  sentAt = 0;
  #started = false;
  readonly #api: CompiledApi;
  readonly #context: MessageContext;
  readonly #response: ServerResponse;
  readonly #deps: ServerDeps;

  constructor(api: CompiledApi, context: MessageContext, response: ServerResponse, deps: ServerDeps) {
    this.#api = api;
    this.#context = context;
    this.#response = response;
    this.#deps = deps;
  }

  head(status: number, headers: Headers): ServerResponse {
    const context = this.#context;
    context.targetLatencyMs = context.now() - this.sentAt;
    const extra = context.responseHeaders;
    if (extra) for (const [name, value] of extra) headers[name] = value;
    headers['x-request-id'] = context.requestId;
    this.#response.writeHead(status, headers as Record<string, string | string[]>);
    this.#started = true;
    return this.#response;
  }

  done(error: Error | undefined): void {
    const context = this.#context;
    const response = this.#response;
    if (!error) return recordCall(this.#deps, this.#api.identity, context, response);
    // After the head, a failure can only cut the answer short. (Not recorded, as a call whose response never finished
    // is not on other paths either.)
    if (this.#started) return void response.destroy();
    context.targetLatencyMs ??= context.now() - this.sentAt;
    const api = this.#api;
    const target = api.target as TargetClient;
    const log = this.#deps.log;
    response.once('finish', () => recordCall(this.#deps, api.identity, context, response));
    runFaultFlow(api, context, target.faultFor(error), hooksFor(log, context, api))
      .then(() => send(context, response, context.request.method === 'HEAD', (failure) => log.error(`request ${context.requestId}: response stream failed`, failure)))
      .catch((failure: unknown) => answerInternalError(log, context, response, failure));
  }
}

function hooksFor(log: GatewayServerOptions['log'], context: MessageContext, api: CompiledApi): FlowHooks {
  return { onUnexpected: (error) => log.error(`request ${context.requestId} failed in API '${api.identity.name}'`, error) };
}

/** A bug, not a fault: logged, and the client gets a bare 500 (or a cut connection when the answer had begun). */
function answerInternalError(log: GatewayServerOptions['log'], context: MessageContext, response: ServerResponse, error: unknown): void {
  log.error(`request ${context.requestId} failed`, error);
  // The target's body will not be sent: drain it, or its pooled connection stays busy until the timeout.
  context.response?.discard();
  if (!response.headersSent) sendJson(response, 500, { code: 'internal', requestId: context.requestId });
  else response.destroy();
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
  const deps: ServerDeps = { clock, analytics: options.analytics, log };
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
    if (api.passesThrough) {
      // A plain proxy: nothing to run before the target, and the answer goes straight to the client.
      (api.target as TargetClient).relay(context, new RelayedCall(api, context, response, deps));
      return;
    }
    // A call the target's answer is relayed for is recorded when the relay ends (RelayedCall); any other, on finish.
    if (api.streamsTargetDirectly) context.direct = new RelayedCall(api, context, response, deps);
    let recorded = false;
    const recordOnFinish = (): void => {
      recorded = true;
      response.once('finish', () => recordCall(deps, api.identity, context, response));
    };
    runApi(api, context, hooksFor(log, context, api))
      .then((relayed) => {
        if (relayed) return;
        recordOnFinish();
        // A body that no step read and the target did not take must still be consumed, or the connection stalls.
        if (!incoming.readableEnded && context.request.bufferedBody === undefined && !context.request.streamedToTarget) incoming.resume();
        send(context, response, incoming.method === 'HEAD', (error) => log.error(`request ${requestId}: response stream failed`, error));
      })
      .catch((error: unknown) => {
        if (!recorded) recordOnFinish();
        answerInternalError(log, context, response, error);
      });
  });
}
