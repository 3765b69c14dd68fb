// The responses a server is writing, so that shutdown can end each keep-alive connection once its response is done.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const SLOT = Symbol('gatehouse.in-flight-slot');

interface Tracked extends ServerResponse {
  [SLOT]: number;
}

/**
 * Not a `Set`: a Set that takes and drops one entry per call makes V8 rehash its table every few dozen calls, and
 * the table left behind keeps pointing at the responses it held. Dead tables in the old generation count as roots
 * for the young one, so each call's whole object graph (request, response, socket state, flow context) survived a
 * scavenge and was promoted: 2.5 MB per scavenge, 7 ms pauses, 40% fewer proxied calls a second (measured with
 * `--trace-gc-nvp`, see docs/performance.md). Here one array of slots is reused (a free list of their numbers), and
 * a finished response's slot is cleared, so nothing outlives its call.
 */
export class InFlightResponses {
  readonly #slots: (ServerResponse | undefined)[] = [];
  readonly #free: number[] = [];

  constructor(server: Server) {
    const slots = this.#slots;
    const free = this.#free;
    // One listener function for every response ('close' comes once per response): no closure per call.
    function untrack(this: Tracked): void {
      slots[this[SLOT]] = undefined;
      free.push(this[SLOT]);
    }
    server.on('request', function trackResponse(_request: IncomingMessage, response: ServerResponse) {
      const slot = free.pop() ?? slots.length;
      slots[slot] = response;
      (response as Tracked)[SLOT] = slot;
      // on(), not once(): 'close' comes once anyway, and once() wraps the listener in a bound function per call.
      response.on('close', untrack);
    });
  }

  /** How many responses are being written now. */
  get size(): number {
    return this.#slots.length - this.#free.length;
  }

  /**
   * A response not yet started gets `Connection: close`; one already streaming closes its connection when it
   * finishes (the server's idle connections are closed then).
   */
  closeConnectionsWhenDone(server: Server): void {
    for (const response of this.#slots) {
      if (!response) continue;
      if (!response.headersSent) response.setHeader('connection', 'close');
      else response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
    }
  }
}
