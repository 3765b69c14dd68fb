// The audit log in SQL: append-only, listed newest first.
import type { AuditFilter, AuditRecord, AuditRepository, PageRequest } from '../store.ts';
import type { AuditEventsTable } from '../tables.ts';
import { decodeCursor, num, parseJson, toPage, type Db } from './shared.ts';

function toEvent(row: AuditEventsTable): AuditRecord {
  return {
    id: num(row.id),
    at: num(row.at),
    actor: row.actor,
    action: row.action,
    resourceType: row.resource_type,
    resource: row.resource,
    details: parseJson<Record<string, unknown>>(row.details),
  };
}

export class SqlAudit implements AuditRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async append(event: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.#db
      .insertInto('audit_events')
      .values({
        at: event.at,
        actor: event.actor,
        action: event.action,
        resource_type: event.resourceType,
        resource: event.resource,
        details: JSON.stringify(event.details),
      } as AuditEventsTable)
      .execute();
  }

  async list(filter: AuditFilter, page: PageRequest) {
    const before = decodeCursor<number>(page.cursor, 'number');
    let query = this.#db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(page.limit + 1);
    if (before !== undefined) query = query.where('id', '<', before);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
    if (filter.resource !== undefined) query = query.where('resource', '=', filter.resource);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<', filter.until);
    return toPage(await query.execute(), page.limit, toEvent, (r) => num(r.id));
  }
}
