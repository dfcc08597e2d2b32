/** Who may steer a bound thread: anyone the allowlists admit, its starter and whom they add, or `ALLOWED_USER_IDS`. */
export type SteerPolicy = 'anyone' | 'starter' | 'allowlist';

/** The rules of who may act, and where, as configured. */
export interface AccessConfig {
  /** Unset: no restriction. */
  users?: ReadonlySet<string>;
  channels?: ReadonlySet<string>;
  /** Workspaces besides the installing one whose people may act (Slack Connect). */
  teams?: ReadonlySet<string>;
  admins: ReadonlySet<string>;
  steer: SteerPolicy;
  /** `admins`: only `ADMIN_USER_IDS` may `/devin link` a session started elsewhere. */
  link: 'anyone' | 'admins';
  allowGuests: boolean;
}
