// The catalogue: published public products and their APIs, readable by anybody, signed in or not.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogueList, CatalogueProduct, NameParams } from '../../model/hub.ts';
import { getCatalogueProduct, listCatalogue } from '../catalogue.ts';
import { errorResponses, type HubContext } from '../context.ts';

const tags = ['catalogue'];

export function catalogueRoutes(context: HubContext): FastifyPluginAsyncTypebox {
  const { store } = context.deps;
  return async function registerCatalogueRoutes(app) {
    app.get(
      '/products',
      {
        config: { hub: 'public' },
        schema: { tags, summary: 'List the catalogue', description: 'Published products whose visibility is public, by name. Private and internal products are not listed.', response: { 200: CatalogueList, ...errorResponses } },
      },
      async function listProductsRoute() {
        return { items: await listCatalogue(store) };
      },
    );

    app.get(
      '/products/:name',
      {
        config: { hub: 'public' },
        schema: {
          tags,
          summary: 'Get a product of the catalogue',
          description: 'Its APIs (base path, description, OpenAPI document) and its token endpoints. A product that is not in the catalogue is 404.',
          params: NameParams,
          response: { 200: CatalogueProduct, ...errorResponses },
        },
      },
      async function getProductRoute(request) {
        return getCatalogueProduct(store, request.params.name, context.gatewayUrl());
      },
    );
  };
}
