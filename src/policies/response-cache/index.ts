// The response-cache policy (Apigee ResponseCache): the same step placed in a request flow looks up (a hit answers
// from the gateway; the target is skipped) and in the response flow stores the target's response. The two
// placements share a store and a key space: the API's name and the step's name.
import { PolicyConfigError, type FlowContext, type PolicyDefinition, type ResponseView, type StepFunction } from '../policy.ts';
import { compileTemplate, type Template } from '../template.ts';
import { ResponseCacheConfig } from './config.ts';
import type { CachedResponse } from './store.ts';

/** Headers that describe one transfer, not the response: never stored. `age` is recomputed when served. */
const NOT_STORED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'age', 'set-cookie', 'x-request-id']);
const ACCEPT_HEADERS = ['accept', 'accept-encoding', 'accept-language', 'accept-charset'];


interface CacheControl {
  readonly noStore: boolean;
  /** Seconds, from s-maxage (a gateway is a shared cache, RFC 9111 §5.2.2.10) or max-age. */
  readonly maxAge: number | undefined;
}

function cacheControl(header: string | undefined): CacheControl {
  let noStore = false;
  let sMaxAge: number | undefined;
  let maxAge: number | undefined;
  for (const part of (header ?? '').split(',')) {
    const [rawName, rawValue] = part.split('=', 2);
    const name = (rawName ?? '').trim().toLowerCase();
    const value = rawValue?.trim().replace(/^"|"$/g, '');
    // RFC 9111 §5.2.2: a shared cache must not store no-store or private responses, and no-cache ones must be
    // revalidated each time, which this cache does not do: it does not store them either.
    if (name === 'no-store' || name === 'private' || name === 'no-cache') noStore = true;
    else if (name === 's-maxage' && value !== undefined && /^\d+$/.test(value)) sMaxAge = Number(value);
    else if (name === 'max-age' && value !== undefined && /^\d+$/.test(value)) maxAge = Number(value);
  }
  return { noStore, maxAge: sMaxAge ?? maxAge };
}

/** RFC 9111 §4.2.1: the freshness lifetime the target gave, less the age the response already has; ms. */
function headerLifetimeMs(response: ResponseView, control: CacheControl, now: number): number | undefined {
  const age = Number(response.header('age') ?? '0');
  const ageMs = Number.isFinite(age) && age > 0 ? age * 1000 : 0;
  if (control.maxAge !== undefined) return control.maxAge * 1000 - ageMs;
  const expires = response.header('expires');
  if (expires === undefined) return undefined;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return 0; // RFC 9111 §5.3: an invalid Expires means already expired
  const date = Date.parse(response.header('date') ?? '');
  return at - (Number.isNaN(date) ? now : date) - ageMs;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function cacheableStatus(status: number, excludeErrors: boolean): boolean {
  // 206 and 304 describe a part of, or no change to, another response: not a whole one to replay.
  if (status < 200 || status === 206 || status === 304) return false;
  return !(excludeErrors && status >= 400);
}

export const responseCache: PolicyDefinition<typeof ResponseCacheConfig> = {
  name: 'response-cache',
  summary: "Cache whole target responses: looked up in the request flow (a hit skips the target) and stored in the response flow.",
  apigee: 'ResponseCache',
  config: ResponseCacheConfig,
  errors: [],
  variables: {
    'responsecache.<step>.cachehit': 'True when the request flow answered from the cache; false on a miss or a call not looked up.',
    'responsecache.<step>.cachekey': 'The key looked up (and stored under by the response-flow step).',
  },
  create(config, deps, placement): StepFunction {
    if (placement.phase === 'fault') throw new PolicyConfigError('response-cache looks up in a request flow and stores in a response flow; it has nothing to do in a fault rule.');
    const store = deps.responseCache;
    const namespace = `${placement.api}\n${placement.stepName}\n`;
    const hitVariable = `responsecache.${placement.stepName}.cachehit`;
    const keyVariable = `responsecache.${placement.stepName}.cachekey`;
    const methods = new Set(config.cacheableMethods);
    const fragments: Template[] = config.cacheKeyFragments.map((f) => compileTemplate(f));

    function keyOf(context: FlowContext): string {
      // RFC 9110 §9.3.2: a HEAD may be answered from the GET's response, so HEAD reads the GET's key.
      const reader = context.request.method === 'HEAD' ? { get: (name: string) => (name === 'request.verb' ? 'GET' : context.get(name)) } : context;
      const parts = fragments.map((f) => f.render(reader));
      if (config.cacheKeyPrefix !== undefined) parts.unshift(config.cacheKeyPrefix);
      if (config.useAcceptHeader) for (const name of ACCEPT_HEADERS) parts.push(context.request.header(name) ?? '');
      return parts.join('__');
    }

    if (placement.phase === 'request') {
      return async function responseCacheLookupStep(context) {
        context.set(hitVariable, false);
        if (!methods.has(context.request.method)) return;
        const key = keyOf(context);
        context.set(keyVariable, key);
        const entry = await store.get(namespace + key, context.now());
        if (!entry) return;
        for (const [name, value] of Object.entries(entry.vary)) if (context.request.header(name) !== value) return;
        const age = Math.max(0, Math.floor((context.now() - entry.storedAt) / 1000));
        // RFC 9111 §5.1: a response from a cache carries its Age.
        context.respond(entry.status, entry.body, { ...entry.headers, age: String(age) });
        context.set(hitVariable, true);
      };
    }

    const ttlMs = config.timeoutSeconds * 1000;
    return async function responseCachePopulateStep(context) {
      const response = context.response;
      const method = context.request.method;
      if (!response || context.get(hitVariable) === true || method === 'HEAD' || !methods.has(method)) return;
      if (!cacheableStatus(response.status, config.excludeErrorResponses)) return;
      // A Set-Cookie is for one client: replaying it to others would share a session.
      if (response.header('set-cookie') !== undefined) return;
      const control = cacheControl(response.header('cache-control'));
      if (control.noStore) return;
      const vary = (response.header('vary') ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
      if (vary.includes('*')) return; // RFC 9111 §4.1: varies by something outside the request
      const now = context.now();
      let lifetime = ttlMs;
      if (config.useResponseCacheHeaders) {
        const fromHeaders = headerLifetimeMs(response, control, now);
        if (fromHeaders !== undefined) lifetime = Math.min(lifetime, fromHeaders);
      }
      if (lifetime <= 0) return;
      const declared = Number(response.header('content-length'));
      if (Number.isFinite(declared) && declared > config.maxEntryBytes) return; // not worth buffering
      const body = await response.readBody();
      if (body.length > config.maxEntryBytes) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        const text = headerText(value);
        if (text !== undefined && !NOT_STORED.has(name)) headers[name] = text;
      }
      const chosenBy: Record<string, string | undefined> = {};
      for (const name of vary) chosenBy[name] = context.request.header(name);
      const stored = context.get(keyVariable);
      const key = typeof stored === 'string' ? stored : keyOf(context);
      const entry: CachedResponse = { status: response.status, headers, body, storedAt: now, vary: chosenBy };
      await store.set(namespace + key, entry, lifetime, now);
    };
  },
};
