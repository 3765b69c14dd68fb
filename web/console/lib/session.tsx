// Who is signed in, what their roles let them do, and signing in and out (cookie session + CSRF token).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '../../../src/model/user.ts';
import { api, setCsrfToken, whenUnauthorized } from '../../shared/api.ts';

export interface SessionUser {
  email: string;
  displayName: string | null;
  roles: Role[];
}

interface SessionAnswer {
  user: SessionUser | null;
  csrfToken?: string;
}

export interface Abilities {
  /** Create and change APIs, products, deployments, key value maps. */
  editApis: boolean;
  /** Users, developers, apps, credentials. */
  admin: boolean;
  /** The audit log. */
  audit: boolean;
}

type State = { status: 'loading' } | { status: 'signed-out'; notice?: string } | { status: 'signed-in'; user: SessionUser };

interface SessionContextValue {
  state: State;
  user: SessionUser | undefined;
  can: Abilities;
  signIn(email: string, password: string): Promise<void>;
  /** Signs in with a personal access token (the bootstrap admin has no password). */
  signInWithToken(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function abilitiesOf(roles: readonly Role[]): Abilities {
  const admin = roles.includes('admin');
  return { admin, editApis: admin || roles.includes('api-editor'), audit: admin || roles.includes('viewer') };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const accept = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken);
    setState(answer.user ? { status: 'signed-in', user: answer.user } : { status: 'signed-out' });
  }, []);

  useEffect(() => {
    whenUnauthorized(() => {
      setCsrfToken(undefined);
      setState((s) => (s.status === 'signed-in' ? { status: 'signed-out', notice: 'Your session has ended. Please sign in again.' } : s));
    });
    api.get<SessionAnswer>('/session', { quiet401: true }).then(accept, () => setState({ status: 'signed-out' }));
  }, [accept]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      accept(await api.post<SessionAnswer>('/session', { email, password }, { quiet401: true }));
    },
    [accept],
  );

  const signInWithToken = useCallback(
    async (token: string) => {
      accept(await api.post<SessionAnswer>('/session', { token }, { quiet401: true }));
    },
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api.del('/session', { quiet401: true });
    } finally {
      setCsrfToken(undefined);
      setState({ status: 'signed-out', notice: 'You have signed out.' });
    }
  }, []);

  const value = useMemo<SessionContextValue>(() => {
    const user = state.status === 'signed-in' ? state.user : undefined;
    return { state, user, can: abilitiesOf(user?.roles ?? []), signIn, signInWithToken, signOut };
  }, [state, signIn, signInWithToken, signOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  'api-editor': 'API editor',
  viewer: 'Viewer',
  developer: 'Developer',
};
