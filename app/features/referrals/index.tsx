import { IconInbox } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { registerReferAction } from '../resources/selection.ts';
import { handoutRoutes } from './handout-route.tsx';
import { PartnerInboxPage } from './PartnerInboxPage.tsx';
import { PartnerReferralPage } from './PartnerReferralPage.tsx';
import { ReferSelectedAction } from './ReferSelectedAction.tsx';

// Community organisations with Kith accounts answer their referrals here instead of through emailed links;
// it is the only service they see, so their home. Staff refer from the Needs tab and the directory.
registerFeature({
  id: 'partner-referrals',
  label: 'Referrals',
  path: '/partner/referrals',
  icon: IconInbox,
  section: 'referrals',
  roles: ['community_partner'],
  homeFor: ['community_partner'],
  routes: [
    { path: 'partner/referrals', element: <PartnerInboxPage /> },
    { path: 'partner/referrals/:referralId', element: <PartnerReferralPage /> },
    // Staff's print page for the patient's handout: no menu entry, opened with HandoutButton (every feature's
    // routes are mounted for every signed-in user; the API decides who may see it).
    ...handoutRoutes,
  ],
});

// The directory's selection bar refers the ticked services through the referral dialog.
registerReferAction(ReferSelectedAction);
