// One call through the gateway once it is routed: run the API's flows, answer (or have the target's answer relayed
// straight to the client), and record the call. One object per call, not closures: this is the hot path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Headers } from '../policies/policy.ts';
import type { Clock } from '../util/clock.ts';
import { isPromise } from '../util/maybe-promise.ts';
import type { AnalyticsSink } from './analytics.ts';
import type { CompiledApi } from './compile.ts';
import type { DirectResponse, MessageContext } from './context.ts';
import { runApi, runFaultFlow, type FlowHooks } from './flow.ts';
import type { TargetClient } from './target.ts';

/** What every call of one server shares. */
export interface CallDeps {
  readonly clock: Clock;
  /** Where answered calls are recorded; none on a gateway node (nothing is built then). */
  readonly analytics: AnalyticsSink | undefined;
  readonly log: { error(message: string, error?: unknown): void };
  /** The flow's hooks: one object for every call. */
  readonly hooks: FlowHooks;
}

export function callDeps(clock: Clock, analytics: AnalyticsSink | undefined, log: CallDeps['log']): CallDeps {
  return {
    clock,
    analytics,
    log,
    hooks: { onUnexpected: (error, context) => log.error(`request ${context.requestId} failed in API '${context.api.name}'`, error) },
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The answer's headers with the call's own added: those steps set for the final response, and the request id. */
function withCallHeaders(context: MessageContext, headers: Headers): Record<string, string | string[]> {
  const extra = context.responseHeaders;
  if (extra) for (const name in extra) headers[name] = extra[name];
  headers['x-request-id'] = context.requestId;
  return headers as Record<string, string | string[]>;
}

/** Sends the answer in `context.response` with the call's own headers. */
function send(context: MessageContext, response: ServerResponse, isHead: boolean, onError: (error: unknown) => void): void {
  const answer = context.response;
  if (!answer) {
    response.writeHead(500).end();
    return;
  }
  const body = answer.body;
  response.writeHead(answer.status, withCallHeaders(context, answer.headers));
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

/**
 * A routed call. When the API lets the target's answer go straight to the client (CompiledApi.streamsTargetDirectly),
 * this is also where the target relays it (DirectResponse): the call's own headers join the target's in the head,
 * and the end of the relay ends the call.
 */
export class GatewayCall implements DirectResponse {
  sentAt = 0;
  #started = false;
  #recording = false;
  readonly #api: CompiledApi;
  readonly #context: MessageContext;
  readonly #incoming: IncomingMessage;
  readonly #response: ServerResponse;
  readonly #deps: CallDeps;

  constructor(api: CompiledApi, context: MessageContext, incoming: IncomingMessage, response: ServerResponse, deps: CallDeps) {
    this.#api = api;
    this.#context = context;
    this.#incoming = incoming;
    this.#response = response;
    this.#deps = deps;
  }

  /** Runs the call: a plain proxy relays at once; otherwise the flows run, and their outcome is answered. */
  run(): void {
    const api = this.#api;
    const context = this.#context;
    if (api.passesThrough) {
      // Nothing to run before the target, and the answer goes straight to the client.
      (api.target as TargetClient).relay(context, this);
      return;
    }
    if (api.streamsTargetDirectly) context.direct = this;
    // runApi never throws: a fault, or a bug in a step, ends in the fault flow.
    const ran = runApi(api, context, this.#deps.hooks);
    if (!isPromise(ran)) return this.#ran(ran);
    ran.then(
      (relayed) => this.#ran(relayed),
      (error: unknown) => this.#failed(error),
    );
  }

  head(status: number, headers: Headers): ServerResponse {
    const context = this.#context;
    context.targetLatencyMs = context.now() - this.sentAt;
    this.#response.writeHead(status, withCallHeaders(context, headers));
    this.#started = true;
    return this.#response;
  }

  done(error: Error | undefined): void {
    if (!error) return this.#record();
    // After the head, a failure can only cut the answer short. (Not recorded: a response that never finished is not
    // recorded on the other paths either.)
    if (this.#started) return void this.#response.destroy();
    const context = this.#context;
    context.targetLatencyMs ??= context.now() - this.sentAt;
    const api = this.#api;
    runFaultFlow(api, context, (api.target as TargetClient).faultFor(error), this.#deps.hooks).then(
      () => this.#ran(false),
      (failure: unknown) => this.#failed(failure),
    );
  }

  /** The flows are over: the target's answer is being relayed (and the relay ends the call), or this sends the answer. */
  #ran(relayed: boolean): void {
    if (relayed) return;
    try {
      this.#recordOnFinish();
      const incoming = this.#incoming;
      const request = this.#context.request;
      // A body that no step read and the target did not take must still be consumed, or the connection stalls.
      if (!incoming.readableEnded && request.bufferedBody === undefined && !request.streamedToTarget) incoming.resume();
      send(this.#context, this.#response, request.method === 'HEAD', (error) => this.#deps.log.error(`request ${this.#context.requestId}: response stream failed`, error));
    } catch (error) {
      this.#failed(error);
    }
  }

  /** A bug, not a fault: logged, and the client gets a bare 500 (or a cut connection when the answer had begun). */
  #failed(error: unknown): void {
    const context = this.#context;
    const response = this.#response;
    this.#deps.log.error(`request ${context.requestId} failed`, error);
    this.#recordOnFinish();
    // The target's body will not be sent: drain it, or its pooled connection stays busy until the timeout.
    context.response?.discard();
    if (!response.headersSent) sendJson(response, 500, { code: 'internal', requestId: context.requestId });
    else response.destroy();
  }

  #recordOnFinish(): void {
    if (this.#recording || !this.#deps.analytics) return;
    this.#recording = true;
    this.#response.once('finish', () => this.#record());
  }

  /** Records the answered call (a gateway node keeps no analytics: then nothing is built). */
  #record(): void {
    const analytics = this.#deps.analytics;
    if (!analytics) return;
    const context = this.#context;
    const api = this.#api.identity;
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
      status: context.response?.status ?? this.#response.statusCode,
      totalLatencyMs: this.#deps.clock.now() - context.startedAt,
      targetLatencyMs: context.targetLatencyMs ?? null,
      faultCode: context.faultCode ?? null,
    });
  }
}
