// Key value map operations: maps (organisation-wide or one API's) and their entries. Values of encrypted maps are
// encrypted before they reach the store, never read back out (GET shows `***`), and never written to the audit log;
// no value of any map is.
import { GatehouseError } from '../errors.ts';
import { iso, type PageOf } from '../model/common.ts';
import {
  KVM_KEY_MAX_BYTES,
  KVM_VALUE_MAX_BYTES,
  MASKED_VALUE,
  type KeyValueEntryView,
  type KeyValueMapSpec,
  type KeyValueMapView,
} from '../model/key-value-map.ts';
import { UniqueViolation, type KeyValueEntryRecord, type KeyValueMapRecord, type PageRequest, type Repositories } from '../store/index.ts';
import { entryContext, type ValueCipher } from '../util/cipher.ts';
import { newId } from '../util/secrets.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';
import { checkVersion, preconditionFailed, sameIdentity, type Versioned } from './guards.ts';

/** Which map: its name, and the API it belongs to (null: organisation-wide). */
export interface MapRef {
  readonly api: string | null;
  readonly name: string;
}

/** How a map is named in messages, audit events and change notices: `name`, or `api/name` for an API's map. */
export function mapLabel(ref: MapRef): string {
  return ref.api === null ? ref.name : `${ref.api}/${ref.name}`;
}

function describe(ref: MapRef): string {
  return ref.api === null ? `key value map '${ref.name}'` : `key value map '${ref.name}' of API '${ref.api}'`;
}

/** Roles that may read the entries (masked) of an encrypted map. */
const ENCRYPTED_READERS = ['admin', 'api-editor'] as const;

function toView(map: KeyValueMapRecord): KeyValueMapView {
  return {
    name: map.name,
    ...(map.api === null ? {} : { api: map.api }),
    encrypted: map.encrypted,
    ...(map.description === null ? {} : { description: map.description }),
    createdAt: iso(map.createdAt),
    updatedAt: iso(map.updatedAt),
  };
}

function toEntryView(map: KeyValueMapRecord, entry: KeyValueEntryRecord): KeyValueEntryView {
  return { key: entry.key, value: map.encrypted ? MASKED_VALUE : entry.value, updatedAt: iso(entry.updatedAt) };
}

async function requireMap(tx: Repositories, ref: MapRef): Promise<KeyValueMapRecord> {
  const map = await tx.keyValueMaps.get(ref.api, ref.name);
  if (!map) {
    const hint = ref.api === null ? ' (maps of an API are addressed with `?api=<name>`)' : '';
    throw new GatehouseError('kvm.not_found', `There is no ${describe(ref)}${hint}.`);
  }
  return map;
}

function requireCipher(deps: ManageDeps, ref: MapRef): ValueCipher {
  if (deps.kvmCipher) return deps.kvmCipher;
  throw new GatehouseError(
    'kvm.encryption_unavailable',
    `Cannot encrypt values of ${describe(ref)}: this server has no secret key. With PostgreSQL, set GATEHOUSE_SECRET_KEY (at least 32 characters, the same on every node) and restart.`,
  );
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Keys: 1 to 2 KB of UTF-8, no NUL (the body parser refuses NUL in values already; keys come from the path). */
export function checkKey(key: string): void {
  if (key.length === 0 || key.includes('\u0000') || bytes(key) > KVM_KEY_MAX_BYTES) {
    const why = key.length === 0 ? 'is empty' : key.includes('\u0000') ? 'holds a NUL character' : `is ${bytes(key)} bytes long`;
    throw new GatehouseError('kvm.key_too_long', `The key ${why}; keys are 1 to ${KVM_KEY_MAX_BYTES} bytes of UTF-8 without NUL.`);
  }
}

export function checkValue(value: string): void {
  if (value.includes('\u0000') || bytes(value) > KVM_VALUE_MAX_BYTES) {
    const why = value.includes('\u0000') ? 'holds a NUL character' : `is ${bytes(value)} bytes long`;
    throw new GatehouseError('kvm.value_too_long', `The value ${why}; values are at most ${KVM_VALUE_MAX_BYTES} bytes of UTF-8 without NUL.`);
  }
}

/** Entries of an encrypted map are for admins and API editors only; a viewer sees that the map exists, no more. */
function checkEntryReader(actor: Actor, map: KeyValueMapRecord, ref: MapRef): void {
  if (!map.encrypted || actor.roles.some((role) => (ENCRYPTED_READERS as readonly string[]).includes(role))) return;
  throw new GatehouseError('auth.forbidden', `The entries of encrypted ${describe(ref)} need one of the roles ${ENCRYPTED_READERS.join(', ')}.`, {
    details: { requiredRoles: [...ENCRYPTED_READERS] },
  });
}

export async function createKeyValueMap(deps: ManageDeps, actor: Actor, spec: KeyValueMapSpec): Promise<Versioned<KeyValueMapView>> {
  const ref: MapRef = { api: spec.api ?? null, name: spec.name };
  const encrypted = spec.encrypted ?? false;
  if (encrypted) requireCipher(deps, ref);
  const now = deps.clock.now();
  const map: KeyValueMapRecord = { id: newId(), name: spec.name, api: ref.api, encrypted, description: spec.description ?? null, version: 1, createdAt: now, updatedAt: now };
  await deps.store.transaction(async (tx) => {
    if (ref.api !== null && !(await tx.apis.get(ref.api))) {
      throw new GatehouseError('kvm.unknown_api', `Key value map '${spec.name}' is scoped to API '${ref.api}', which does not exist.`);
    }
    try {
      await tx.keyValueMaps.insert(map);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('kvm.exists', `A ${describe(ref)} already exists.`);
      throw error;
    }
    await audit(tx, deps, actor, 'kvm.create', 'kvm', mapLabel(ref), { encrypted });
  });
  await deps.changes.emit({ kind: 'kvm', name: mapLabel(ref) });
  return { view: toView(map), version: 1 };
}

export async function getKeyValueMap(deps: ManageDeps, ref: MapRef): Promise<Versioned<KeyValueMapView>> {
  const map = await requireMap(deps.store, ref);
  return { view: toView(map), version: map.version };
}

export async function listKeyValueMaps(deps: ManageDeps, filter: { api?: string | undefined }, page: PageRequest): Promise<PageOf<KeyValueMapView>> {
  const result = await deps.store.keyValueMaps.list(filter, page);
  return { items: result.items.map(toView), nextCursor: result.nextCursor };
}

/** Replaces a map's settings (its description): the name and scope are its identity, and `encrypted` is fixed. */
export async function updateKeyValueMap(
  deps: ManageDeps,
  actor: Actor,
  ref: MapRef,
  spec: KeyValueMapSpec,
  expectedVersion?: number | null,
): Promise<Versioned<KeyValueMapView>> {
  sameIdentity('key value map', 'name', ref.name, spec.name);
  if ((spec.api ?? null) !== ref.api) {
    throw new GatehouseError('request.invalid', `The body scopes the map to ${spec.api ? `API '${spec.api}'` : 'the organisation'} but the path (\`?api=\`) names ${ref.api ? `API '${ref.api}'` : 'the organisation'}; a map cannot move between scopes.`, {
      details: { errors: [{ path: '/api', message: ref.api ? `must be '${ref.api}'` : 'must be absent' }] },
    });
  }
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const current = await requireMap(tx, ref);
    checkVersion(expectedVersion, current.version, `Key value map '${mapLabel(ref)}'`);
    if ((spec.encrypted ?? false) !== current.encrypted) {
      throw new GatehouseError('kvm.encrypted_immutable', `${describe(ref)} is ${current.encrypted ? '' : 'not '}encrypted, and that cannot change; create a new map instead.`);
    }
    const description = spec.description ?? null;
    if (description === current.description) return { view: toView(current), version: current.version };
    const next: KeyValueMapRecord = { ...current, description, version: current.version + 1, updatedAt: now };
    if (!(await tx.keyValueMaps.update(next, current.version))) throw preconditionFailed(`Key value map '${mapLabel(ref)}'`);
    await audit(tx, deps, actor, 'kvm.update', 'kvm', mapLabel(ref), { version: next.version });
    changed = true;
    return { view: toView(next), version: next.version };
  });
  if (changed) await deps.changes.emit({ kind: 'kvm', name: mapLabel(ref) });
  return result;
}

