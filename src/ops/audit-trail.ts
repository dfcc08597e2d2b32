import type { Logger } from '../lib/logger';
import type { AuditEntry, AuditPort } from '../relay/ports/audit';

export interface AuditTrailDeps {
  log: Logger;
  /** Posts the entry briefly to the audit channel, without waiting (unset: no channel is configured). */
  post?: (entry: AuditEntry) => void;
  /** Who the admins are, so that every entry says whether an admin acted. */
  isAdmin?: (userId: string) => boolean;
}

/**
 * The audit trail: each start, link, refusal, allow/deny, End session and admin act is one `info` line whose `msg` is
 * `audit`, with the fields of `AuditEntry` (no field is left empty, no words of a message are in it), and, when an
 * audit channel is configured, a short post there.
 */
export class AuditTrail implements AuditPort {
  constructor(private readonly deps: AuditTrailDeps) {}

  record(entry: AuditEntry): void {
    const { admin: said, ...rest } = entry;
    const admin = said ?? this.deps.isAdmin?.(entry.user_id);
    const line = Object.fromEntries(
      Object.entries({ ...rest, ...(admin ? { admin: true } : {}) }).filter(([, v]) => v !== undefined && v !== ''),
    ) as unknown as AuditEntry;
    this.deps.log.info(line, 'audit');
    try {
      this.deps.post?.(line);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not post to the audit channel');
    }
  }
}
