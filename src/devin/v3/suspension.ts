/**
 * Why API v3 suspends a session (`status_detail` while `suspended`). A session asleep for inactivity or because
 * someone asked wakes when a message is sent to it; one suspended for want of quota or credits does not.
 */
const QUOTA_WORDS: Record<string, string> = {
  usage_limit_exceeded: 'its usage limit was reached',
  out_of_credits: 'the organization is out of credits',
  out_of_quota: 'the organization is out of quota',
  no_quota_allocation: 'no quota is allocated to it',
  payment_declined: "the organization's payment was declined",
  org_usage_limit_exceeded: "the organization's usage limit was reached",
  total_session_limit_exceeded: 'the limit on sessions was reached',
};

/** True for the reasons that a message does not overcome (quota, credits, limits, payment). */
export function isQuotaReason(reason: string | null | undefined): reason is string {
  return typeof reason === 'string' && Object.hasOwn(QUOTA_WORDS, reason);
}

/** The reason in plain words: `the organization is out of credits`. */
export function quotaWords(reason: string): string {
  return Object.hasOwn(QUOTA_WORDS, reason) ? (QUOTA_WORDS[reason] as string) : reason.replace(/_/g, ' ');
}
