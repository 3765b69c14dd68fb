// /products: API products.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ManageDeps } from '../../manage/context.ts';
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from '../../manage/products.ts';
import { Page, PageQuery } from '../../model/common.ts';
import { ProductSpec, ProductView } from '../../model/product.ts';
import { ACCESS } from '../access.ts';
import { errorResponses, IfMatchHeaders, NameParams, NoContent } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';

const tags = ['products'];

export function productRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerProductRoutes(app) {
    app.get(
      '/products',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'List products', querystring: PageQuery, response: { 200: Page(ProductView), ...errorResponses } } },
      async function listProductsRoute(request) {
        return listProducts(deps, pageOf(request.query));
      },
    );

    app.post(
      '/products',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Create a product', body: ProductSpec, response: { 201: ProductView, ...errorResponses } } },
      async function createProductRoute(request, reply) {
        const created = await createProduct(deps, request.actor, request.body);
        reply.code(201).header('location', `/api/v1/products/${encodeURIComponent(created.view.name)}`);
        return withEtag(reply, created);
      },
    );

    app.get(
      '/products/:name',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get a product', params: NameParams, response: { 200: ProductView, ...errorResponses } } },
      async function getProductRoute(request, reply) {
        return withEtag(reply, await getProduct(deps, request.params.name));
      },
    );

    app.put(
      '/products/:name',
      {
        config: { access: ACCESS.editApis },
        schema: { tags, summary: 'Replace a product', description: 'Honours If-Match.', params: NameParams, headers: IfMatchHeaders, body: ProductSpec, response: { 200: ProductView, ...errorResponses } },
      },
      async function updateProductRoute(request, reply) {
        return withEtag(reply, await updateProduct(deps, request.actor, request.params.name, request.body, ifMatch(request.headers)));
      },
    );

    app.delete(
      '/products/:name',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Delete a product no app holds', params: NameParams, response: { 204: NoContent, ...errorResponses } } },
      async function deleteProductRoute(request, reply) {
        await deleteProduct(deps, request.actor, request.params.name);
        return reply.code(204).send(null);
      },
    );
  };
}
