// The hub session: who is signed in, the sign-up mode, whether the account may create apps (and why not), and
// signing up, in and out. The CSRF token it hands out goes with every change.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, whenUnauthorized } from '../../shared/api.ts';
import type { HubSessionExtras, SessionUser } from './wire.ts';

export type HubSession = HubSessionExtras & { user: SessionUser | null; csrfToken?: string };

interface SessionContextValue {
  /** Undefined while the first answer is on its way. */
  session: HubSession | undefined;
  user: SessionUser | undefined;
  /** A message for the sign-in page (the session ended, the user signed out). */
  notice: string | undefined;
  refresh(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signUp(input: { email: string; password: string; displayName: string }): Promise<HubSession>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children, onSignOut }: { children: ReactNode; onSignOut?: () => void }) {
  const [session, setSession] = useState<HubSession | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const accept = useCallback((answer: HubSession) => {
    setCsrfToken(answer.csrfToken);
    setSession(answer);
    if (answer.user) setNotice(undefined);
  }, []);

  const refresh = useCallback(async () => {
    accept(await api.get<HubSession>('/session', { quiet401: true }));
  }, [accept]);

  useEffect(() => {
    whenUnauthorized(() => {
      setCsrfToken(undefined);
      setNotice('Your session has ended. Please sign in again.');
      void refresh().catch(() => undefined);
    });
    refresh().catch(() => setSession({ user: null, signup: 'closed', developer: null, canCreateApps: false }));
  }, [refresh]);

  const signIn = useCallback(async (email: string, password: string) => accept(await api.post<HubSession>('/session', { email, password }, { quiet401: true })), [accept]);

  const signUp = useCallback(
    async (input: { email: string; password: string; displayName: string }) => {
      const answer = await api.post<HubSession>('/signup', input, { quiet401: true });
      accept(answer);
      return answer;
    },
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api.del('/session', { quiet401: true });
    } finally {
      onSignOut?.();
      setNotice('You have signed out.');
      await refresh().catch(() => undefined);
    }
  }, [refresh, onSignOut]);

  const value = useMemo<SessionContextValue>(
    () => ({ session, user: session?.user ?? undefined, notice, refresh, signIn, signUp, signOut }),
    [session, notice, refresh, signIn, signUp, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}
