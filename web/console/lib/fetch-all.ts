// Every item of a paged list of the management API.
import { api } from '../../shared/api.ts';

interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Every item of a paged list (the console's lists are small; it stops after 20 pages of 500). */
export async function fetchAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < 20; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.get<Page<T>>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}
