// Quota windows: a time unit and interval as milliseconds, shared by products (gateway) and quota steps (policies).

export const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_592_000_000 };

/** The window of `interval` units; months count as 30 days and weeks start on the epoch's weekday (see quota docs). */
export function windowMs(interval: number, timeUnit: string): number {
  return interval * (UNIT_MS[timeUnit] ?? 60_000);
}
