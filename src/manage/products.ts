// Product operations. A product may list only APIs that exist, and cannot be deleted while apps hold it.
import { GatehouseError } from '../errors.ts';
import { iso, type PageOf } from '../model/common.ts';
import { productApiNames, type ProductSpec, type ProductView } from '../model/product.ts';
import { UniqueViolation, type PageRequest, type ProductRecord, type Repositories } from '../store/index.ts';
import { newId } from '../util/secrets.ts';
import { checkVersion, preconditionFailed, sameIdentity, type Versioned } from './guards.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';
import { jsonEqual } from './equal.ts';

function toView(product: ProductRecord): ProductView {
  return { ...product.spec, createdAt: iso(product.createdAt), updatedAt: iso(product.updatedAt) };
}

async function requireProduct(tx: Repositories, name: string): Promise<ProductRecord> {
  const product = await tx.products.get(name);
  if (!product) throw new GatehouseError('product.not_found', `There is no product named '${name}'.`);
  return product;
}

async function checkApisExist(tx: Repositories, spec: ProductSpec): Promise<void> {
  const names = productApiNames(spec);
  const missing: string[] = [];
  for (const name of new Set(names)) if (!(await tx.apis.get(name))) missing.push(name);
  if (missing.length > 0) {
    throw new GatehouseError('product.unknown_api', `Product '${spec.name}' lists ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length === 1 ? 'is not an API' : 'are not APIs'}.`, {
      details: { apis: missing },
    });
  }
}

export async function createProduct(deps: ManageDeps, actor: Actor, spec: ProductSpec): Promise<Versioned<ProductView>> {
  const now = deps.clock.now();
  const product: ProductRecord = { id: newId(), name: spec.name, spec, version: 1, createdAt: now, updatedAt: now };
  await deps.store.transaction(async (tx) => {
    await checkApisExist(tx, spec);
    try {
      await tx.products.insert(product);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('product.exists', `A product named '${spec.name}' already exists.`);
      throw error;
    }
    await audit(tx, deps, actor, 'product.create', 'product', spec.name);
  });
  await deps.changes.emit({ kind: 'product', name: spec.name });
  return { view: toView(product), version: 1 };
}

export async function getProduct(deps: ManageDeps, name: string): Promise<Versioned<ProductView>> {
  const product = await requireProduct(deps.store, name);
  return { view: toView(product), version: product.version };
}

export async function listProducts(deps: ManageDeps, page: PageRequest): Promise<PageOf<ProductView>> {
  const result = await deps.store.products.list(page);
  return { items: result.items.map(toView), nextCursor: result.nextCursor };
}

export async function updateProduct(
  deps: ManageDeps,
  actor: Actor,
  name: string,
  spec: ProductSpec,
  expectedVersion?: number | null,
): Promise<Versioned<ProductView>> {
  sameIdentity('product', 'name', name, spec.name);
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const current = await requireProduct(tx, name);
    checkVersion(expectedVersion, current.version, `Product '${name}'`);
    if (jsonEqual(current.spec, spec)) return { view: toView(current), version: current.version };
    await checkApisExist(tx, spec);
    const next: ProductRecord = { ...current, spec, version: current.version + 1, updatedAt: now };
    if (!(await tx.products.update(next, current.version))) throw preconditionFailed(`Product '${name}'`);
    await audit(tx, deps, actor, 'product.update', 'product', name, { version: next.version });
    changed = true;
    return { view: toView(next), version: next.version };
  });
  if (changed) await deps.changes.emit({ kind: 'product', name });
  return result;
}

export async function deleteProduct(deps: ManageDeps, actor: Actor, name: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const product = await requireProduct(tx, name);
    const apps = await tx.credentials.appsSubscribedTo(name);
    if (apps.length > 0) {
      throw new GatehouseError('product.in_use', `Apps ${apps.map((a) => `'${a}'`).join(', ')} hold product '${name}'; remove it from them first.`, {
        details: { apps },
      });
    }
    await tx.products.delete(product.id);
    await audit(tx, deps, actor, 'product.delete', 'product', name);
  });
  await deps.changes.emit({ kind: 'product', name });
}
