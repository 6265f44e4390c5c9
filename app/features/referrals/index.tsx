// Registered by the referrals feature (issue 5).
