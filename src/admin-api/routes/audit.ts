// /audit: the change log, newest first, with filters.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatehouseError } from '../../errors.ts';
import type { ManageDeps } from '../../manage/context.ts';
import { AuditEventView, AuditQuery } from '../../model/audit.ts';
import { iso, Page } from '../../model/common.ts';
import { ACCESS } from '../access.ts';
import { errorResponses } from '../schemas.ts';
import { DEFAULT_PAGE_SIZE } from './helpers.ts';

function time(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new GatehouseError('request.invalid', `Invalid query field /${field}: '${value}' is not an ISO date or time.`, { details: { errors: [{ path: `/${field}`, message: 'must be an ISO date or time' }] } });
  }
  return ms;
}

export function auditRoutes(deps: ManageDeps): FastifyPluginAsyncTypebox {
  return async function registerAuditRoutes(app) {
    app.get(
      '/audit',
      { config: { access: ACCESS.audit }, schema: { tags: ['audit'], summary: 'List audit events, newest first', querystring: AuditQuery, response: { 200: Page(AuditEventView), ...errorResponses } } },
      async function listAuditRoute(request) {
        const q = request.query;
        const page = await deps.store.audit.list(
          { actor: q.actor, resourceType: q.resourceType, resource: q.resource, action: q.action, since: time(q.since, 'since'), until: time(q.until, 'until') },
          { limit: q.limit ?? DEFAULT_PAGE_SIZE, cursor: q.cursor },
        );
        return { items: page.items.map((e) => ({ ...e, at: iso(e.at) })), nextCursor: page.nextCursor };
      },
    );
  };
}
