// Small helpers the route modules share: paging defaults, ETags on replies.
import type { FastifyReply } from 'fastify';
import { etag, parseIfMatch } from '../../manage/context.ts';
import type { PageQuery } from '../../model/common.ts';
import type { PageRequest } from '../../store/index.ts';

export const DEFAULT_PAGE_SIZE = 100;

export function pageOf(query: PageQuery): PageRequest {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor };
}

/** Sets the ETag and returns the view, so handlers read `return withEtag(reply, await getX(...))`. */
export function withEtag<T>(reply: FastifyReply, result: { view: T; version: number }): T {
  reply.header('etag', etag(result.version));
  return result.view;
}

export function ifMatch(headers: Record<string, unknown>): number | null | undefined {
  const value = headers['if-match'];
  return parseIfMatch(typeof value === 'string' ? value : undefined);
}
