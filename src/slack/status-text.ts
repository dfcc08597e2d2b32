import { quotaWords } from '../devin/suspension';
import { STATE_LABEL } from '../relay/session-state';
import type { StatusView } from '../relay/types';
import { acus } from './notice-blocks';
import { escapeSlackText } from './outgoing-text';

const WEB_URL = /^https?:\/\/[^\s<>|]+$/;

/** The status line under a session's root message: the state (with what it leaves out), pull requests and cost. */
export function statusLine(view: StatusView | undefined): string {
  if (!view) return '*Status:* :hourglass_flowing_sand: starting';
  const cost = view.acusConsumed === undefined ? '' : ` · ${acus(view.acusConsumed)}`;
  return `*Status:* ${stateLabel(view)}${pullRequestLinks(view)}${cost}`;
}

export function statusText(header: string, view: StatusView | undefined): string {
  return `${header}\n${statusLine(view)}`;
}

function stateLabel(view: StatusView): string {
  if (view.endedBy) return `:black_square_for_stop: ended by ${escapeSlackText(view.endedBy)}`;
  const detail = view.detail;
  if (detail?.kind === 'approval') return ':raised_hand: waiting for approval';
  if (detail?.kind === 'quota') {
    return `:no_entry_sign: suspended: ${escapeSlackText(quotaWords(detail.reason))} (a reply does not wake it)`;
  }
  return STATE_LABEL[view.state];
}

/** Every pull request as a link (with its state when Devin says it); a URL that is no plain web address is left out. */
function pullRequestLinks(view: StatusView): string {
  const all = view.pullRequests?.length ? view.pullRequests : view.pullRequestUrl ? [{ url: view.pullRequestUrl }] : [];
  const shown = all.filter((pr) => WEB_URL.test(pr.url));
  return shown
    .map((pr, i) => {
      const label = shown.length === 1 ? 'pull request' : `pull request ${i + 1}`;
      const state = 'state' in pr && pr.state ? ` (${escapeSlackText(pr.state)})` : '';
      return ` · <${pr.url}|${label}>${state}`;
    })
    .join('');
}
