/** The page a community organisation opens from its referral email (owned by the referrals UI work). */
export function PartnerLinkPage() {
  return null;
}
