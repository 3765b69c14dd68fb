// Entry of the Gatehouse developer hub: theme, notifications, the session, secrets held in memory, the pages.
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode, useCallback, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { theme } from '../shared/theme.ts';
import { App } from './app.tsx';
import { SecretsProvider, useSecrets } from './lib/secrets.tsx';
import { SessionProvider } from './lib/session.tsx';

/** Signing out forgets the secrets this tab held. */
function Session({ children }: { children: ReactNode }) {
  const secrets = useSecrets();
  const onSignOut = useCallback(() => secrets.forgetAll(), [secrets]);
  return <SessionProvider onSignOut={onSignOut}>{children}</SessionProvider>;
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <BrowserRouter>
        <SecretsProvider>
          <Session>
            <App />
          </Session>
        </SecretsProvider>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
