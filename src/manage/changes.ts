// Change notices: after a write commits, listeners (the gateway's caches, later Redis fan-out) hear of it.
import { EventEmitter } from 'node:events';

export type ChangeKind = 'api' | 'deployment' | 'product' | 'developer' | 'app' | 'credential' | 'user';

export interface Change {
  readonly kind: ChangeKind;
  /** The changed resource: a name, an email, `email/app`, or a client id. */
  readonly name: string;
}

export class ChangeFeed {
  readonly #emitter = new EventEmitter();

  emit(change: Change): void {
    this.#emitter.emit('change', change);
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }
}
