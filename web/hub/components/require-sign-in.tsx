// Pages for signed-in accounts: a visitor is sent to sign in, and comes back after.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../lib/session.tsx';
import { Loading } from './states.tsx';

export function RequireSignIn({ children }: { children: ReactNode }) {
  const { session, user } = useSession();
  const location = useLocation();
  if (!session) return <Loading label="Checking your session" />;
  if (!user) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return <>{children}</>;
}
