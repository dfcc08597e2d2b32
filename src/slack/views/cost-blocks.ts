import type { types } from '@slack/bolt';
import type { SpendTotal } from '../../relay/model/spend';
import { escapeSlackText } from '../text/outgoing-text';
import { fitMessage, fitPlainText } from '../text/slack-fit';
import { acus } from './spend-meter';

/** Rows shown per table; the rest are summed in one line. */
const ROWS = 15;

export interface CostInput {
  period: 'today' | 'week';
  total: number;
  channels: SpendTotal[];
  /** People with their names, as the directory gives them. */
  people: Array<SpendTotal & { name: string }>;
}

/**
 * `/devin cost`: ACUs by channel and by person, the largest first, within a message's limits. Channels are Slack's
 * channel mentions, which each reader sees named only where they may (a private channel stays unnamed to others).
 */
export function costMessage(input: CostInput): { text: string; blocks: types.KnownBlock[] } {
  const when = input.period === 'today' ? 'today (UTC)' : 'in the last 7 days (UTC)';
  const heading = `*ACUs spent ${when}* by sessions started or linked from Slack: ${acus(input.total)}`;
  if (input.total <= 0) {
    const text = `${heading}. Nothing spent yet.`;
    return { text, blocks: [section(text)] };
  }
  const channels = table(input.channels, (t) => (/^[CDG][A-Z0-9]+$/.test(t.key) ? `<#${t.key}>` : 'a conversation'));
  const people = table(input.people, (t) => escapeSlackText(fitPlainText(t.name, 80)));
  const text = `${heading}\n*By channel*\n${channels}\n*By person*\n${people}`;
  return fitMessage({
    text,
    blocks: [section(heading), section(`*By channel*\n${channels}`), section(`*By person*\n${people}`)],
  }) as { text: string; blocks: types.KnownBlock[] };
}

function table<T extends SpendTotal>(rows: T[], label: (row: T) => string): string {
  const shown = rows.slice(0, ROWS).map((row) => {
    const sessions = `${row.sessions} session${row.sessions === 1 ? '' : 's'}`;
    return `• ${label(row)}: ${acus(row.acus)} (${sessions})`;
  });
  const rest = rows.slice(ROWS);
  if (rest.length > 0) {
    const sum = rest.reduce((total, row) => total + row.acus, 0);
    shown.push(`• ${rest.length} more: ${acus(sum)}`);
  }
  return shown.join('\n');
}

function section(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
