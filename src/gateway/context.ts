// The message context of one call: the request, the response, flow variables and the caller, as steps see them.
import type { IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { StepFault, type Caller, type FlowContext, type Headers, type RequestView, type ResponseView, type VariableLayer, type VariableValue } from '../policies/policy.ts';
import type { Clock } from '../util/clock.ts';
import { builtInVariable } from './variables.ts';

/** Marks a call the developer hub relays for someone (try-it, get a token); its value is a per-process secret. */
export const RELAY_HEADER = 'x-gatehouse-relay';

/** The most a policy may buffer of a body; bodies no step reads stream through without a limit. */
export const MAX_BUFFERED_BODY = 10 * 1024 * 1024;

/**
 * Reads a whole body, refusing more than MAX_BUFFERED_BODY. Plain listeners rather than `for await`: the async
 * iterator cost about 3% of a token request (bench --cpu-prof). Like the iterator, it destroys the stream when it
 * gives up on it, and a stream that closes before its end is an error.
 */
function readAll(stream: Readable, what: string): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined): void => {
      stream.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size <= MAX_BUFFERED_BODY) return void chunks.push(chunk);
      stream.destroy();
      settle(
        new StepFault({
          faultName: 'BodyTooLarge',
          code: 'gateway.body_too_large',
          apigeeCode: 'protocol.http.TooBigBody',
          status: 413,
          message: `The ${what} body is larger than the ${MAX_BUFFERED_BODY / 1024 / 1024} MiB a policy may read.`,
        }),
      );
    }
    function onEnd(): void {
      settle(undefined);
    }
    function onClose(): void {
      settle(Object.assign(new Error('The stream closed before its end.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    }
    if (stream.readableEnded) return resolve(Buffer.alloc(0));
    if (stream.destroyed) return onClose();
    stream.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
  });
}

/** A header's value as one string: several values read as one, comma-joined. */
export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function headerValue(headers: Headers, name: string): string | undefined {
  return headerText(headers[name.toLowerCase()]);
}

/** Header access both views share: names are lower case, several values read as one comma-joined string. */
abstract class MessageHeaders {
  abstract readonly headers: Headers;

  header(name: string): string | undefined {
    return headerValue(this.headers, name);
  }

  setHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }

  removeHeader(name: string): void {
    delete this.headers[name.toLowerCase()];
  }
}

export class GatewayRequest extends MessageHeaders implements RequestView {
  readonly method: string;
  readonly path: string;
  readonly pathSuffix: string;
  readonly rawQuery: string;
  readonly headers: Headers;
  readonly clientIp: string;
  readonly incoming: IncomingMessage;
  #query: URLSearchParams | undefined;
  #queryAsParsed = '';
  #body: Buffer | undefined;
  #reading: Promise<Buffer> | undefined;
  #form: URLSearchParams | undefined;

  /** `relayedFor`: the address of the person on whose behalf the hub's try-it console made this call (see server.ts). */
  constructor(incoming: IncomingMessage, path: string, rawQuery: string, pathSuffix: string, relayedFor?: string) {
    super();
    this.incoming = incoming;
    this.method = incoming.method ?? 'GET';
    this.path = path;
    this.rawQuery = rawQuery;
    this.pathSuffix = pathSuffix;
    // Node's own object for this request, not a copy: steps change it for the target, and nothing else reads it after
    // them. (The copy cost an object per call; bench --heap-prof.)
    this.headers = incoming.headers;
    this.clientIp = relayedFor ?? incoming.socket.remoteAddress ?? '';
    if (relayedFor !== undefined) delete this.headers['x-forwarded-for'];
    delete this.headers[RELAY_HEADER];
  }

  get query(): URLSearchParams {
    if (!this.#query) {
      this.#query = new URLSearchParams(this.rawQuery);
      this.#queryAsParsed = this.#query.toString();
    }
    return this.#query;
  }

