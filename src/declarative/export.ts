// `export`: the live state in the declarative format, without secrets, ready to `apply` elsewhere.
import { stringify } from 'yaml';
import { ApiSpec, type ApiView } from '../model/api.ts';
import { AppSpec, type AppView } from '../model/app.ts';
import { DeveloperSpec, type DeveloperView } from '../model/developer.ts';
import { KeyValueMapSpec, type KeyValueEntryView, type KeyValueMapView } from '../model/key-value-map.ts';
import { ProductSpec, type ProductView } from '../model/product.ts';
import { listAll, type ManagementClient } from './client.ts';
import { pickSpec } from './diff.ts';
import type { DesiredState } from './schema.ts';

async function all<T>(client: ManagementClient, path: string): Promise<T[]> {
  return listAll<T>(client, path);
}

/** `${KVM_<MAP>_<KEY>}` (API maps: `${KVM_<API>_<MAP>_<KEY>}`): where an encrypted value goes, never the value itself. */
export function placeholderFor(map: Pick<KeyValueMapView, 'name' | 'api'>, key: string): string {
  const part = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `\${${['KVM', map.api, map.name, key].filter((p): p is string => p !== undefined).map(part).filter((p) => p !== '').join('_')}}`;
}

async function exportKeyValueMaps(client: ManagementClient): Promise<NonNullable<DesiredState['keyValueMaps']>> {
  const maps = await all<KeyValueMapView>(client, '/keyvaluemaps');
  const out: NonNullable<DesiredState['keyValueMaps']> = [];
  for (const map of maps) {
    const scope = map.api ? `?api=${encodeURIComponent(map.api)}` : '';
    const entries = await all<KeyValueEntryView>(client, `/keyvaluemaps/${encodeURIComponent(map.name)}/entries${scope}`);
    const spec = pickSpec(map, Object.keys(KeyValueMapSpec.properties)) as NonNullable<DesiredState['keyValueMaps']>[number];
    if (!spec.encrypted) delete spec.encrypted;
    if (entries.length) spec.entries = Object.fromEntries(entries.map((e) => [e.key, map.encrypted ? placeholderFor(map, e.key) : e.value.replace(/\$/g, '$$$$')]));
    out.push(spec);
  }
  return out;
}

export async function exportState(client: ManagementClient): Promise<DesiredState> {
  const apis = await all<ApiView>(client, '/apis');
  const keyValueMaps = await exportKeyValueMaps(client);
  const products = await all<ProductView>(client, '/products');
  const developers = await all<DeveloperView>(client, '/developers');
  const state: DesiredState = {};
  if (apis.length) state.apis = apis.map((a) => pickSpec(a, Object.keys(ApiSpec.properties))) as NonNullable<DesiredState['apis']>;
  if (keyValueMaps.length) state.keyValueMaps = keyValueMaps;
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
  const header =
    '# Exported by `gatehouse export`. Client secrets are never exported: apps get new credentials\n# when applied elsewhere, unless you add `credentials:` with the secrets yourself. Values of encrypted\n# key value maps are never exported either: set the ${KVM_...} variables they became before applying.\n';
  return header + stringify(state, { lineWidth: 0 });
}
