// Forwards a request to the API's target through pooled keep-alive connections (undici), streaming both ways.
import { Pool, type Dispatcher } from 'undici';
import { PassThrough } from 'node:stream';
import { StepFault, type Headers } from '../policies/policy.ts';
import type { DirectResponse, MessageContext } from './context.ts';
import { GatewayResponse, headerText } from './context.ts';
import { forwardableHeaders } from './forwardable-headers.ts';
import { TARGET_TIMEOUT, TargetRelay } from './relay.ts';

export interface TargetSpec {
  url: string;
  connectTimeoutMs?: number | undefined;
  timeoutMs?: number | undefined;
  tls?: { rejectUnauthorized?: boolean | undefined } | undefined;
}

/** One pool per origin and connection settings, shared by every revision that targets it. */
export class TargetPools {
  readonly #pools = new Map<string, Pool>();

  get(origin: string, spec: TargetSpec): Pool {
    const key = `${origin}|${spec.connectTimeoutMs ?? 5000}|${spec.tls?.rejectUnauthorized ?? true}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 256,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: spec.connectTimeoutMs ?? 5000, rejectUnauthorized: spec.tls?.rejectUnauthorized ?? true },
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close().catch(() => {})));
    this.#pools.clear();
  }
}

const TIMEOUT_CODES = new Set([TARGET_TIMEOUT, 'UND_ERR_CONNECT_TIMEOUT']);

export class TargetClient {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #timeoutMs: number;

  constructor(spec: TargetSpec, pools: TargetPools) {
    const url = new URL(spec.url);
    this.#pool = pools.get(url.origin, spec);
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = spec.timeoutMs ?? 30_000;
  }

  /**
   * Sends the request on; resolves with the target's response, its body still streaming (for response steps). The
   * same relay and timeout as `relay()`, into a stream of the call's own: undici's `request()` would make a timer per
   * call that outlives it (see TargetRelay).
   */
  forward(context: MessageContext): Promise<GatewayResponse> {
    const options = this.#requestOptions(context);
    return new Promise((resolve, reject) => {
      const answer = new ForwardedAnswer(context, resolve, (error) => reject(this.faultFor(error)));
      answer.sentAt = context.now();
      this.#pool.dispatch(options, new TargetRelay(answer, this.#timeoutMs));
    });
  }

  /**
   * Sends the request on and has the answer written straight to the client as it arrives (TargetRelay: no stream
   * object in between, and a timeout of its own instead of undici's). Returns at once; `direct` hears of the head, and
   * of the end (an error, if any).
   */
  relay(context: MessageContext, direct: DirectResponse): void {
    const options = this.#requestOptions(context);
    direct.sentAt = context.now();
    this.#pool.dispatch(options, new TargetRelay(direct, this.#timeoutMs));
  }

  /** The fault a failed call to the target is answered with (the client learns what happened, not where). */
  faultFor(error: unknown): StepFault {
    return targetFault(error, this.#timeoutMs);
  }

  #requestOptions(context: MessageContext): Dispatcher.DispatchOptions {
    const request = context.request;
    const incoming = request.incoming;
    // Read by name from the headers object (lower-case already): header() would lower-case each name again.
    const from = request.headers;
    const headers = forwardableHeaders(from);
    const forwardedFor = headerText(from['x-forwarded-for']);
    headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${request.clientIp}` : request.clientIp;
    // This hop's view: a client could otherwise claim any scheme or host (trusted proxies are a later setting).
    headers['x-forwarded-proto'] = 'encrypted' in incoming.socket ? 'https' : 'http';
    headers['x-forwarded-host'] = headerText(from.host) ?? '';
    const suffix = request.pathSuffix;
    const path = `${this.#basePath}${suffix}` || '/';
    const buffered = request.bufferedBody;
    const hasBody = buffered !== undefined || from['content-length'] !== undefined || from['transfer-encoding'] !== undefined;
    // The client's stream goes through a PassThrough: when the upload fails (the target answered early, reset or
    // timed out), undici destroys the body it was given, and that must not be the client's socket, or the
    // gateway's own answer could never reach the client.
    let upload: PassThrough | undefined;
    if (hasBody && buffered === undefined) {
      request.streamedToTarget = true;
      upload = new PassThrough();
      incoming.pipe(upload);
      upload.once('close', () => {
        incoming.unpipe(upload as PassThrough);
        if (!incoming.readableEnded) incoming.resume();
      });
    }
    return {
      method: request.method as 'GET',
      path: request.forwardQuery ? `${path}?${request.forwardQuery}` : path,
      headers,
      body: buffered ?? upload ?? null,
      // None of undici's: the relay keeps the call's timeout (see TargetRelay).
      headersTimeout: 0,
      bodyTimeout: 0,
    };
  }
}

function ignore(): void {}

/** Where forward() has the target's answer relayed: a GatewayResponse whose body streams in as it arrives. */
class ForwardedAnswer implements DirectResponse {
  sentAt = 0;
  readonly #context: MessageContext;
  readonly #resolve: (response: GatewayResponse) => void;
  readonly #reject: (error: Error) => void;
  #body: PassThrough | undefined;

  constructor(context: MessageContext, resolve: (response: GatewayResponse) => void, reject: (error: Error) => void) {
    this.#context = context;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  head(status: number, headers: Headers): PassThrough {
    this.#context.targetLatencyMs = this.#context.now() - this.sentAt;
    // Steps read the body later, or the client gets it piped: an error before either listens must not go unheard.
    const body = new PassThrough().on('error', ignore);
    this.#body = body;
    this.#resolve(new GatewayResponse(status, headers, body));
    return body;
  }

  done(error: Error | undefined): void {
    if (!error) return;
    if (this.#body) return void this.#body.destroy(error);
    this.#context.targetLatencyMs = this.#context.now() - this.sentAt;
    this.#reject(error);
  }
}

/** The client learns what happened, not where the backend lives; the origin is in the gateway's log line. */
function targetFault(error: unknown, timeoutMs: number): StepFault {
  const code = (error as { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code)) {
    return new StepFault({ faultName: 'GatewayTimeout', code: 'gateway.target_timeout', apigeeCode: 'messaging.adaptors.http.flow.GatewayTimeout', status: 504, message: `The API's target did not answer within ${timeoutMs} ms.` });
  }
  return new StepFault({
    faultName: 'ServiceUnavailable',
    code: 'gateway.target_unreachable',
    apigeeCode: 'messaging.adaptors.http.flow.ServiceUnavailable',
    status: 502,
    message: `The API's target could not be reached${code ? ` (${code})` : ''}.`,
  });
}
