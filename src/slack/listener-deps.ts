import type { Logger } from '../logger';
import type { FeedbackPort } from '../relay/feedback-port';
import type { MessageClaims } from '../relay/message-claims';
import type { Replies } from '../relay/replies';
import type { SessionStarts } from '../relay/session-starts';
import type { Sessions } from '../relay/sessions';
import type { BackgroundWork } from './background-work';
import type { SlackNames } from './slack-names';

/** What the listeners need: the domain, names, and a log. */
export interface ListenerDeps {
  replies: Replies;
  sessions: Sessions;
  starts: SessionStarts;
  claims: MessageClaims;
  names: SlackNames;
  log: Logger;
  feedback: FeedbackPort;
  background: BackgroundWork;
  devinWebUrl: string;
}
