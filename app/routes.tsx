import { Center, Loader } from '@mantine/core';
import { Navigate, type RouteObject, useLocation } from 'react-router';
import { ProblemAlert } from './components/ProblemAlert.tsx';
import { SignedInShell } from './components/SignedInShell.tsx';
import { accountRoutes } from './features/account/index.tsx';
import { FillPage } from './features/assessments/FillPage.tsx';
import { MfaEnrolmentPage } from './features/auth/MfaEnrolmentPage.tsx';
import { SignInPage } from './features/auth/SignInPage.tsx';
import { useMe } from './features/auth/session.ts';
import { PartnerLinkPage } from './features/referrals/PartnerLinkPage.tsx';
import './features/index.ts';
import { homeFeature, listFeatures } from './nav.ts';

/** Signed-in screens: sign-in first, then a required MFA enrolment, then the shell. */
function RequireSession() {
  const { data: me, isPending, error } = useMe();
  const location = useLocation();
  if (isPending) {
    return (
      <Center mih="100vh" role="status" aria-label="Loading">
        <Loader />
      </Center>
    );
  }
  if (error) {
    return (
      <Center component="main" id="main" mih="100vh" p="md">
        <ProblemAlert error={error} title="Kith could not start" />
      </Center>
    );
  }
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (me.user.mfaEnrolmentRequired) return <MfaEnrolmentPage />;
  return <SignedInShell />;
}

/** The start page: the first service the user's role may see. */
function Home() {
  const { data: me } = useMe();
  const home = me ? homeFeature(me.user.role) : undefined;
  return <Navigate to={home?.path ?? '/account'} replace />;
}

/** Every route of the app, built from the features that registered themselves. */
export function buildRoutes(): RouteObject[] {
  return [
    { path: '/sign-in', element: <SignInPage /> },
    // The patient's hand-over page: no staff session, only the token in the link.
    { path: '/fill/:token', element: <FillPage /> },
    // A community organisation answering one referral: no account, only the signed link.
    { path: '/referral-response/:token', element: <PartnerLinkPage /> },
    {
      path: '/',
      element: <RequireSession />,
      children: [
        { index: true, element: <Home /> },
        ...accountRoutes,
        ...listFeatures().flatMap((feature) => feature.routes),
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ];
}
