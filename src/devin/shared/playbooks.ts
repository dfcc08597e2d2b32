import { z } from 'zod';
import type { PlaybookEntry } from '../../relay/ports/devin';

/** A playbook as both versions list it (v1's `GET /v1/playbooks`, v3's `GET .../playbooks`): the fields read. */
export const playbook = z
  .object({ playbook_id: z.string().min(1), title: z.string().nullish(), macro: z.string().nullish() })
  .loose();

/** The playbooks among `items` (an item Devin describes otherwise is left out, not fatal). */
export function playbookEntries(items: unknown[]): PlaybookEntry[] {
  return items.flatMap((item) => {
    const parsed = playbook.safeParse(item);
    if (!parsed.success) return [];
    const { playbook_id, title, macro } = parsed.data;
    return [{ id: playbook_id, title: title ?? playbook_id, ...(macro ? { macro } : {}) }];
  });
}
