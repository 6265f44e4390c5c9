import type { RouteObject } from 'react-router';
import { AccountPage } from './AccountPage.tsx';

/** The Account page is reached from the user menu, not from the services navigation. */
export const accountRoutes: RouteObject[] = [{ path: 'account', element: <AccountPage /> }];
