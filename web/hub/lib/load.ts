// Loading data for a page: the last good value, the error as the server told it, and a way to load again.
import { useCallback, useEffect, useState } from 'react';
import { ProblemError } from '../../shared/api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ProblemError | undefined;
  loading: boolean;
  reload: () => void;
  /** Replaces the data with what a change answered, without a round trip. */
  setData: (data: T) => void;
}

/** Any thrown value as a ProblemError, so every message shown is the server's (or says what failed here). */
export function asProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError({ status: 0, code: 'client', detail: error instanceof Error ? error.message : String(error) });
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ProblemError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error: asProblem(error), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, setData };
}
