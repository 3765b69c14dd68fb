// Key value maps as key-value-map steps see them: reads cached in memory (no older than the step's TTL) and dropped
// when a change notice names the map, writes straight to the store followed by a change notice of their own.
// Values of encrypted maps are decrypted here, so only this class and the manage layer ever see the cipher.
import type { Change, ChangeFeed } from '../manage/changes.ts';
import { KVM_KEY_MAX_BYTES, KVM_VALUE_MAX_BYTES } from '../model/key-value-map.ts';
import type { KeyValueMaps, KeyValueRead } from '../policies/policy.ts';
import { UniqueViolation, type KeyValueMapRecord, type Repositories } from '../store/index.ts';
import { entryContext, type ValueCipher } from '../util/cipher.ts';
import type { Clock } from '../util/clock.ts';
import { newId } from '../util/secrets.ts';

/** Cached keys per map before the map's cache starts afresh (a bound on memory, not a tuning knob). */
const MAX_CACHED_KEYS = 10_000;

interface CachedMap {
  readonly loadedAt: number;
  readonly map: KeyValueMapRecord | undefined;
  readonly values: Map<string, { loadedAt: number; value: string | undefined }>;
}

export interface KeyValueMapsOptions {
  store: Repositories;
  changes: ChangeFeed;
  clock: Clock;
  /** Absent: encrypted maps cannot be read or written (PostgreSQL without GATEHOUSE_SECRET_KEY). */
  cipher?: ValueCipher | undefined;
}

function label(api: string | null, map: string): string {
  return api === null ? map : `${api}/${map}`;
}

export class CachedKeyValueMaps implements KeyValueMaps {
  readonly #store: Repositories;
  readonly #changes: ChangeFeed;
  readonly #clock: Clock;
  readonly #cipher: ValueCipher | undefined;
  readonly #cache = new Map<string, CachedMap>();
  /** Bumped when a map's cache is dropped, so a load that started before cannot put stale values back. */
  readonly #generation = new Map<string, number>();
  readonly #unsubscribe: () => void;

  constructor(options: KeyValueMapsOptions) {
    this.#store = options.store;
    this.#changes = options.changes;
    this.#clock = options.clock;
    this.#cipher = options.cipher;
    this.#unsubscribe = options.changes.subscribe((change) => this.#invalidate(change));
  }

  close(): void {
    this.#unsubscribe();
    this.#cache.clear();
  }

