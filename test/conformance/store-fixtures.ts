// Record builders for the store conformance suite: sensible defaults, a fixed clock, overrides per test.
import type { ApiSpec } from '../../src/model/api.ts';
import type {
  ApiRecord,
  ApiRevisionRecord,
  AppRecord,
  AuditRecord,
  ChangeLogRecord,
  CredentialRecord,
  DeveloperRecord,
  KeyValueEntryRecord,
  KeyValueMapRecord,
  OAuthTokenRecord,
  PersonalTokenRecord,
  ProductRecord,
  UserRecord,
} from '../../src/store/index.ts';

/** A fixed "now" (2026-01-01T00:00:00Z). It is far beyond 2^31, so it exercises the bigint columns. */
export const T0 = Date.UTC(2026, 0, 1);

/** T0 plus some minutes: distinct, ordered, fixed timestamps without a clock. */
export function at(minutes: number): number {
  return T0 + minutes * 60_000;
}

export function user(email: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: `usr_${email}`,
    email,
    displayName: `User ${email}`,
    passwordHash: `scrypt$${email}`,
    roles: ['viewer'],
    status: 'active',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function personalToken(owner: UserRecord, name: string, overrides: Partial<PersonalTokenRecord> = {}): PersonalTokenRecord {
  const id = overrides.id ?? `pat_${owner.email}_${name}`;
  return {
    id,
    userId: owner.id,
    name,
    tokenHash: `hash_${id}`,
    createdAt: T0,
    expiresAt: null,
    ...overrides,
  };
}

export function apiSpec(name: string, overrides: Partial<ApiSpec> = {}): ApiSpec {
  return { name, basePath: `/${name}`, target: { url: `https://${name}.internal.example` }, ...overrides };
}

/** An API and its first revision. */
export function api(name: string, spec: Partial<ApiSpec> = {}): { api: ApiRecord; first: ApiRevisionRecord } {
  const record: ApiRecord = { id: `api_${name}`, name, latestRevision: 1, createdAt: T0, updatedAt: T0 };
  return { api: record, first: revision(record, 1, spec) };
}

export function revision(owner: ApiRecord, number: number, spec: Partial<ApiSpec> = {}): ApiRevisionRecord {
  return { apiId: owner.id, revision: number, spec: apiSpec(owner.name, spec), createdAt: at(number), createdBy: 'admin@example.com' };
}

export function product(name: string, overrides: Partial<ProductRecord> = {}): ProductRecord {
  return {
    id: `prd_${name}`,
    name,
    spec: { name, apis: [name], displayName: `Product ${name}`, quota: { limit: 100, timeUnit: 'minute' } },
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function developer(email: string, overrides: Partial<DeveloperRecord> = {}): DeveloperRecord {
  return {
    id: `dev_${email}`,
    email,
    spec: { email, firstName: 'Dana', lastName: 'Developer' },
    status: 'active',
    userId: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function app(owner: DeveloperRecord, name: string, overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    id: `app_${owner.email}_${name}`,
    developerId: owner.id,
    name,
    spec: { name },
    status: 'approved',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function credential(owner: AppRecord, clientId: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id: `crd_${clientId}`,
    appId: owner.id,
    clientId,
    secretHash: `secret_${clientId}`,
    status: 'approved',
    issuedAt: T0,
    expiresAt: null,
    products: [],
    ...overrides,
  };
}

export function oauthToken(id: string, overrides: Partial<OAuthTokenRecord> = {}): OAuthTokenRecord {
  return {
    id,
    kind: 'access',
    tokenHash: `hash_${id}`,
    clientId: 'client-0001',
    appId: 'app_1',
    developerId: 'dev_1',
    products: [],
    scope: '',
    grantType: 'client_credentials',
    endUser: null,
    issuedAt: T0,
    expiresAt: at(60),
    revokedAt: null,
    familyId: null,
    attributes: {},
    ...overrides,
  };
}

export function auditEvent(overrides: Partial<Omit<AuditRecord, 'id'>> = {}): Omit<AuditRecord, 'id'> {
  return {
    at: T0,
    actor: 'admin@example.com',
    action: 'api.create',
    resourceType: 'api',
    resource: 'weather',
    details: {},
    ...overrides,
  };
}

export function keyValueMap(name: string, overrides: Partial<KeyValueMapRecord> = {}): KeyValueMapRecord {
  const api = overrides.api ?? null;
  return {
    id: `kvm_${api ?? ''}_${name}`,
    name,
    api,
    encrypted: false,
    description: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function kvEntry(map: KeyValueMapRecord, key: string, value: string, overrides: Partial<KeyValueEntryRecord> = {}): KeyValueEntryRecord {
  return { mapId: map.id, key, value, updatedAt: T0, ...overrides };
}

export function changeEntry(overrides: Partial<Omit<ChangeLogRecord, 'id'>> = {}): Omit<ChangeLogRecord, 'id'> {
  return { at: T0, kind: 'deployment', name: 'weather', origin: 'node-a', ...overrides };
}
