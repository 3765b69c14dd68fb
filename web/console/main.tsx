// Entry of the Gatehouse console: theme, notifications, the session gate and the pages.
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import { createTheme, MantineProvider, mergeThemeOverrides } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { theme } from '../shared/theme.ts';
import { App } from './app.tsx';
import { SessionProvider } from './lib/session.tsx';

/** The shared look, plus: people who ask their system for less motion get no transitions. */
const consoleTheme = mergeThemeOverrides(theme, createTheme({ respectReducedMotion: true }));

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={consoleTheme} defaultColorScheme="auto">
      <Notifications position="bottom-left" limit={5} containerWidth={400} />
      <BrowserRouter>
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
