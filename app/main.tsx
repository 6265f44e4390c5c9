import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
import {
  createTheme,
  defaultVariantColorsResolver,
  Loader,
  MantineProvider,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError, whenSignedOut } from './api/client.ts';
import { ME_KEY } from './features/auth/session.ts';
import { buildRoutes } from './routes.tsx';

// Mantine's light and subtle variants put shade-6 text on a tint or on white: below 4.5:1 for WCAG AA.
// Light variants keep their tinted background with near-black text; subtle ones use the darkest shade.
const accessibleVariantColors: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  if (input.variant === 'light')
    return { ...colors, color: 'var(--mantine-color-gray-9)', hoverColor: 'var(--mantine-color-gray-9)' };
  if (input.variant === 'subtle')
    return {
      ...colors,
      color: `var(--mantine-color-${parsed.color}-9)`,
      hoverColor: `var(--mantine-color-${parsed.color}-9)`,
    };
  return colors;
};

const theme = createTheme({
  variantColorResolver: accessibleVariantColors,
  primaryColor: 'teal',
  primaryShade: 9,
  // A visible focus ring for keyboard users everywhere.
  focusRing: 'auto',
  components: {
    // A loader is a bare <span>: its aria-label is only announced (and only permitted) with a role.
    Loader: Loader.extend({ defaultProps: { role: 'status' } }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter(buildRoutes());

whenSignedOut((reason) => {
  queryClient.clear();
  queryClient.setQueryData(ME_KEY, null);
  void router.navigate('/sign-in', {
    replace: true,
    state: {
      message:
        reason === 'session-expired'
          ? 'Your session has ended. Sign in to continue.'
          : 'You are signed out. Sign in to continue.',
      from: window.location.pathname + window.location.search,
    },
  });
});

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
