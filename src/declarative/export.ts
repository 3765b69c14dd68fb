// `export`: the live state in the declarative format, without secrets, ready to `apply` elsewhere.
import { stringify } from 'yaml';
import { ApiSpec, type ApiView } from '../model/api.ts';
import { AppSpec, type AppView } from '../model/app.ts';
import type { PageOf } from '../model/common.ts';
import { DeveloperSpec, type DeveloperView } from '../model/developer.ts';
import { ProductSpec, type ProductView } from '../model/product.ts';
import { expectOk, type ManagementClient } from './client.ts';
import { pickSpec } from './diff.ts';
import type { DesiredState } from './schema.ts';

async function all<T>(client: ManagementClient, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: PageOf<T> = await expectOk<PageOf<T>>(client, 'GET', `${path}${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export async function exportState(client: ManagementClient): Promise<DesiredState> {
  const apis = await all<ApiView>(client, '/apis');
  const products = await all<ProductView>(client, '/products');
  const developers = await all<DeveloperView>(client, '/developers');
  const state: DesiredState = {};
  if (apis.length) state.apis = apis.map((a) => pickSpec(a, Object.keys(ApiSpec.properties))) as NonNullable<DesiredState['apis']>;
  if (products.length) state.products = products.map((p) => pickSpec(p, Object.keys(ProductSpec.properties))) as NonNullable<DesiredState['products']>;
  if (developers.length) {
    state.developers = [];
    for (const developer of developers) {
      const apps = await all<AppView>(client, `/developers/${encodeURIComponent(developer.email)}/apps`);
      const entry = pickSpec(developer, Object.keys(DeveloperSpec.properties)) as NonNullable<DesiredState['developers']>[number];
      if (apps.length) entry.apps = apps.map((a) => pickSpec(a, Object.keys(AppSpec.properties))) as NonNullable<typeof entry.apps>;
      state.developers.push(entry);
    }
  }
  return state;
}

export function toYaml(state: DesiredState): string {
  const header = '# Exported by `gatehouse export`. Client secrets are never exported: apps get new credentials\n# when applied elsewhere, unless you add `credentials:` with the secrets yourself.\n';
  return header + stringify(state, { lineWidth: 0 });
}
