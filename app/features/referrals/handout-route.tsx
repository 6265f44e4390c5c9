import type { RouteObject } from 'react-router';
import { HandoutPage } from './HandoutPage.tsx';

/**
 * The handout's print page inside the signed-in shell. It has no navigation entry of its own (the handout is
 * opened from a need, a referral or search results with `HandoutButton`), so a feature lists these routes.
 */
export const handoutRoutes: RouteObject[] = [
  { path: 'patients/:patientId/resource-handout', element: <HandoutPage /> },
];