  /** The query to send on: as the client wrote it, unless a step changed the parameters. */
  get forwardQuery(): string {
    if (!this.#query) return this.rawQuery;
    const now = this.#query.toString();
    return now === this.#queryAsParsed ? this.rawQuery : now;
  }

  /** True once the body was handed to the target as a stream. */
  streamedToTarget = false;

  /** The body as read by a step, or undefined when no step read it (then it streams to the target). */
  get bufferedBody(): Buffer | undefined {
    return this.#body;
  }

  readBody(): Promise<Buffer> {
    if (this.#body) return Promise.resolve(this.#body);
    this.#reading ??= readAll(this.incoming, 'request').then((body) => (this.#body = body));
    return this.#reading;
  }

  async readForm(): Promise<URLSearchParams> {
    if (this.#form) return this.#form;
    const type = this.header('content-type') ?? '';
    this.#form = type.toLowerCase().startsWith('application/x-www-form-urlencoded') ? new URLSearchParams((await this.readBody()).toString('utf8')) : new URLSearchParams();
    return this.#form;
  }

  /** Form parameters, when a step already read the form (variables are read synchronously). */
  formParam(name: string): string | undefined {
    return this.#form?.get(name) ?? undefined;
  }

  setBody(body: Buffer | string): void {
    this.#body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.#reading = Promise.resolve(this.#body);
    this.setHeader('content-length', String(this.#body.length));
    this.removeHeader('transfer-encoding');
  }
}

export class GatewayResponse extends MessageHeaders implements ResponseView {
  status: number;
  readonly headers: Headers;
  #stream: Readable | undefined;
  #body: Buffer | undefined;
  #reading: Promise<Buffer> | undefined;

  constructor(status: number, headers: Headers, body: Buffer | Readable | undefined) {
    super();
    this.status = status;
    this.headers = headers;
    if (Buffer.isBuffer(body)) this.#body = body;
    else this.#stream = body;
  }

  /** A buffered body, or the stream still to be piped to the client. */
  get body(): { buffer: Buffer } | { stream: Readable } | undefined {
    if (this.#body) return { buffer: this.#body };
    if (this.#stream) return { stream: this.#stream };
    return undefined;
  }

  readBody(): Promise<Buffer> {
    if (this.#body) return Promise.resolve(this.#body);
    if (!this.#stream) return Promise.resolve(Buffer.alloc(0));
    this.#reading ??= readAll(this.#stream, 'response').then((body) => {
      this.#body = body;
      this.#stream = undefined;
      return body;
    });
    return this.#reading;
  }

  setBody(body: Buffer | string): void {
    // A stream nobody reads any more must be drained, or its connection never returns to the pool.
    this.#stream?.resume();
    this.#stream = undefined;
    this.#body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.#reading = Promise.resolve(this.#body);
    this.headers['content-length'] = String(this.#body.length);
    delete this.headers['transfer-encoding'];
  }

  /** Drops a body that will not be sent (a fault replaced the response). */
  discard(): void {
    this.#stream?.resume();
    this.#stream = undefined;
  }
}

/**
 * Where the target's answer goes when it is streamed straight to the client (CompiledApi.streamsTargetDirectly): the
 * target relays it (TargetClient.relay) and tells this of the head and of the end.
 */
export interface DirectResponse {
  /** When the request went to the target (for the target latency). */
  sentAt: number;
  /** Writes the response head (adding the call's own headers) and answers where the body goes. */
  head(status: number, headers: Headers): Writable;
  /**
   * The relay is over: the body is through, or `error` ended it. Before the head, the call is still to be answered
   * (with the target's fault); after it, the answer can only be cut short, as a proxy must.
   */
  done(error: Error | undefined): void;
}

export interface ApiIdentity {
  readonly name: string;
  readonly revision: number;
  readonly basePath: string;
}

export class MessageContext implements FlowContext {
  readonly api: ApiIdentity;
  readonly request: GatewayRequest;
  readonly requestId: string;
  readonly startedAt: number;
  response: GatewayResponse | undefined;
  caller: Caller | undefined;
  /** True once a step answered by itself: the rest of the request flow and the target are skipped. */
  responded = false;
  /** The fault being handled, if any: its name is `fault.name`. */
  faultName: string | undefined;
  faultCode: string | undefined;
  targetLatencyMs: number | undefined;
  /** Headers for the final response, whatever it turns out to be, by lower-case name (the last one set wins). */
  responseHeaders: Record<string, string> | undefined;
  /** Set by the server when the target's answer may stream straight to the client; see DirectResponse. */
  direct: DirectResponse | undefined;
  /** Flow variables steps set; made on the first set, since a plain proxied call sets none. */
  #variables: Map<string, VariableValue> | undefined;
  /** Layers of variables set with setAll, newest last; read after #variables (see setAll for why that is right). */
  #layers: VariableLayer[] | undefined;
  #read: ((name: string) => VariableValue) | undefined;
  readonly #clock: Clock;

  constructor(api: ApiIdentity, request: GatewayRequest, requestId: string, clock: Clock) {
    this.api = api;
    this.request = request;
    this.requestId = requestId;
    this.#clock = clock;
    this.startedAt = clock.now();
  }

  now(): number {
    return this.#clock.now();
  }

  get(name: string): VariableValue {
    if (this.#variables?.has(name)) return this.#variables.get(name);
    const layers = this.#layers;
    if (layers) {
      for (let i = layers.length - 1; i >= 0; i--) {
        const layer = layers[i] as VariableLayer;
        if (layer.has(name)) return layer.get(name);
      }
    }
    if (name === 'fault.name') return this.faultName;
    return builtInVariable(this, name);
  }

  set(name: string, value: VariableValue): void {
    (this.#variables ??= new Map()).set(name, value);
  }

  setAll(layer: VariableLayer): void {
    // The last write wins, as with set(): a name set before now takes the layer's value (so it leaves #variables),
    // and one set after goes into #variables, which is read first.
    if (this.#variables) for (const name of layer.keys()) this.#variables.delete(name);
    (this.#layers ??= []).push(layer);
  }

  /** The reader conditions use: one function, made once per context, when a condition first asks. */
  get read(): (name: string) => VariableValue {
    return (this.#read ??= (name: string) => this.get(name));
  }

  formParam(name: string): string | undefined {
    return this.request.formParam(name);
  }

  addResponseHeader(name: string, value: string): void {
    (this.responseHeaders ??= {})[name.toLowerCase()] = value;
  }

  respond(status: number, body?: Buffer | string | object, headers: Record<string, string> = {}): void {
    const lower: Headers = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
    let buffer: Buffer | undefined;
    if (body === undefined) buffer = Buffer.alloc(0);
    else if (Buffer.isBuffer(body)) buffer = body;
    else if (typeof body === 'string') buffer = Buffer.from(body, 'utf8');
    else {
      buffer = Buffer.from(JSON.stringify(body), 'utf8');
      lower['content-type'] ??= 'application/json';
    }
    lower['content-length'] = String(buffer.length);
    this.response?.discard();
    this.response = new GatewayResponse(status, lower, buffer);
    this.responded = true;
  }
}
