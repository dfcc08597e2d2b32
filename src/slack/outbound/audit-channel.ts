import type { webApi } from '@slack/bolt';
import type { AuditEntry } from '../../relay/ports/audit';
import type { FeedbackQueue } from './feedback-queue';

/**
 * Posts audit entries to the audit channel (`AUDIT_CHANNEL_ID`), one short line each, paced with the channel's other
 * posts and never awaited. People are named by id (a mention would notify them), never by anything they wrote.
 */
export function auditChannelPoster(deps: {
  client: webApi.WebClient;
  queue: FeedbackQueue;
  channel: string;
}): (entry: AuditEntry) => void {
  let posts = 0;
  return (entry) => {
    posts += 1;
    deps.queue.offer(`audit:${posts}`, { family: 'chat.postMessage', scope: `audit:${deps.channel}` }, async () => {
      await deps.client.chat.postMessage({ channel: deps.channel, text: auditText(entry), unfurl_links: false });
    });
  };
}

/** `:lock: link done · by U0123 (admin) · session devin-… · in #C1, thread 1700000000.000100` */
export function auditText(given: AuditEntry): string {
  const entry = Object.fromEntries(
    Object.entries(given).map(([key, value]) => [key, typeof value === 'string' ? plain(value) : value]),
  ) as unknown as AuditEntry;
  const parts = [
    `:lock: *${entry.action}* ${entry.outcome}${entry.reason ? ` (${entry.reason})` : ''}`,
    `by \`${entry.user_id}\`${entry.admin ? ' (admin)' : ''}${entry.team_id ? ` of \`${entry.team_id}\`` : ''}`,
    ...(entry.target_user_id ? [`for \`${entry.target_user_id}\``] : []),
    ...(entry.session_id ? [`session \`${entry.session_id}\``] : []),
    ...(entry.channel_id ? [`in <#${entry.channel_id}>${entry.thread_ts ? `, thread ${entry.thread_ts}` : ''}`] : []),
  ];
  return parts.join(' · ');
}

/** Ids and codes only: nothing that Slack would read as markup. */
function plain(value: string): string {
  return value.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 80);
}
