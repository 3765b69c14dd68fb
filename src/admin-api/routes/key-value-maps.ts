// /keyvaluemaps: key value maps (Apigee KVMs) and their entries. `?api=<name>` addresses an API's map; without it,
// the organisation-wide one. Values of encrypted maps are write-only: GET answers `***`.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ManageDeps } from '../../manage/context.ts';
import {
  createKeyValueMap,
  deleteEntry,
  deleteKeyValueMap,
  getEntry,
  getKeyValueMap,
  listEntries,
  listKeyValueMaps,
  putEntry,
  updateKeyValueMap,
  type MapRef,
} from '../../manage/key-value-maps.ts';
import { Name, Page, PageQuery } from '../../model/common.ts';
import { KeyValueEntryPut, KeyValueEntryView, KeyValueMapListQuery, KeyValueMapScopeQuery, KeyValueMapSpec, KeyValueMapView } from '../../model/key-value-map.ts';
import { ACCESS } from '../access.ts';
import { errorResponses, IfMatchHeaders, NameParams, NoContent } from '../schemas.ts';
import { ifMatch, pageOf, withEtag } from './helpers.ts';

const tags = ['key value maps'];

const EntryParams = Type.Object(
  { name: Name, key: Type.String({ minLength: 1, description: 'The key, URL-encoded (1 to 2048 bytes of UTF-8).' }) },
  { additionalProperties: false },
);
const EntriesQuery = Type.Object({ ...PageQuery.properties, ...KeyValueMapScopeQuery.properties }, { additionalProperties: false });

function refOf(name: string, query: { api?: string | undefined }): MapRef {
  return { api: query.api ?? null, name };
}

function location(ref: MapRef, key?: string): string {
  const base = `/api/v1/keyvaluemaps/${encodeURIComponent(ref.name)}${key === undefined ? '' : `/entries/${encodeURIComponent(key)}`}`;
  return ref.api === null ? base : `${base}?api=${encodeURIComponent(ref.api)}`;
}

export function keyValueMapRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerKeyValueMapRoutes(app) {
    app.get(
      '/keyvaluemaps',
      {
        config: { access: ACCESS.read },
        schema: { tags, summary: 'List key value maps', description: 'Every map, organisation-wide ones first; `api` narrows to one API\'s maps.', querystring: KeyValueMapListQuery, response: { 200: Page(KeyValueMapView), ...errorResponses } },
      },
      async function listKeyValueMapsRoute(request) {
        return listKeyValueMaps(deps, { api: request.query.api }, pageOf(request.query));
      },
    );

    app.post(
      '/keyvaluemaps',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Create a key value map', body: KeyValueMapSpec, response: { 201: KeyValueMapView, ...errorResponses } } },
      async function createKeyValueMapRoute(request, reply) {
        const created = await createKeyValueMap(deps, request.actor, request.body);
        reply.code(201).header('location', location(refOf(created.view.name, created.view)));
        return withEtag(reply, created);
      },
    );

    app.get(
      '/keyvaluemaps/:name',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get a key value map', params: NameParams, querystring: KeyValueMapScopeQuery, response: { 200: KeyValueMapView, ...errorResponses } } },
      async function getKeyValueMapRoute(request, reply) {
        return withEtag(reply, await getKeyValueMap(deps, refOf(request.params.name, request.query)));
      },
    );

    app.put(
      '/keyvaluemaps/:name',
      {
        config: { access: ACCESS.editApis },
        schema: {
          tags,
          summary: "Replace a key value map's settings",
          description: 'Only the description can change: the name and scope are the map\'s identity and `encrypted` is fixed at creation. Entries are written under `/entries`. Honours If-Match.',
          params: NameParams,
          querystring: KeyValueMapScopeQuery,
          headers: IfMatchHeaders,
          body: KeyValueMapSpec,
          response: { 200: KeyValueMapView, ...errorResponses },
        },
      },
      async function updateKeyValueMapRoute(request, reply) {
        return withEtag(reply, await updateKeyValueMap(deps, request.actor, refOf(request.params.name, request.query), request.body, ifMatch(request.headers)));
      },
    );

    app.delete(
      '/keyvaluemaps/:name',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Delete a key value map and its entries', params: NameParams, querystring: KeyValueMapScopeQuery, response: { 204: NoContent, ...errorResponses } } },
      async function deleteKeyValueMapRoute(request, reply) {
        await deleteKeyValueMap(deps, request.actor, refOf(request.params.name, request.query));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/keyvaluemaps/:name/entries',
      {
        config: { access: ACCESS.read },
        schema: {
          tags,
          summary: "List a key value map's entries",
          description: 'In key order. For an encrypted map: admins and API editors only, and every value reads `***`.',
          params: NameParams,
          querystring: EntriesQuery,
          response: { 200: Page(KeyValueEntryView), ...errorResponses },
        },
      },
      async function listEntriesRoute(request) {
        return listEntries(deps, request.actor, refOf(request.params.name, request.query), pageOf(request.query));
      },
    );

    app.get(
      '/keyvaluemaps/:name/entries/:key',
      {
        config: { access: ACCESS.read },
        schema: {
          tags,
          summary: 'Get an entry',
          description: 'For an encrypted map: admins and API editors only, and the value reads `***` (values of encrypted maps are write-only).',
          params: EntryParams,
          querystring: KeyValueMapScopeQuery,
          response: { 200: KeyValueEntryView, ...errorResponses },
        },
      },
      async function getEntryRoute(request) {
        return getEntry(deps, request.actor, refOf(request.params.name, request.query), request.params.key);
      },
    );

    app.put(
      '/keyvaluemaps/:name/entries/:key',
      {
        config: { access: ACCESS.editApis },
        schema: {
          tags,
          summary: 'Set an entry',
          description: 'Creates the entry (201) or replaces its value (200). Keys are at most 2048 bytes, values 10240 bytes (UTF-8).',
          params: EntryParams,
          querystring: KeyValueMapScopeQuery,
          body: KeyValueEntryPut,
          response: { 200: KeyValueEntryView, 201: KeyValueEntryView, ...errorResponses },
        },
      },
      async function putEntryRoute(request, reply) {
        const ref = refOf(request.params.name, request.query);
        const result = await putEntry(deps, request.actor, ref, request.params.key, request.body.value);
        if (result.created) reply.code(201).header('location', location(ref, request.params.key));
        return result.view;
      },
    );

    app.delete(
      '/keyvaluemaps/:name/entries/:key',
      { config: { access: ACCESS.editApis }, schema: { tags, summary: 'Delete an entry', params: EntryParams, querystring: KeyValueMapScopeQuery, response: { 204: NoContent, ...errorResponses } } },
      async function deleteEntryRoute(request, reply) {
        await deleteEntry(deps, request.actor, refOf(request.params.name, request.query), request.params.key);
        return reply.code(204).send(null);
      },
    );
  };
}
