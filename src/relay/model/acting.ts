/** Who a person's message or session is sent as: their Devin account, or the service user and why. */
export type Acting = { asUserId: string } | { fallback: AttributionFallback };

/** Why a person's message reaches Devin as the service user's rather than theirs. */
export type AttributionFallback =
  /** Slack gave no email for them (the app lacks the `users:read.email` scope, or the profile has none). */
  | { kind: 'no-email' }
  /** Devin's organization has no member with their email. */
  | { kind: 'not-a-member' }
  /** The service user lacks a permission attribution needs (or the person lacks `UseDevinSessions`). */
  | { kind: 'missing-permission'; permission: 'ViewOrgMembership' | 'ImpersonateOrgSessions' };
