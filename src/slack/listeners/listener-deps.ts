import type { PersonSessions } from '../../relay/person-sessions';
import type { FeedbackPort } from '../../relay/ports/feedback';
import type { ReplyChanges } from '../../relay/reply-changes';
import type { SessionArchives } from '../../relay/session-archives';
import type { SessionEnds } from '../../relay/session-ends';
import type { SessionStarts } from '../../relay/session-starts';
import type { HomeTab } from '../outbound/home-tab';
import type { SendToDevinDeps } from '../shortcut/send-to-devin';
import type { BackgroundWork } from './background-work';

/**
 * What the listeners need: what the subcommands and the shortcut work with (the domain, names, access, the audit trail
 * and a log), and the rest of the domain that events reach.
 */
export interface ListenerDeps extends SendToDevinDeps {
  starts: SessionStarts;
  /** Replies edited or deleted in Slack. */
  changes: ReplyChanges;
  /** End session and `EXIT`. */
  ends: SessionEnds;
  /** `archive`, confirmed. */
  archives: SessionArchives;
  feedback: FeedbackPort;
  background: BackgroundWork;
  /** Each person's sessions (the App Home, `/devin list`, the Send to Devin form). */
  people: PersonSessions;
  /** Each person's App Home. */
  home: HomeTab;
}
