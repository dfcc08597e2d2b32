/** Every key and index name the app's store holds, one format per concept. */

/** A thread reply's id in the reply queue: its Slack message, `team:channel:ts`. */
export const threadReplyId = (message: { team: string; channel: string; ts: string }) =>
  `${message.team}:${message.channel}:${message.ts}`;

/** What polling knows of one session (`SessionWatch`). */
export const watchKey = (sessionId: string) => `watch:${sessionId}`;

/** How far the session message being posted got (`PostProgress`); deleted once the message is done. */
export const postProgressKey = (sessionId: string) => `watch-progress:${sessionId}`;

/** Present while a reply to the session is held until it works again. */
export const heldWaitingKey = (sessionId: string) => `watch-held:${sessionId}`;

/** One replica polls a session at a time: the name of its lease (the store key is `lease:poll:<session>`). */
export const pollLeaseName = (sessionId: string) => `poll:${sessionId}`;

/** Where the change feed stands (`FeedMark`): the newest change Devin listed, by Devin's clock, shared by the replicas. */
export const FEED_MARK_KEY = 'feed-mark';

/** One replica reads the change feed at a time: the name of its lease (the store key is `lease:feed`). */
export const FEED_LEASE_NAME = 'feed';

/** The schedule: member = session id, score = when it is next due (ms since the epoch). */
export const POLL_DUE_INDEX = 'poll-due';

/** Texts relayed to a session, not yet seen in it: member = `<fingerprint>:<nonce>`, score = when it was sent (ms). */
export const relayedIndex = (sessionId: string) => `relayed:${sessionId}`;

/** The list of watched sessions kept by earlier versions; moved into the schedule once, at start. */
export const LEGACY_WATCH_INDEX = 'watch-index';

/** A session start from the moment it is asked for until its thread is bound and answered (`PendingStart`). */
export const startKey = (id: string) => `start:${id}`;

/** The session starts one person asked for lately: member = start id, score = when (ms since the epoch). */
export const startsByPersonIndex = (team: string, userId: string) => `starts-by-person:${team}:${userId}`;

/** The session starts one workspace asked for lately, as above. */
export const startsByTeamIndex = (team: string) => `starts-by-team:${team}`;

/** The pending starts: member = start id, score = when it is next due (ms since the epoch). */
export const STARTS_INDEX = 'starts';

/** One replica carries out a start at a time: the name of its lease (the store key is `lease:start:<id>`). */
export const startLeaseName = (id: string) => `start:${id}`;

/** Taken by the one press of End session that ends the session (`SessionEnds`); released when ending failed. */
export const endClaimKey = (sessionId: string) => `end:${sessionId}`;

/** Who ended the session from Slack, and when (`SessionEnd`). */
export const sessionEndKey = (sessionId: string) => `ended:${sessionId}`;

/** The person whose reply last reached the session (`LastSteerer`), to mention when Devin waits for people. */
export const lastSteererKey = (sessionId: string) => `steered-by:${sessionId}`;
/**
 * The sessions a person started, linked or steered: member = session id, score = minus the time of its last activity
 * (ms since the epoch), so that the newest comes first in a sorted index.
 */
export const personSessionsIndex = (team: string, userId: string) => `person-sessions:${team}:${userId}`;

/** The people who started, linked or steered a session: member = `<team>:<user id>`, score as above. */
export const sessionPeopleIndex = (sessionId: string) => `session-people:${sessionId}`;

/** A message on its way through the Send to Devin form, from the shortcut until the form is sent (`ShortcutDrafts`). */
export const shortcutDraftKey = (id: string) => `shortcut-draft:${id}`;

/** The drafts by when they were made (ms since the epoch), so that forms never sent are forgotten. */
export const SHORTCUT_DRAFTS_INDEX = 'shortcut-drafts';

/** Claimed by the first submission of a Send to Devin form: Slack may send the same submission again. */
export const shortcutTakenKey = (id: string) => `shortcut-taken:${id}`;

/** Every lease key starts with this; a store with one owner (SQLite) drops them all as it opens. */
export const LEASE_PREFIX = 'lease:';

/** A lease (`Leases`): one holder at a time runs the work it names. */
export const leaseKey = (name: string) => `${LEASE_PREFIX}${name}`;

/** A thread's binding to its session (`Binding`). */
export const threadKey = (thread: { team: string; channel: string; threadTs: string }) =>
  `thread:${thread.team}:${thread.channel}:${thread.threadTs}`;

/** The threads bound to a session (`SessionThreads`). */
export const sessionThreadsKey = (sessionId: string) => `session:${sessionId}`;

/** Claimed by the first delivery of a Slack event: Slack sends one it got no answer for again. */
export const seenEventKey = (eventId: string) => `seen-event:${eventId}`;

/** Claimed by the first delivery of a Slack message, whichever event brought it (a mention comes as two). */
export const seenMessageKey = (m: { team: string; channel: string; ts: string }) =>
  `seen-message:${m.team}:${m.channel}:${m.ts}`;

/** Left when a message reached Devin: an edit or a deletion after that is too late, and said so. */
export const deliveredMessageKey = (m: { team: string; channel: string; ts: string }) =>
  `delivered-message:${m.team}:${m.channel}:${m.ts}`;

