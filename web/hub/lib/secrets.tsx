// Client secrets held in this tab's memory only, from the answer that created or regenerated them: the server keeps
// just a hash, so this is what lets "Get a token" work without pasting. A reload forgets them, on purpose.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface Held {
  secret: string;
  /** Not yet acknowledged: the app page shows it in full until the developer says it is copied. */
  fresh: boolean;
}

interface SecretsContextValue {
  get(clientId: string): Held | undefined;
  remember(clientId: string, secret: string): void;
  /** The developer copied it: stop showing it (it stays usable for "Get a token"). */
  acknowledge(clientId: string): void;
  forgetAll(): void;
}

const SecretsContext = createContext<SecretsContextValue | undefined>(undefined);

export function SecretsProvider({ children }: { children: ReactNode }) {
  const [held, setHeld] = useState<ReadonlyMap<string, Held>>(new Map());
  const get = useCallback((clientId: string) => held.get(clientId), [held]);
  const remember = useCallback((clientId: string, secret: string) => setHeld((m) => new Map(m).set(clientId, { secret, fresh: true })), []);
  const acknowledge = useCallback(
    (clientId: string) =>
      setHeld((m) => {
        const found = m.get(clientId);
        return found ? new Map(m).set(clientId, { ...found, fresh: false }) : m;
      }),
    [],
  );
  const forgetAll = useCallback(() => setHeld(new Map()), []);
  const value = useMemo(() => ({ get, remember, acknowledge, forgetAll }), [get, remember, acknowledge, forgetAll]);
  return <SecretsContext.Provider value={value}>{children}</SecretsContext.Provider>;
}

export function useSecrets(): SecretsContextValue {
  const value = useContext(SecretsContext);
  if (!value) throw new Error('useSecrets() outside <SecretsProvider>');
  return value;
}