  async get(api: string | null, name: string, key: string, maxAgeMs: number): Promise<KeyValueRead | undefined> {
    const id = label(api, name);
    const now = this.#clock.now();
    let cached = this.#cache.get(id);
    if (!cached || now - cached.loadedAt > maxAgeMs) {
      const generation = this.#generation.get(id) ?? 0;
      const map = await this.#store.keyValueMaps.get(api, name);
      cached = { loadedAt: now, map, values: new Map() };
      if (maxAgeMs > 0 && (this.#generation.get(id) ?? 0) === generation) this.#cache.set(id, cached);
    }
    const map = cached.map;
    if (!map) return undefined;
    const hit = cached.values.get(key);
    if (hit && now - hit.loadedAt <= maxAgeMs) return { encrypted: map.encrypted, value: hit.value };
    const generation = this.#generation.get(id) ?? 0;
    const entry = await this.#store.keyValueMaps.getEntry(map.id, key);
    const value = entry === undefined ? undefined : map.encrypted ? this.#decrypt(map, id, key, entry.value) : entry.value;
    if (maxAgeMs > 0 && (this.#generation.get(id) ?? 0) === generation && this.#cache.get(id) === cached) {
      if (cached.values.size >= MAX_CACHED_KEYS) cached.values.clear();
      cached.values.set(key, { loadedAt: now, value });
    }
    return { encrypted: map.encrypted, value };
  }

  async put(api: string | null, name: string, key: string, value: string, override: boolean): Promise<boolean> {
    if (Buffer.byteLength(key, 'utf8') > KVM_KEY_MAX_BYTES) throw new Error(`the key is longer than ${KVM_KEY_MAX_BYTES} bytes`);
    if (Buffer.byteLength(value, 'utf8') > KVM_VALUE_MAX_BYTES) throw new Error(`the value is longer than ${KVM_VALUE_MAX_BYTES} bytes`);
    const map = await this.#mapForWriting(api, name);
    const id = label(api, name);
    const entry = { mapId: map.id, key, value: map.encrypted ? this.#encrypt(map, id, key, value) : value, updatedAt: this.#clock.now() };
    let written = true;
    if (override) await this.#store.keyValueMaps.putEntry(entry);
    else written = await this.#store.keyValueMaps.insertEntry(entry);
    if (written) await this.#changes.emit({ kind: 'kvm', name: id });
    return written;
  }

  async delete(api: string | null, name: string, key: string): Promise<boolean> {
    const map = await this.#store.keyValueMaps.get(api, name);
    if (!map) return false;
    const deleted = await this.#store.keyValueMaps.deleteEntry(map.id, key);
    if (deleted) await this.#changes.emit({ kind: 'kvm', name: label(api, name) });
    return deleted;
  }

  async initialize(api: string | null, name: string, entries: Readonly<Record<string, string>>): Promise<boolean> {
    const map = await this.#mapForWriting(api, name);
    if ((await this.#store.keyValueMaps.countEntries(map.id)) > 0) return false;
    const id = label(api, name);
    const now = this.#clock.now();
    let wrote = false;
    for (const [key, value] of Object.entries(entries)) {
      const stored = map.encrypted ? this.#encrypt(map, id, key, value) : value;
      // Insert-if-absent: two nodes initialising at once both end with the same entries.
      if (await this.#store.keyValueMaps.insertEntry({ mapId: map.id, key, value: stored, updatedAt: now })) wrote = true;
    }
    if (wrote) await this.#changes.emit({ kind: 'kvm', name: id });
    return wrote;
  }

  /** The map, created unencrypted when missing (Apigee creates a map on its first Put). */
  async #mapForWriting(api: string | null, name: string): Promise<KeyValueMapRecord> {
    const found = await this.#store.keyValueMaps.get(api, name);
    if (found) return found;
    const now = this.#clock.now();
    const map: KeyValueMapRecord = { id: newId(), name, api, encrypted: false, description: null, version: 1, createdAt: now, updatedAt: now };
    try {
      await this.#store.keyValueMaps.insert(map);
    } catch (error) {
      if (!(error instanceof UniqueViolation)) throw error;
      const winner = await this.#store.keyValueMaps.get(api, name);
      if (!winner) throw error;
      return winner;
    }
    await this.#changes.emit({ kind: 'kvm', name: label(api, name) });
    return map;
  }

  #encrypt(map: KeyValueMapRecord, id: string, key: string, value: string): string {
    if (!this.#cipher) throw new Error(`key value map ${id} is encrypted and this server has no secret key (set GATEHOUSE_SECRET_KEY)`);
    return this.#cipher.encrypt(value, entryContext(map.id, key));
  }

  #decrypt(map: KeyValueMapRecord, id: string, key: string, stored: string): string {
    if (!this.#cipher) throw new Error(`key value map ${id} is encrypted and this server has no secret key (set GATEHOUSE_SECRET_KEY)`);
    try {
      return this.#cipher.decrypt(stored, entryContext(map.id, key));
    } catch {
      throw new Error(`a value of key value map ${id} cannot be decrypted: the server's secret key is not the one it was written with`);
    }
  }

  #invalidate(change: Change): void {
    if (change.kind !== 'kvm') return;
    this.#cache.delete(change.name);
    this.#generation.set(change.name, (this.#generation.get(change.name) ?? 0) + 1);
  }
}