/** Claimed when the thread is told that a change to a delivered message came too late: once per message. */
export const changeToldKey = (m: { team: string; channel: string; ts: string }) =>
  `change-told:${m.team}:${m.channel}:${m.ts}`;

/** A thread's open trouble notice: its message and its kind (`OpenNotice`). */
export const openNoticeKey = (thread: { team: string; channel: string; threadTs: string }) =>
  `notice:${thread.team}:${thread.channel}:${thread.threadTs}`;

/** The outcome reaction shown on a root message (its emoji name), so that a restart or a second look adds none. */
export const outcomeShownKey = (m: { team: string; channel: string; ts: string }) =>
  `outcome-shown:${m.team}:${m.channel}:${m.ts}`;

/** Claimed when a refused person is told why in a thread: at most once per thread and person for its lifetime. */
export const refusalToldKey = (at: { team: string; channel: string; threadTs: string; userId: string }) =>
  `refusal-told:${at.team}:${at.channel}:${at.threadTs}:${at.userId}`;

/** A session's waiting replies as earlier versions kept them, in one list; imported into the reply queue once. */
export const legacyOutboxKey = (sessionId: string) => `outbox:${sessionId}`;

/** One replica delivers a session's replies at a time: the name of its lease (the key is `lease:deliver:<session>`). */
export const deliverLeaseName = (sessionId: string) => `deliver:${sessionId}`;

/** A short critical section over a record, across replicas (`Lock`). */
export const lockKey = (name: string) => `lock:${name}`;

/** What the doctor writes, reads back and deletes to check the store. */
export const doctorProbeKey = (id: string) => `doctor:${id}`;

/**
 * How the Redis backend lays the reply queue out, under the app's namespace: one hash per reply, one sorted set per
 * session's queue (and of its held or failed replies), the authors' counts, and the sessions with work.
 */
export const REDIS_QUEUE = {
  reply: (id: string) => `reply:${id}`,
  queue: (sessionId: string) => `queue:${sessionId}`,
  stuck: (sessionId: string) => `stuck:${sessionId}`,
  authors: (sessionId: string) => `queue-authors:${sessionId}`,
  sessions: 'queues',
} as const;

/** The Redis backend's sorted index named `name`, and its claim on `key`, under the app's namespace. */
export const redisIndexKey = (name: string) => `index:${name}`;
export const redisClaimKey = (key: string) => `claim:${key}`;

/** A channel's settings (`ChannelSettingsRecord`): its defaults for sessions started there, and what else it sets. */
export const channelSettingsKey = (team: string, channel: string) => `channel-settings:${team}:${channel}`;

/** The channels with settings: member = `<team>:<channel>`, score = when they last changed (ms since the epoch). */
export const CHANNEL_SETTINGS_INDEX = 'channel-settings';

/** Taken by the one confirmed `archive` that archives the session (`SessionArchives`); released when it failed. */
export const archiveClaimKey = (sessionId: string) => `archive:${sessionId}`;

/** Who archived the session from Slack, and when (`SessionArchive`). */
export const sessionArchiveKey = (sessionId: string) => `archived:${sessionId}`;
/** What a session started or linked from Slack spent, and where (`SessionSpend`): its channel, its starter, its cap. */
export const sessionSpendKey = (sessionId: string) => `spend:${sessionId}`;

/** The sessions that spent lately, across the app: member = session id, score = minus when it last spent (ms). */
export const SPEND_RECENT_INDEX = 'spend-recent';

/** The sessions started in one channel that spent lately: member = session id, score = minus when it last spent (ms). */
export const channelSpendIndex = (team: string, channel: string) => `spend-channel:${team}:${channel}`;

/** A channel's daily ACU budget (`ChannelBudget`), set with `/devin config budget`. */
export const channelBudgetKey = (team: string, channel: string) => `channel-budget:${team}:${channel}`;

/** Claimed when a session's thread is told that 80% of its ACU cap is spent: once per session. */
export const capWarnedKey = (sessionId: string) => `cap-warned:${sessionId}`;

/** Claimed when a session's closing summary is posted: once per session. */
export const closingSummaryKey = (sessionId: string) => `closing-summary:${sessionId}`;

/** The sessions waiting for people: member = session id, score = since when (ms since the epoch). */
export const WAITING_SINCE_INDEX = 'waiting-since';

/** A person's daily digest (`DigestSettings`), set with `/devin digest`. */
export const digestKey = (team: string, userId: string) => `digest:${team}:${userId}`;

/** The digests due: member = `<team>:<user id>`, score = when the next one is due (ms since the epoch). */
export const DIGEST_DUE_INDEX = 'digest-due';

/** Claimed by the replica that sends one person's digest due at `dueAt`: each is sent once. */
export const digestSentKey = (team: string, userId: string, dueAt: number) => `digest-sent:${team}:${userId}:${dueAt}`;

/** Claimed by the replica that reminds a person of a session waiting for them on one UTC day: once a session a day. */
export const waitReminderKey = (sessionId: string, team: string, userId: string, day: string) =>
  `wait-reminder:${sessionId}:${team}:${userId}:${day}`;
