import type { Dispatcher } from 'undici';
import type { Logger } from '../../lib/logger';
import type { AuditPort } from '../../ops/audit-trail';
import type { MessageClaims } from '../../relay/message-claims';
import type { PersonSessions } from '../../relay/person-sessions';
import type { FeedbackPort } from '../../relay/ports/feedback';
import type { Replies } from '../../relay/replies';
import type { ReplyChanges } from '../../relay/reply-changes';
import type { SessionEnds } from '../../relay/session-ends';
import type { SessionStarts } from '../../relay/session-starts';
import type { Sessions } from '../../relay/sessions';
import type { SessionAccess } from '../access/session-access';
import type { SlackAccess } from '../access/slack-access';
import type { SlackNames } from '../directory/slack-names';
import type { HomeTab } from '../outbound/home-tab';
import type { ShortcutDrafts } from '../shortcut/shortcut-drafts';
import type { BackgroundWork } from './background-work';

/** What the listeners need: the domain, names, and a log. */
export interface ListenerDeps {
  /** Who may start, link, say, steer and press buttons; refusals are told privately. */
  access: SlackAccess;
  /** Starts, links, refusals, allow/deny, ends and admins' acts, as audit lines (and posts). */
  audit: AuditPort;
  /** What a person may do with a session they name (bound threads they cannot see hide it). */
  sessionAccess: SessionAccess;
  replies: Replies;
  /** Replies edited or deleted in Slack. */
  changes: ReplyChanges;
  sessions: Sessions;
  /** End session and `EXIT`. */
  ends: SessionEnds;
  starts: SessionStarts;
  claims: MessageClaims;
  names: SlackNames;
  log: Logger;
  feedback: FeedbackPort;
  background: BackgroundWork;
  devinWebUrl: string;
  /** Each person's sessions (the App Home, `/devin list`, the Send to Devin form). */
  people: PersonSessions;
  /** The workspace's address (`auth.test`), for links to threads; undefined until Slack said. */
  workspaceUrl: () => string | undefined;
  /** Each person's App Home. */
  home: HomeTab;
  /** Messages waiting in open Send to Devin forms. */
  drafts: ShortcutDrafts;
  /** The proxy that requests to response URLs go through (`HTTPS_PROXY`), if any. */
  dispatcher?: Dispatcher | undefined;
}
