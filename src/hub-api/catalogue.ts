// The catalogue: published public products, their APIs as the gateway serves them, and their token endpoints.
import { GatehouseError } from '../errors.ts';
import type { ApiSpec } from '../model/api.ts';
import type { CatalogueApi, CatalogueProduct, CatalogueProductSummary } from '../model/hub.ts';
import { productApiNames, type ProductSpec } from '../model/product.ts';
import type { ProductRecord, Repositories } from '../store/index.ts';
import { issuesTokens, tokenEndpoints, type DeployedApi, type TokenEndpoint } from '../gateway/oauth-endpoints.ts';

/**
 * Apigee portals show public products to everyone, signed in or not; private and internal ones are for the apps an
 * administrator assigns them to, so the catalogue never lists them, and a developer cannot subscribe to them.
 */
export function inCatalogue(spec: ProductSpec): boolean {
  return spec.published === true && (spec.visibility ?? 'public') === 'public';
}

/** An API as the hub shows it: the deployed revision when there is one (what callers reach), else the latest. */
export interface ServedApi {
  readonly name: string;
  readonly spec: ApiSpec;
  readonly deployed: boolean;
}

async function servedApi(store: Repositories, name: string): Promise<ServedApi | undefined> {
  const api = await store.apis.get(name);
  if (!api) return undefined;
  const deployment = await store.apis.getDeployment(api.id);
  const revision = await store.apis.getRevision(api.id, deployment?.revision ?? api.latestRevision);
  return revision ? { name, spec: revision.spec, deployed: deployment !== undefined } : undefined;
}

/** The APIs of some products, each once, in the order the products list them. */
export async function apisOfProducts(store: Repositories, products: readonly ProductSpec[]): Promise<ServedApi[]> {
  const names = [...new Set(products.flatMap((p) => productApiNames(p)))];
  const served = await Promise.all(names.map((name) => servedApi(store, name)));
  return served.filter((api): api is ServedApi => api !== undefined);
}

/** The products an app holds, by name; names that no longer exist are skipped. */
export async function productSpecs(store: Repositories, names: readonly string[]): Promise<ProductSpec[]> {
  const found = await Promise.all(names.map((name) => store.products.get(name)));
  return found.filter((p): p is ProductRecord => p !== undefined).map((p) => p.spec);
}

/** The token endpoints of the deployed APIs of some products. */
export async function tokenEndpointsOfProducts(store: Repositories, products: readonly ProductSpec[], gatewayUrl: string): Promise<TokenEndpoint[]> {
  const deployed: DeployedApi[] = (await apisOfProducts(store, products)).filter((api) => api.deployed);
  return tokenEndpoints(deployed, gatewayUrl);
}

export async function listCatalogue(store: Repositories): Promise<CatalogueProductSummary[]> {
  const products = (await store.products.listAll()).filter((p) => inCatalogue(p.spec)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Promise.all(
    products.map(async ({ spec }) => {
      const apis = await apisOfProducts(store, [spec]);
      return {
        name: spec.name,
        ...(spec.displayName === undefined ? {} : { displayName: spec.displayName }),
        ...(spec.description === undefined ? {} : { description: spec.description }),
        approval: spec.approval ?? 'auto',
        apis: apis.map((api) => ({ name: api.name, ...(api.spec.displayName === undefined ? {} : { displayName: api.spec.displayName }), issuesTokens: issuesTokens(api.spec) })),
      };
    }),
  );
}

/** A catalogue product in full; one that is not in the catalogue is "not found", so private products stay unseen. */
export async function getCatalogueProduct(store: Repositories, name: string, gatewayUrl: string): Promise<CatalogueProduct> {
  const product = await store.products.get(name);
  if (!product || !inCatalogue(product.spec)) throw new GatehouseError('product.not_found', `The catalogue has no product named '${name}'.`);
  const { spec } = product;
  const origin = gatewayUrl.replace(/\/+$/, '');
  const apis = await apisOfProducts(store, [spec]);
  const catalogueApis: CatalogueApi[] = apis.map((api) => ({
    name: api.name,
    ...(api.spec.displayName === undefined ? {} : { displayName: api.spec.displayName }),
    ...(api.spec.description === undefined ? {} : { description: api.spec.description }),
    basePath: api.spec.basePath,
    url: `${origin}${api.spec.basePath}`,
    deployed: api.deployed,
    issuesTokens: issuesTokens(api.spec),
    ...(api.spec.openapi === undefined ? {} : { openapi: api.spec.openapi }),
  }));
  return {
    name: spec.name,
    ...(spec.displayName === undefined ? {} : { displayName: spec.displayName }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
    approval: spec.approval ?? 'auto',
    scopes: spec.scopes ?? [],
    quota: spec.quota ? { limit: spec.quota.limit, interval: spec.quota.interval ?? 1, timeUnit: spec.quota.timeUnit } : null,
    apis: catalogueApis,
    tokenEndpoints: tokenEndpoints(apis.filter((api) => api.deployed), origin).map((e) => ({ api: e.api, url: e.url, grantTypes: [...e.grantTypes], exact: e.exact })),
  };
}
