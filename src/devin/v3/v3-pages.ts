import type { MessagesFrom } from '../../relay/model/devin-session';
import { isDevinError } from '../../relay/ports/devin-errors';
import type { V3Page } from './v3-schemas';

/** One page of a list: `first` items after `cursor` (none: from the first item). */
export type PageReader = (cursor: string | undefined, first: number) => Promise<V3Page>;

/** The most items one page of a v3 list holds (Devin's documented maximum for `first`). */
export const PAGE = 200;

/** The paging part of a list's query: `first` items after `cursor` (none: from the first item). */
export function pageQuery(first: number, cursor: string | undefined): string {
  return `first=${first}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`;
}
/** A read follows at most this many pages (40,000 items); the next one goes on from where it stopped. */
const MAX_PAGES = 200;

/**
 * The items of a cursor-paginated list from `start` to its end, following `has_next_page`, and where the next read
 * starts. Devin gives no cursor after the last page (`end_cursor` is null), so when that page lists more than one item
 * a shorter read of it (one item less) yields a cursor just before its last item: from there a read of a list that
 * did not change lists that one item, however long the list.
 */
export async function readFromCursor(
  read: PageReader,
  start: MessagesFrom,
): Promise<{ items: unknown[]; next: MessagesFrom }> {
  const items: unknown[] = [];
  let page: MessagesFrom = start;
  let answer = await read(page.cursor, PAGE);
  for (let pages = 1; ; pages += 1) {
    items.push(...answer.items);
    if (!answer.has_next_page || !answer.end_cursor || answer.items.length === 0 || pages >= MAX_PAGES) break;
    page = { cursor: answer.end_cursor, at: page.at + answer.items.length };
    answer = await read(page.cursor, PAGE);
  }
  const last = answer.items.length;
  if (answer.has_next_page && answer.end_cursor) {
    // Stopped at MAX_PAGES: the next read goes on after what was read.
    return { items, next: { cursor: answer.end_cursor, at: page.at + last } };
  }
  if (last <= 1) return { items, next: page };
  try {
    const shorter = await read(page.cursor, last - 1);
    if (shorter.has_next_page && shorter.end_cursor) {
      return { items, next: { cursor: shorter.end_cursor, at: page.at + last - 1 } };
    }
  } catch (error) {
    // Only a saving was lost: the next read starts at this page instead.
    if (!isDevinError(error)) throw error;
  }
  return { items, next: page };
}
