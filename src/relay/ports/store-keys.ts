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
