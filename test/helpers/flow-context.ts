// A real MessageContext around a fake incoming request, for unit tests of policies (no sockets).
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { GatewayRequest, GatewayResponse, MessageContext } from '../../src/gateway/context.ts';
import { MemoryCounters } from '../../src/counters/memory.ts';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { StepFault, type FlowContext, type KeyLookup, type KeyRecord, type KeyValueMaps, type KeyValueRead, type PolicyDefinition, type PolicyDeps, type TokenService } from '../../src/policies/policy.ts';
import { MemoryResponseCacheStore } from '../../src/policies/response-cache/store.ts';
import { ManualClock } from '../../src/util/clock.ts';

export interface FakeRequest {
  method?: string;
  /** Path with optional query, e.g. `/weather/today?q=Berlin`. */
  url?: string;
  basePath?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  clientIp?: string;
  api?: string;
}

export function flowContext(request: FakeRequest = {}, clock = new ManualClock()): MessageContext {
  const url = request.url ?? '/api/resource';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const basePath = request.basePath ?? '/api';
  const stream = new PassThrough();
  stream.end(request.body ?? '');
  const incoming = Object.assign(stream, {
    method: request.method ?? 'GET',
    url,
    headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    socket: { remoteAddress: request.clientIp ?? '127.0.0.1' },
  }) as unknown as IncomingMessage;
  const suffix = path.startsWith(basePath) ? path.slice(basePath.length) : path;
  return new MessageContext({ name: request.api ?? 'api', revision: 1, basePath }, new GatewayRequest(incoming, path, rawQuery, suffix), 'test-request-id', clock);
}

/** Gives the context a response, as if the target had answered. */
export function withResponse(context: MessageContext, status: number, body: string, headers: Record<string, string> = {}): MessageContext {
  context.response = new GatewayResponse(status, { 'content-type': 'application/json', ...headers }, Buffer.from(body));
  return context;
}

export function policyDeps(overrides: Partial<PolicyDeps> = {}, clock = new ManualClock()): PolicyDeps {
  const keys: KeyLookup = { find: async () => undefined };
  const tokens: TokenService = {
    issuesJwt: false,
    issueAccessToken: async () => {
      throw new Error('no token service in this test');
    },
    lookupAccessToken: async () => undefined,
    revokeAccessToken: async () => false,
    issueTokenPair: async () => {
      throw new Error('no token service in this test');
    },
    lookupRefreshToken: async () => undefined,
    rotateRefreshToken: async () => undefined,
    revokeTokenFamily: async () => 0,
    authenticateUser: async () => undefined,
    userIsActive: async () => false,
  };
  return { clock, counters: new MemoryCounters(), keys, tokens, responseCache: new MemoryResponseCacheStore(), kvm: new MemoryKeyValueMaps(), ...overrides };
}

/** Key value maps in memory, for unit tests of key-value-map steps: no cache, no encryption (a flag stands for it). */
export class MemoryKeyValueMaps implements KeyValueMaps {
  readonly maps = new Map<string, { encrypted: boolean; entries: Map<string, string> }>();

  static label(api: string | null, map: string): string {
    return api === null ? map : `${api}/${map}`;
  }

  /** Creates (or replaces) a map with these entries. */
  define(api: string | null, map: string, entries: Record<string, string> = {}, encrypted = false): void {
    this.maps.set(MemoryKeyValueMaps.label(api, map), { encrypted, entries: new Map(Object.entries(entries)) });
  }

  entries(api: string | null, map: string): Record<string, string> | undefined {
    const found = this.maps.get(MemoryKeyValueMaps.label(api, map));
    return found && Object.fromEntries(found.entries);
  }

  async get(api: string | null, map: string, key: string): Promise<KeyValueRead | undefined> {
    const found = this.maps.get(MemoryKeyValueMaps.label(api, map));
    return found && { encrypted: found.encrypted, value: found.entries.get(key) };
  }

  #writable(api: string | null, map: string) {
    const id = MemoryKeyValueMaps.label(api, map);
    let found = this.maps.get(id);
    if (!found) this.maps.set(id, (found = { encrypted: false, entries: new Map() }));
    return found;
  }

  async put(api: string | null, map: string, key: string, value: string, override: boolean): Promise<boolean> {
    const found = this.#writable(api, map);
    if (!override && found.entries.has(key)) return false;
    found.entries.set(key, value);
    return true;
  }

  async delete(api: string | null, map: string, key: string): Promise<boolean> {
    return this.maps.get(MemoryKeyValueMaps.label(api, map))?.entries.delete(key) ?? false;
  }

  async initialize(api: string | null, map: string, entries: Readonly<Record<string, string>>): Promise<boolean> {
    const found = this.#writable(api, map);
    if (found.entries.size > 0) return false;
    for (const [key, value] of Object.entries(entries)) found.entries.set(key, value);
    return Object.keys(entries).length > 0;
  }
}

/** A key in good standing with one product covering `api`, for tests of security steps. */
export function keyRecord(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    clientId: 'client-0001',
    secretHash: '',
    credentialStatus: 'approved',
    expiresAt: null,
    app: { id: 'app-id', name: 'app', status: 'approved', callbackUrls: [], allowPasswordGrant: false, tokenEndpointAuthMethod: 'client_secret', jwks: [], attributes: {} },
    developer: { id: 'dev-id', email: 'dana@example.com', status: 'active', firstName: 'Dana', lastName: 'Developer', attributes: {} },
    products: [{ name: 'product', apis: new Map([['api', undefined]]), scopes: [], quota: { limit: 5, interval: 1, timeUnit: 'minute' }, attributes: {} }],
    ...overrides,
  };
}

/** A policy's config as the compiler would hand it to create(): defaults applied, checked against the schema. */
export function configure<S extends TSchema>(policy: PolicyDefinition<S>, config: unknown): Static<S> {
  const compiled = Value.Default(policy.config, structuredClone(config));
  if (!Value.Check(policy.config, compiled)) {
    throw new Error(`invalid ${policy.name} config: ${[...Value.Errors(policy.config, compiled)].map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
  return compiled as Static<S>;
}

/** Runs a step: 'passed', or the fault it raised (anything else is a bug and is thrown). */
export async function outcome(run: (context: FlowContext) => void | Promise<void>, context: FlowContext): Promise<StepFault | 'passed'> {
  try {
    await run(context);
    return 'passed';
  } catch (error) {
    if (error instanceof StepFault) return error;
    throw error;
  }
}

/** Runs a step that must refuse the call, and returns its fault. */
export async function refusal(run: (context: FlowContext) => void | Promise<void>, context: FlowContext): Promise<StepFault> {
  const result = await outcome(run, context);
  if (result === 'passed') throw new Error('the step let the call through');
  return result;
}
