import type { Notice } from '../../relay/model/notices';
import { acus } from './spend-meter';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why a start was refused (a person's or the workspace's hourly limit, or the channel's daily budget), and until when. */
export function startLimitedWords(notice: Extract<Notice, { kind: 'start-limited' }>): string {
  const at = Math.ceil(notice.retryAt / 1000);
  const when = `<!date^${at}^{date_short_pretty} at {time}|${new Date(at * 1000).toISOString()}>`;
  switch (notice.scope) {
    case 'channel-budget':
      return (
        `:money_with_wings: This channel's daily budget of ${acus(notice.limit)} is spent, so no session was ` +
        `started. It resets at midnight UTC, ${when}.`
      );
    case 'person':
      return (
        `:hourglass: You started ${plural(notice.limit, 'Devin session')} in the last hour, the most one person ` +
        `may, so no session was started. You can start another ${when}.`
      );
    case 'workspace':
      return (
        `:hourglass: This workspace started ${plural(notice.limit, 'Devin session')} in the last hour, the most ` +
        `it may, so no session was started. A new one can start ${when}.`
      );
  }
}
