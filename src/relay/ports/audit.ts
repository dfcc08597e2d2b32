/** What a person did (or tried): start, link, steer, allow/deny, end... */
export type AuditAction =
  | 'start'
  | 'link'
  | 'steer'
  | 'say'
  | 'status'
  | 'send-to-devin'
  | 'resend'
  | 'end'
  | 'allow'
  | 'deny'
  | 'list'
  | 'config'
  | 'archive'
  | 'cost'
  | 'budget'
  | 'digest';

/** How it went: done, refused by the access rules, refused for a flood (`limited`), or failed on Devin's side. */
export type AuditOutcome = 'done' | 'refused' | 'limited' | 'failed';

/**
 * One audited act, in the log's field names. Never a message's words: who, what, where, which session, how it went.
 */
export interface AuditEntry {
  action: AuditAction;
  outcome: AuditOutcome;
  user_id: string;
  team_id?: string | undefined;
  channel_id?: string | undefined;
  thread_ts?: string | undefined;
  session_id?: string | undefined;
  /** Why it was refused (the refusal's code), or what else is worth knowing (`already-ended`). */
  reason?: string | undefined;
  /** The person is an admin (`ADMIN_USER_IDS`): an admin's acts are audited as such. */
  admin?: boolean | undefined;
  /** `allow` / `deny`: the person let in or out. */
  target_user_id?: string | undefined;
}

/** Where audited acts go: the app's log, and (with `AUDIT_CHANNEL_ID`) a Slack channel. */
export interface AuditPort {
  record(entry: AuditEntry): void;
}