export async function deleteKeyValueMap(deps: ManageDeps, actor: Actor, ref: MapRef): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const map = await requireMap(tx, ref);
    const entries = await tx.keyValueMaps.countEntries(map.id);
    await tx.keyValueMaps.delete(map.id);
    await audit(tx, deps, actor, 'kvm.delete', 'kvm', mapLabel(ref), { entries });
  });
  await deps.changes.emit({ kind: 'kvm', name: mapLabel(ref) });
}

export async function listEntries(deps: ManageDeps, actor: Actor, ref: MapRef, page: PageRequest): Promise<PageOf<KeyValueEntryView>> {
  const map = await requireMap(deps.store, ref);
  checkEntryReader(actor, map, ref);
  const result = await deps.store.keyValueMaps.listEntries(map.id, page);
  return { items: result.items.map((e) => toEntryView(map, e)), nextCursor: result.nextCursor };
}

export async function getEntry(deps: ManageDeps, actor: Actor, ref: MapRef, key: string): Promise<KeyValueEntryView> {
  const map = await requireMap(deps.store, ref);
  checkEntryReader(actor, map, ref);
  const entry = await deps.store.keyValueMaps.getEntry(map.id, key);
  if (!entry) throw new GatehouseError('kvm.entry_not_found', `The ${describe(ref)} has no entry '${key}'.`);
  return toEntryView(map, entry);
}

/** Sets an entry; `created` tells a new key from a replaced one. The value is never audited. */
export async function putEntry(deps: ManageDeps, actor: Actor, ref: MapRef, key: string, value: string): Promise<{ view: KeyValueEntryView; created: boolean }> {
  checkKey(key);
  checkValue(value);
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const map = await requireMap(tx, ref);
    const existing = await tx.keyValueMaps.getEntry(map.id, key);
    let stored = value;
    if (map.encrypted) {
      stored = requireCipher(deps, ref).encrypt(value, entryContext(map.id, key));
    } else if (existing?.value === value) {
      return { view: toEntryView(map, existing), created: false };
    }
    const entry: KeyValueEntryRecord = { mapId: map.id, key, value: stored, updatedAt: now };
    await tx.keyValueMaps.putEntry(entry);
    await audit(tx, deps, actor, existing ? 'kvm.entry.update' : 'kvm.entry.create', 'kvm', mapLabel(ref), { key });
    changed = true;
    return { view: toEntryView(map, entry), created: existing === undefined };
  });
  if (changed) await deps.changes.emit({ kind: 'kvm', name: mapLabel(ref) });
  return result;
}

export async function deleteEntry(deps: ManageDeps, actor: Actor, ref: MapRef, key: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const map = await requireMap(tx, ref);
    if (!(await tx.keyValueMaps.deleteEntry(map.id, key))) throw new GatehouseError('kvm.entry_not_found', `The ${describe(ref)} has no entry '${key}'.`);
    await audit(tx, deps, actor, 'kvm.entry.delete', 'kvm', mapLabel(ref), { key });
  });
  await deps.changes.emit({ kind: 'kvm', name: mapLabel(ref) });
}
