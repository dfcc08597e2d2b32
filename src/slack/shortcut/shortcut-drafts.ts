import type { Store } from '../../relay/ports/store';
import { SHORTCUT_DRAFTS_INDEX, shortcutDraftKey, shortcutTakenKey } from '../../relay/ports/store-keys';
import type { ShortcutMessage, ShortcutSender } from '../text/shortcut-message';

/** How long a Send to Devin form may stay open; older drafts are forgotten. */
export const DRAFT_TTL_MS = 60 * 60_000;
/** Old drafts forgotten each time a new one is saved. */
const FORGET_BATCH = 20;

/** A message on its way through the Send to Devin form: kept from the shortcut until the form is sent. */
export interface ShortcutDraft {
  id: string;
  message: ShortcutMessage;
  sender: ShortcutSender;
  at: number;
}

/**
 * The messages waiting in open Send to Devin forms. A form carries only the draft's id (a message can be far longer
 * than the 3,000 characters of a view's private_metadata); each new draft forgets a few older than an hour.
 */
export class ShortcutDrafts {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async save(fields: Omit<ShortcutDraft, 'at'>): Promise<void> {
    const draft: ShortcutDraft = { ...fields, at: this.now() };
    const index = this.store.index(SHORTCUT_DRAFTS_INDEX);
    await index.put(draft.id, draft.at);
    await this.store.set(shortcutDraftKey(draft.id), draft);
    for (const old of await index.upTo(this.now() - DRAFT_TTL_MS, FORGET_BATCH)) await this.forget(old.member);
  }

  /**
   * The draft of a submitted form, for the person who made it; `taken` when this submission came before (Slack sent it
   * again), undefined when it is unknown, someone else's or forgotten.
   */
  async take(id: string, userId: string): Promise<ShortcutDraft | 'taken' | undefined> {
    if (!id) return undefined;
    const draft = await this.store.get<ShortcutDraft>(shortcutDraftKey(id));
    if (!draft || draft.sender.userId !== userId) return undefined;
    return (await this.store.claim(shortcutTakenKey(id), userId, DRAFT_TTL_MS)) ? draft : 'taken';
  }

  async forget(id: string): Promise<void> {
    await this.store.delete(shortcutDraftKey(id));
    await this.store.index(SHORTCUT_DRAFTS_INDEX).remove(id);
  }
}
