// The caller a security step identified, as `context.caller` and as the flow variables Apigee sets (apigee-model.md §2.7).
import type { Caller, KeyRecord, ProductGrant, VariableLayer, VariableValue } from './policy.ts';

/**
 * Apigee's variables for the credential's app and developer and the product that covered the call: `client_id`,
 * `developer.app.name`, `apiproduct.name`, `apiproduct.developer.quota.limit|interval|timeunit` (which quota steps
 * read), and the custom attributes as `apiproduct.<name>`, `app.<name>`, `developer.<name>`. Custom attributes come
 * first, so one named like a built-in (`name`, `email`) cannot overwrite it.
 */
export function callerVariables(key: KeyRecord, product: ProductGrant): Array<[string, VariableValue]> {
  const entries: Array<[string, VariableValue]> = [];
  for (const [name, value] of Object.entries(product.attributes)) entries.push([`apiproduct.${name}`, value]);
  for (const [name, value] of Object.entries(key.app.attributes)) entries.push([`app.${name}`, value]);
  for (const [name, value] of Object.entries(key.developer.attributes)) entries.push([`developer.${name}`, value]);
  entries.push(
    ['client_id', key.clientId],
    ['developer.id', key.developer.id],
    ['developer.email', key.developer.email],
    ['developer.firstName', key.developer.firstName],
    ['developer.lastName', key.developer.lastName],
    ['developer.status', key.developer.status],
    ['developer.app.name', key.app.name],
    ['developer.app.id', key.app.id],
    ['app.name', key.app.name],
    ['app.id', key.app.id],
    ['app.status', key.app.status],
    ['apiproduct.name', product.name],
  );
  if (product.quota) {
    entries.push(
      ['apiproduct.developer.quota.limit', product.quota.limit],
      ['apiproduct.developer.quota.interval', product.quota.interval],
      ['apiproduct.developer.quota.timeunit', product.quota.timeUnit],
    );
  }
  return entries;
}

/**
 * A layer of variables for FlowContext.setAll, made by `make` once per key record and product (both are cached
 * objects, made afresh when the credential, its app, developer or product changes), so a call sets them by reference.
 */
export function layerPerCredential(make: (key: KeyRecord, product: ProductGrant) => VariableLayer): (key: KeyRecord, product: ProductGrant) => VariableLayer {
  const made = new WeakMap<KeyRecord, Map<ProductGrant, VariableLayer>>();
  return (key, product) => {
    let byProduct = made.get(key);
    if (!byProduct) made.set(key, (byProduct = new Map()));
    let layer = byProduct.get(product);
    if (!layer) byProduct.set(product, (layer = make(key, product)));
    return layer;
  };
}

/** callerVariables as a layer, made once per credential and product. */
export const callerLayer = layerPerCredential((key, product) => new Map(callerVariables(key, product)));

/** The caller of a call made with this credential, covered by this product. */
export function callerOf(key: KeyRecord, product: ProductGrant, scopes?: readonly string[]): Caller {
  return {
    clientId: key.clientId,
    appId: key.app.id,
    appName: key.app.name,
    developerId: key.developer.id,
    developerEmail: key.developer.email,
    product: product.name,
    ...(scopes ? { scopes } : {}),
  };
}
