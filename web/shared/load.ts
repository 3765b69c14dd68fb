// Loading data for a page (both web apps): the last good value, the error as the server told it, and a way to load again.
import { useCallback, useEffect, useState } from 'react';
import { ProblemError } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ProblemError | undefined;
  loading: boolean;
  reload: () => void;
  /** Replace the data with what a change answered, without a round trip. */
  setData: (data: T) => void;
}

/** Any thrown value as a ProblemError, so every message shown is the server's (or says what failed locally). */
export function asProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError({ status: 0, code: 'client', detail: error instanceof Error ? error.message : String(error) });
}

/**
 * Loads on mount, when a dependency changes (compared as JSON; the old data is dropped: it was about something else)
 * and on reload() (the old data stays on screen until the new arrives).
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key: string; data?: T; error?: ProblemError; loading: boolean }>({ key, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    load().then(
      (data) => live && setState({ key, data, loading: false }),
      (error: unknown) => live && setState((s) => ({ key, data: s.key === key ? s.data : undefined, error: asProblem(error), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((data: T) => setState({ key, data, loading: false }), [key]);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: state.loading || !current, reload, setData };
}
