import { isLinkableUrl } from '../../net/outbound';
import type { StatusView } from '../../relay/model/notices';
import { fitEscaped, type WholeAt, wholeLink } from '../text/slack-fit';
import { spendMeter } from './spend-meter';

import { STATE_LABEL } from './state-label';

/** A pull request's address longer than this is left out, as one that is no plain web address. */
const PR_URL_LIMIT = 500;
/** Room for the status line: whatever Devin's data, a root message keeps room for its header. */
export const STATUS_LINE_LIMIT = 1500;

/**
 * The status line under a session's root message: the state (with what it leaves out), pull requests and cost, within
 * `limit` characters: pull requests that do not fit are counted, with a link to `whole` (the session) where all are.
 */
export function statusLine(view: StatusView | undefined, limit = STATUS_LINE_LIMIT, whole?: WholeAt): string {
  if (!view) return '*Status:* :hourglass_flowing_sand: starting';
  const cost = view.acusConsumed === undefined ? '' : ` · ${spendMeter(view.acusConsumed, view.acuCap)}`;
  const state = `*Status:* ${stateLabel(view)}`;
  return `${state}${pullRequestLinks(view, limit - state.length - cost.length, whole)}${cost}`;
}

export function statusText(header: string, view: StatusView | undefined): string {
  return `${header}\n${statusLine(view)}`;
}

export function stateLabel(view: StatusView): string {
  if (view.endedBy) return `:black_square_for_stop: ended by ${fitEscaped(view.endedBy, 200)}`;
  if (view.archivedBy) return `:file_cabinet: archived by ${fitEscaped(view.archivedBy, 200)}`;
  const detail = view.detail;
  if (detail?.kind === 'approval') return ':raised_hand: waiting for approval';
  if (detail?.kind === 'quota') {
    return `:no_entry_sign: suspended: ${fitEscaped(detail.words ?? plainReason(detail.reason), 200)} (a reply does not wake it)`;
  }
  return STATE_LABEL[view.state];
}

/**
 * Every pull request as a link (with its state when Devin says it), as many as `room` holds; the rest are counted. A
 * URL that is no plain web address, or too long to link, is left out.
 */
function pullRequestLinks(view: StatusView, room: number, whole: WholeAt | undefined): string {
  const all = view.pullRequests?.length ? view.pullRequests : view.pullRequestUrl ? [{ url: view.pullRequestUrl }] : [];
  const shown = all.filter((pr) => isLinkableUrl(pr.url, PR_URL_LIMIT));
  const links = shown.map((pr, i) => {
    const label = shown.length === 1 ? 'pull request' : `pull request ${i + 1}`;
    const state = 'state' in pr && pr.state ? ` (${fitEscaped(pr.state, 40)})` : '';
    return ` · <${pr.url}|${label}>${state}`;
  });
  const more = (left: number) => {
    const link = wholeLink(whole);
    return left > 0 ? ` · ${left} more pull request${left === 1 ? '' : 's'}${link ? ` in ${link}` : ''}` : '';
  };
  let kept = links.length;
  const length = (n: number) => links.slice(0, n).join('').length + more(links.length - n).length;
  while (kept > 0 && length(kept) > room) kept -= 1;
  return links.slice(0, kept).join('') + more(links.length - kept);
}

/** Devin's word for a reason (`out_of_credits`) as words, when Devin's side gave none. */
export function plainReason(reason: string): string {
  return reason.replace(/_/g, ' ');
}
