// Credentials as security steps need them, cached in memory and dropped when anything they depend on changes,
// so a warm request never waits on SQL and a revocation takes effect at once.
import type { Change, ChangeFeed } from '../manage/changes.ts';
import type { ProductSpec } from '../model/product.ts';
import type { KeyLookup, KeyRecord, ProductGrant } from '../policies/policy.ts';
import type { Repositories } from '../store/index.ts';
import { Lru } from '../util/lru.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

export function productGrant(spec: ProductSpec): ProductGrant {
  const apis = new Map<string, Array<{ path: string; methods?: string[] }> | undefined>();
  for (const entry of spec.apis) {
    if (typeof entry === 'string') apis.set(entry, undefined);
    else apis.set(entry.name, entry.resources);
  }
  return {
    name: spec.name,
    apis,
    scopes: spec.scopes ?? [],
    quota: spec.quota ? { limit: spec.quota.limit, interval: spec.quota.interval ?? 1, timeUnit: spec.quota.timeUnit } : undefined,
    attributes: spec.attributes ?? {},
  };
}

/** Client ids are at most 200 characters (model/app.ts); longer ones are not looked up. */
const MAX_CLIENT_ID = 200;

export class CachedKeys implements KeyLookup {
  readonly #store: Repositories;
  /**
   * Known keys only; unknown ids are never cached, so random ids cannot fill memory. A key being loaded is cached as
   * its promise (callers asking meanwhile share one load), and as the record itself once loaded.
   */
  readonly #cache: Lru<string, KeyRecord | Promise<KeyRecord | undefined>>;
  readonly #unsubscribe: () => void;

  constructor(store: Repositories, changes: ChangeFeed, max = 50_000) {
    this.#store = store;
    this.#cache = new Lru(max);
    this.#unsubscribe = changes.subscribe((change) => this.#invalidate(change));
  }

  /** The key, at once when it is cached (no promise: a warm call goes on in the same turn). */
  find(clientId: string): MaybePromise<KeyRecord | undefined> {
    if (clientId.length === 0 || clientId.length > MAX_CLIENT_ID) return undefined;
    const cached = this.#cache.get(clientId);
    if (cached) return cached;
    const loading = this.#load(clientId);
    this.#cache.set(clientId, loading);
    // Misses and failed loads (store down) are not remembered. A change that dropped the entry meanwhile wins.
    loading.then(
      (key) => {
        if (this.#cache.get(clientId) !== loading) return;
        if (key) this.#cache.set(clientId, key);
        else this.#cache.delete(clientId);
      },
      () => {
        if (this.#cache.get(clientId) === loading) this.#cache.delete(clientId);
      },
    );
    return loading;
  }

  /** How many keys are cached (for tests and metrics). */
  get size(): number {
    return this.#cache.size;
  }

  close(): void {
    this.#unsubscribe();
    this.#cache.clear();
  }

  #invalidate(change: Change): void {
    if (change.kind === 'credential') this.#cache.delete(change.name);
    // Apps, developers and products touch many credentials; they change rarely, so start afresh.
    else if (change.kind === 'app' || change.kind === 'developer' || change.kind === 'product') this.#cache.clear();
  }

  async #load(clientId: string): Promise<KeyRecord | undefined> {
    const credential = await this.#store.credentials.getByClientId(clientId);
    if (!credential) return undefined;
    const app = await this.#store.apps.getById(credential.appId);
    if (!app) return undefined;
    const developer = await this.#store.developers.getById(app.developerId);
    if (!developer) return undefined;
    const products: ProductGrant[] = [];
    for (const subscription of credential.products) {
      if (subscription.status !== 'approved') continue;
      const product = await this.#store.products.get(subscription.name);
      if (product) products.push(productGrant(product.spec));
    }
    return {
      clientId: credential.clientId,
      secretHash: credential.secretHash,
      credentialStatus: credential.status,
      expiresAt: credential.expiresAt,
      app: {
        id: app.id,
        name: app.name,
        status: app.status,
        callbackUrls: app.spec.callbackUrls ?? [],
        allowPasswordGrant: app.spec.allowPasswordGrant ?? false,
        tokenEndpointAuthMethod: app.spec.tokenEndpointAuthMethod ?? 'client_secret',
        jwks: app.spec.jwks?.keys ?? [],
        attributes: app.spec.attributes ?? {},
      },
      developer: {
        id: developer.id,
        email: developer.email,
        status: developer.status,
        firstName: developer.spec.firstName,
        lastName: developer.spec.lastName,
        attributes: developer.spec.attributes ?? {},
      },
      products,
    };
  }
}
