// Change notices: after a write commits, listeners (the gateway's caches, later Redis fan-out) hear of it.

export type ChangeKind = 'api' | 'deployment' | 'product' | 'developer' | 'app' | 'credential' | 'user' | 'kvm';

export interface Change {
  readonly kind: ChangeKind;
  /** The changed resource: a name, an email, `email/app`, or a client id; a key value map is `name` or `api/name`. */
  readonly name: string;
}

export type ChangeListener = (change: Change) => void | Promise<void>;

/**
 * Listeners may be async (the gateway reloads its routing table); emit resolves when all have finished, so a
 * deploy answered by the management API is already served by this node's gateway.
 */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  async emit(change: Change): Promise<void> {
    await Promise.all([...this.#listeners].map(async (listener) => listener(change)));
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
