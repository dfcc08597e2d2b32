import type { Logger } from '../lib/logger';
import type { Reply } from '../relay/model/replies';
import type { ReplyQueue } from '../relay/ports/reply-queue';
import type { Store } from '../relay/ports/store';
import { legacyOutboxKey } from '../relay/ports/store-keys';

/** Earlier versions kept each session's waiting replies as one array, and listed those sessions under one key. */
const LEGACY_OUTBOX_INDEX = 'outbox-index';

/** A reply as they stored it: with the receipt it showed, and a Slack message without its workspace. */
type LegacyReply = Reply & { receipt?: string };

/**
 * Moves the replies an earlier version left waiting into the reply queue, once, at start: an upgrade must not lose a
 * reply. Each is recorded under its own id (a second run after a crash half way records nothing twice); its Slack
 * message gains the workspace that receipts are paced by. Resolves with how many replies were moved.
 */
export async function importLegacyOutbox(store: Store, queue: ReplyQueue, log: Logger): Promise<number> {
  const sessions = await store.get<string[]>(LEGACY_OUTBOX_INDEX);
  if (!sessions) return 0;
  let moved = 0;
  for (const sessionId of sessions) {
    for (const { receipt: _shown, ...reply } of (await store.get<LegacyReply[]>(legacyOutboxKey(sessionId))) ?? []) {
      const origin: Reply['origin'] =
        reply.origin.kind === 'thread'
          ? { ...reply.origin, message: { ...reply.origin.message, team: reply.origin.thread.team } }
          : reply.origin;
      if ((await queue.record({ ...reply, origin })) === 'recorded') moved += 1;
    }
    await store.delete(legacyOutboxKey(sessionId));
  }
  await store.delete(LEGACY_OUTBOX_INDEX);
  log.info({ sessions: sessions.length, replies: moved }, 'moved the replies an earlier version left waiting');
  return moved;
}
