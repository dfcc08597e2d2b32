import { isLinkableUrl } from '../../net/outbound';
import type { SpendNotice } from '../../relay/model/spend-notices';
import { slackLink } from '../text/outgoing-text';
import { fitEscaped } from '../text/slack-fit';
import { sectionMessage as plain, type RenderedMessage } from './rendered-message';
import { acus, spendMeter } from './spend-meter';

/** Pull requests a closing summary lists; the rest are counted, with the session's link. */
const LISTED_PRS = 10;
/** Insights a closing summary shows, each cut to this many characters. */
const LISTED_INSIGHTS = 5;
const INSIGHT_LIMIT = 300;

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const link = slackLink;

/** The words of the spending notices: the cap nearly spent, the answers to `acu:<n>`, the closing summary. */
export function spendNoticeWords(notice: SpendNotice): RenderedMessage {
  switch (notice.kind) {
    case 'cap-near': {
      const who = notice.mention.filter((id) => SLACK_USER_ID.test(id)).map((id) => `<@${id}>`);
      const raisers = who.length > 0 ? who.join(', ') : 'the person who started it or an admin';
      return plain(
        `:fuel_pump: This session has spent ${spendMeter(notice.spent, notice.cap)} of its cap. ` +
          `${raisers} can raise it: reply \`acu:<n>\` here, or change it in ${link(notice.sessionUrl, 'the Devin session')}.`,
      );
    }
    case 'cap-raise':
      return plain(raiseWords(notice));
    case 'closing-summary':
      return plain(closingWords(notice));
  }
}

function raiseWords(notice: Extract<SpendNotice, { kind: 'cap-raise' }>): string {
  switch (notice.outcome) {
    case 'refused':
      return ':no_entry: Only the person who started this session or an admin can raise its ACU cap; it stays as it is.';
    case 'invalid':
      return ':warning: `acu:<n>` needs a whole number of ACUs above 0, for example `acu:50`; nothing was changed.';
    case 'unsupported':
      return (
        `:information_source: Devin's API has no way to change the ACU cap of a running session, so ` +
        `${notice.asked ? `${acus(notice.asked)} was not set` : 'nothing was changed'} and nothing was sent to Devin. ` +
        `Raise it in ${link(notice.sessionUrl, 'the Devin session')}, or start a new session with a higher \`acu:<n>\`.`
      );
  }
}

const OUTCOME_WORDS = {
  finished: ':checkered_flag: Devin finished',
  expired: ':hourglass: The session expired; replies here can no longer reach it',
  error: ':x: The session ended with an error; replies here can no longer reach it',
  ended: ':black_square_for_stop: The session was ended',
} as const;

function closingWords(notice: Extract<SpendNotice, { kind: 'closing-summary' }>): string {
  const ended = notice.endedBy ? ` by ${fitEscaped(notice.endedBy, 100)}` : '';
  const lines = [`*Closing summary* · ${OUTCOME_WORDS[notice.outcome]}${ended}.`];
  const prs = notice.pullRequests.filter((pr) => isLinkableUrl(pr.url, 500));
  if (prs.length === 0) lines.push('Pull requests: none.');
  for (const pr of prs.slice(0, LISTED_PRS)) {
    lines.push(`• Pull request: <${pr.url}>${pr.state ? ` (${fitEscaped(pr.state, 40)})` : ''}`);
  }
  if (prs.length > LISTED_PRS) lines.push(`• ${prs.length - LISTED_PRS} more in ${link(notice.sessionUrl, 'Devin')}`);
  const facts = [
    notice.acusConsumed === undefined
      ? 'ACUs spent: not reported by this API'
      : `Spent: ${spendMeter(notice.acusConsumed, notice.cap)}`,
    ...(notice.durationMs === undefined ? [] : [`took ${duration(notice.durationMs)}`]),
  ];
  lines.push(facts.join(' · '));
  const insights = (notice.insights ?? []).slice(0, LISTED_INSIGHTS);
  if (insights.length > 0) {
    lines.push("*Devin's insights*");
    for (const insight of insights) lines.push(`• ${fitEscaped(insight.replace(/\s+/g, ' '), INSIGHT_LIMIT)}`);
  }
  lines.push(link(notice.sessionUrl, 'Open the session in Devin'));
  return lines.join('\n');
}

/** `2 h 5 min`, `12 min`, `40 s`. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 1) return `${minutes} min`;
  const days = Math.floor(hours / 24);
  if (days < 1) return `${hours} h ${minutes % 60} min`;
  return `${days} d ${hours % 24} h`;
}
