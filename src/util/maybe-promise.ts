// Values that are ready now or later. A warm call finds what it needs in memory; answering such a lookup with a
// value rather than a promise lets the call go on in the same turn, without a promise and a turn of the queue.

/** A value now, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** True when `value` is a promise (anything with a `then` method, as `await` sees it). */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
