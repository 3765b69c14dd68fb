// Relays one target answer straight to the client: an undici dispatch handler that writes the target's body into
// the client's response as it arrives, and keeps the call's timeout on a native timer of its own.
import type { Dispatcher } from 'undici';
import type { Writable } from 'node:stream';
import type { Headers } from '../policies/policy.ts';
import type { DirectResponse } from './context.ts';
import { forwardableHeaders } from './forwardable-headers.ts';

/** The code of the error a relay fails with when the target took longer than the API's `target.timeoutMs`. */
export const TARGET_TIMEOUT = 'GATEHOUSE_TARGET_TIMEOUT';
/** The code of the error a relay aborts the target's answer with when the client is gone. */
export const CLIENT_GONE = 'GATEHOUSE_CLIENT_GONE';

function relayError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function onRelayTimeout(relay: TargetRelay): void {
  relay.timedOut();
}

/**
 * One relayed call, from dispatch to the end of the body.
 *
 * Why not undici's own `stream()` and timeouts: its headers and body timeouts make a fresh "fast timer" per request,
 * and undici keeps every one of them in an array for up to half a second, so each survives young-generation
 * collections and is promoted: at 8,000 calls a second that was most of what a scavenge copied (87 of 108 KB promoted
 * per scavenge in the bare proxy, which uses those defaults; 21 KB without them), longer scavenges, and an old
 * generation that grew until a major collection stalled the loop. Here one native timer per call (unlinked when
 * cleared, so it dies young) covers the whole call: waiting for a connection, for the head (`timeoutMs`, then 504) and
 * between body chunks (`timeoutMs` again, then the answer is cut). `stream()` also made an AsyncResource and had
 * `finished()` put half a dozen listeners on each response.
 *
 * A client that goes away is noticed at the next write (a destroyed response), or at once while the relay waits for
 * it to drain; the target's answer is then aborted. A client gone while the target has not answered yet, or while it
 * sends nothing, is noticed at the next chunk or at the timeout: listening for every response's `close` would cost
 * each call a listener for the rare call that needs it.
 */
export class TargetRelay implements Dispatcher.DispatchHandler {
  readonly #direct: DirectResponse;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #response: Writable | undefined;
  /** Set once the call's outcome was handed to `direct` (done), after which undici's later news is ignored. */
  #over = false;

  constructor(direct: DirectResponse, timeoutMs: number) {
    this.#direct = direct;
    this.#timer = setTimeout(onRelayTimeout, timeoutMs, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Timed out while waiting for a connection: the client has its 504 already.
    if (this.#over) return controller.abort(relayError(TARGET_TIMEOUT, 'timed out before a connection was free'));
    this.#controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    if (statusCode < 200) return;
    this.#timer.refresh();
    this.#response = this.#direct.head(statusCode, forwardableHeaders(headers));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const response = this.#response as Writable;
    this.#timer.refresh();
    if (response.write(chunk)) return;
    if (response.destroyed) return controller.abort(relayError(CLIENT_GONE, 'the client went away'));
    // Backpressure: the rare case, so its listeners are made only now.
    controller.pause();
    const resume = (): void => {
      response.off('close', gone);
      if (this.#over) return;
      this.#timer.refresh();
      controller.resume();
    };
    const gone = (): void => {
      response.off('drain', resume);
      if (!this.#over) controller.abort(relayError(CLIENT_GONE, 'the client went away'));
    };
    response.once('drain', resume).once('close', gone);
  }

  onResponseEnd(): void {
    clearTimeout(this.#timer);
    (this.#response as Writable).end();
    this.#finish(undefined);
  }

  onResponseError(controller: Dispatcher.DispatchController | undefined, error: Error): void {
    clearTimeout(this.#timer);
    this.#finish(error);
  }

  /** The timer ran out: before the head the client gets the timeout's fault; after it, the answer is cut. */
  timedOut(): void {
    const error = relayError(TARGET_TIMEOUT, 'the target took longer than target.timeoutMs');
    // Aborting ends in onResponseError, which reports the error; without a connection yet, report it here.
    if (this.#controller) this.#controller.abort(error);
    else this.#finish(error);
  }

  #finish(error: Error | undefined): void {
    if (this.#over) return;
    this.#over = true;
    this.#direct.done(error);
  }
}
