import type { Reply, ReplyState } from '../../relay/model/replies';

export const REPLIES_SCHEMA = `
CREATE TABLE IF NOT EXISTS replies (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  seq TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  uncertain INTEGER NOT NULL DEFAULT 0,
  first_attempt_at INTEGER,
  was_held INTEGER NOT NULL DEFAULT 0,
  problem TEXT,
  text TEXT NOT NULL,
  body TEXT NOT NULL,
  attachments TEXT,
  author TEXT,
  revision TEXT,
  revisions INTEGER NOT NULL DEFAULT 0,
  withdrawn INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS replies_in_order ON replies (session_id, seq, id);
CREATE INDEX IF NOT EXISTS replies_by_state ON replies (session_id, state);
`;

/** Made after the columns later versions added exist. */
export const AUTHOR_INDEX = 'CREATE INDEX IF NOT EXISTS replies_by_author ON replies (session_id, author)';

export interface Row {
  id: string;
  session_id: string;
  state: ReplyState;
  attempts: number;
  uncertain: number;
  first_attempt_at: number | null;
  was_held: number;
  problem: string | null;
  text: string;
  body: string;
  /** JSON of `Reply.attachments`; null until a file was dealt with (and in files from before files were forwarded). */
  attachments: string | null;
  /** The words its Slack message was edited to, before they reached Devin. */
  revision: string | null;
  revisions: number;
  withdrawn: number;
}

/** The fields of a reply that never change after it is recorded. */
/** What a reply's row keeps as JSON. */
export type Body = Pick<Reply, 'order' | 'origin' | 'receivedAt' | 'draft'>;

/** A row as the reply it records (the words it was edited to, when it was, in its draft). */
export function toReply(row: Row): Reply {
  const body = JSON.parse(row.body) as Body;
  const draft = body.draft && row.revision !== null ? { ...body.draft, text: row.revision } : body.draft;
  return {
    id: row.id,
    sessionId: row.session_id,
    text: row.text,
    ...body,
    ...(draft ? { draft } : {}),
    state: row.state,
    attempts: row.attempts,
    ...(row.uncertain ? { uncertain: true } : {}),
    ...(row.first_attempt_at === null ? {} : { firstAttemptAt: row.first_attempt_at }),
    ...(row.was_held ? { wasHeld: true } : {}),
    ...(row.problem === null ? {} : { problem: row.problem }),
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as Reply['attachments'] } : {}),
    ...(row.withdrawn ? { withdrawn: true } : {}),
    ...(row.revisions ? { revisions: row.revisions } : {}),
  };
}
