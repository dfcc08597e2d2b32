import type { types } from '@slack/bolt';
import { refusalSentence } from '../../relay/access-policy';
import { isFinal } from '../../relay/model/session-state';
import type { ListedSession, SessionListing } from '../access/session-list';
import { fitMrkdwn, fitView, SLACK_LIMITS } from '../text/slack-fit';
import { type ChannelDefaultsEntry, homeChannelDefaultsBlocks } from './home-channel-defaults';
import { RESEND_ACTION } from './notice-blocks';
import { endSessionButton, OPEN_IN_DEVIN_ACTION } from './root-blocks';
import { NO_SESSIONS, sessionSummary, slackDate } from './session-lines';
import { usageText } from './usage-text';

/** Link buttons: Slack opens the link, and still tells the app of the press (acknowledged, nothing else). */
export const OPEN_THREAD_ACTION = 'open_thread';

export interface HomeViewInput {
  listing: SessionListing;
  /** When the view was made (shown at its foot). */
  now: number;
  /** What the person's last press on this view did (Resend), shown above their sessions. */
  notice?: string;
  /** The defaults of the person's channels that have some (`/devin config`), shown below their sessions. */
  channelDefaults?: ChannelDefaultsEntry[];
  /** Blocks the Home opens with (Needs you, and the spend of the person's channels). */
  top?: types.KnownBlock[];
}

/**
 * The App Home of one person: how to use Devin (the words of `/devin help`), then their sessions, newest first (at
 * most 20: two blocks each, within the 100 a view holds), each with its status, last activity, replies waiting or held,
 * and buttons to open its thread, open it in Devin, resend held replies and end it.
 */
export function homeView(input: HomeViewInput): types.HomeView {
  const blocks: types.KnownBlock[] = [
    ...(input.top ?? []),
    { type: 'header', text: { type: 'plain_text', text: 'Devin' } },
    { type: 'section', text: { type: 'mrkdwn', text: usageText() } },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your sessions' } },
  ];
  if (input.notice) blocks.push(context(input.notice));
  const { listing } = input;
  if (listing.kind === 'refused') blocks.push(section(refusalSentence(listing.refusal)));
  else if (listing.sessions.length === 0) blocks.push(section(NO_SESSIONS));
  else for (const session of listing.sessions.slice(0, 20)) blocks.push(...sessionBlocks(session));
  blocks.push(context(`Newest first, your last 20 · updated ${slackDate(input.now)}`));
  blocks.push(...homeChannelDefaultsBlocks(input.channelDefaults));
  return fitView<types.HomeView>({ type: 'home', blocks });
}

/** The App Home when Slack refused its full form: how to use Devin, and where the person's sessions are listed. */
export function minimalHomeView(): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Devin' } },
      section('Your sessions could not be shown here; `/devin list` lists them, with links to their threads.'),
    ],
  };
}

function sessionBlocks(session: ListedSession): types.KnownBlock[] {
  const buttons: types.Button[] = [];
  if (session.thread) {
    buttons.push({
      type: 'button',
      action_id: OPEN_THREAD_ACTION,
      text: { type: 'plain_text', text: 'Open thread' },
      url: session.thread.permalink,
    });
  }
  buttons.push({
    type: 'button',
    action_id: OPEN_IN_DEVIN_ACTION,
    text: { type: 'plain_text', text: 'Open in Devin' },
    url: session.sessionUrl,
  });
  if (session.waiting.held + session.waiting.failed > 0) {
    buttons.push({
      type: 'button',
      action_id: RESEND_ACTION,
      text: { type: 'plain_text', text: 'Resend' },
      style: 'primary',
      value: session.sessionId,
    });
  }
  if (!isFinal(session.state)) buttons.push(endSessionButton(session.sessionId, session.title));
  return [section(sessionSummary(session)), { type: 'actions', elements: buttons }];
}

function section(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): types.KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: fitMrkdwn(text, SLACK_LIMITS.textObject) }] };
}
