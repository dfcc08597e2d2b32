import { STATE_LABEL } from '../relay/session-state';
import type { StatusView } from '../relay/types';
import { escapeSlackText } from './outgoing-text';

/** The status line under a session's root message. */
export function statusLine(view: StatusView | undefined): string {
  if (!view) return '*Status:* :hourglass_flowing_sand: starting';
  const pr =
    view.pullRequestUrl && /^https?:\/\/[^\s<>|]+$/.test(view.pullRequestUrl)
      ? ` · <${view.pullRequestUrl}|pull request>`
      : '';
  const state = view.endedBy
    ? `:black_square_for_stop: ended by ${escapeSlackText(view.endedBy)}`
    : STATE_LABEL[view.state];
  return `*Status:* ${state}${pr}`;
}

export function statusText(header: string, view: StatusView | undefined): string {
  return `${header}\n${statusLine(view)}`;
}
