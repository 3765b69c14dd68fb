// The gateway's live state: the routing table over the deployed revisions, rebuilt when deployments change,
// and the caches security steps read. Requests in flight keep the compiled API they matched.
import type { ChangeFeed } from '../manage/changes.ts';
import type { ApiSpec } from '../model/api.ts';
import type { PolicyDeps, PolicyRegistry } from '../policies/policy.ts';
import type { Store } from '../store/index.ts';
import { compileApi, type CompiledApi } from './compile.ts';
import { RoutingTable, type Route } from './router.ts';
import { TargetPools } from './target.ts';

export interface RuntimeOptions {
  store: Store;
  changes: ChangeFeed;
  policies: PolicyRegistry;
  policyDeps: PolicyDeps;
  log: { error(message: string, error?: unknown): void };
}

export class GatewayRuntime {
  readonly pools = new TargetPools();
  readonly #options: RuntimeOptions;
  #table = new RoutingTable([]);
  /** Compiled revisions by `name@revision`; a redeploy of another revision compiles once, then swaps. */
  #compiled = new Map<string, CompiledApi>();
  #reloading: Promise<void> | undefined;
  #again = false;
  readonly #unsubscribe: () => void;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    this.#unsubscribe = options.changes.subscribe((change) => (change.kind === 'deployment' ? this.reload() : undefined));
  }

  /** Compiles a revision (cached); throws `api.invalid` when it cannot run. Used by deploy to refuse it early. */
  compile(spec: ApiSpec, revision: number): CompiledApi {
    const key = `${spec.name}@${revision}`;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = compileApi(spec, revision, { policies: this.#options.policies, policyDeps: this.#options.policyDeps, pools: this.pools });
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }

  /** The deployed APIs with their specs, ordered by base path. */
  deployedApis(): Array<{ name: string; spec: ApiSpec }> {
    return this.#table.apis.map((api) => ({ name: api.identity.name, spec: api.spec }));
  }

  route(path: string): Route | undefined {
    return this.#table.match(path);
  }

  get deployedCount(): number {
    return this.#table.size;
  }

  /** Rebuilds the table from the store; concurrent calls coalesce into one more run. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#again = false;
        await this.#build();
      } while (this.#again);
    })().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  async #build(): Promise<void> {
    const { store } = this.#options;
    const deployments = await store.apis.listDeployments();
    const apis: CompiledApi[] = [];
    const live = new Set<string>();
    for (const deployment of deployments) {
      const key = `${deployment.apiName}@${deployment.revision}`;
      live.add(key);
      try {
        let compiled = this.#compiled.get(key);
        if (!compiled) {
          const revision = await store.apis.getRevision(deployment.apiId, deployment.revision);
          if (!revision) continue;
          compiled = this.compile(revision.spec, deployment.revision);
        }
        apis.push(compiled);
      } catch (error) {
        // Deploy refuses what does not compile; this only happens after an upgrade changed a policy's rules.
        this.#options.log.error(`API '${deployment.apiName}' revision ${deployment.revision} does not compile and is not served`, error);
      }
    }
    this.#table = new RoutingTable(apis);
    for (const key of this.#compiled.keys()) if (!live.has(key)) this.#compiled.delete(key);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.pools.close();
  }
}
