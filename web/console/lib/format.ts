// How the console writes times, numbers and names.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndHour = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit' });
const number = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTime.format(ms);
}

export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : time.format(ms);
}

/** A chart axis label: the time of day, or the weekday and hour for ranges of days. */
export function formatTick(iso: string, days: boolean): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : (days ? dayAndHour : clock).format(ms);
}

export function formatNumber(value: number): string {
  return number.format(value);
}

export function formatMs(value: number | null): string {
  if (value === null) return '—';
  if (value >= 10_000) return `${number.format(Math.round(value / 100) / 10)} s`;
  return `${number.format(Math.round(value * 10) / 10)} ms`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${Math.round((part / whole) * 1000) / 10}%`;
}

/** `supportedGrantTypes` -> "Supported grant types". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${number.format(count)} ${count === 1 ? one : many}`;
}
