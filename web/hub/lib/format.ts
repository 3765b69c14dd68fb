// Small formatting helpers: dates, HTTP methods and statuses as colours, product states in words.

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

const METHOD_COLORS: Record<string, string> = { GET: 'blue', POST: 'teal', PUT: 'orange', PATCH: 'yellow', DELETE: 'red', HEAD: 'gray', OPTIONS: 'gray', TRACE: 'gray' };

export function methodColor(method: string): string {
  return METHOD_COLORS[method.toUpperCase()] ?? 'gray';
}

export function statusColor(status: number): string {
  if (status >= 500) return 'red';
  if (status >= 400) return 'orange';
  if (status >= 300) return 'blue';
  return 'teal';
}

export const SUBSCRIPTION_LABELS: Record<string, { label: string; color: string; hint: string }> = {
  approved: { label: 'Approved', color: 'teal', hint: 'Tokens for this app cover this product.' },
  pending: { label: 'Pending approval', color: 'yellow', hint: 'An administrator must approve this product before its APIs accept the app.' },
  revoked: { label: 'Revoked', color: 'red', hint: 'An administrator withdrew this product from the app.' },
};

/** Pretty JSON when the text is JSON, else the text as it is. */
export function prettyBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
