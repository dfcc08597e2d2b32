import { STATE_LABEL } from '../relay/session-state';
import type { StatusView } from '../relay/types';

/** The status line under a session's root message. */
export function statusLine(view: StatusView | undefined): string {
  if (!view) return '*Status:* :hourglass_flowing_sand: starting';
  const pr =
    view.pullRequestUrl && /^https?:\/\/[^\s<>|]+$/.test(view.pullRequestUrl)
      ? ` · <${view.pullRequestUrl}|pull request>`
      : '';
  return `*Status:* ${STATE_LABEL[view.state]}${pr}`;
}

export function statusText(header: string, view: StatusView | undefined): string {
  return `${header}\n${statusLine(view)}`;
}
