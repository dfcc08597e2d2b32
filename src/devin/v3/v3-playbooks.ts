import type { PlaybookEntry } from '../../relay/ports/devin';
import { parse } from '../http/devin-http';
import { playbookEntries } from '../shared/playbooks';
import type { V3Organization } from './v3-organization';
import { PAGE, pageQuery } from './v3-pages';
import { v3Page } from './v3-schemas';

/** A playbook list reads at most this many pages. */
const MAX_PAGES = 20;

/** `GET .../playbooks`, every page (`ManageAccountPlaybooks`). */
export async function listPlaybooks(org: V3Organization): Promise<PlaybookEntry[]> {
  const found: PlaybookEntry[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const answer = await org.call('GET', `/playbooks?${pageQuery(PAGE, after)}`);
    if (answer.status !== 200) throw org.refused('list the playbooks', answer, 'ManageAccountPlaybooks');
    const page = parse(v3Page, answer, 'list the playbooks');
    found.push(...playbookEntries(page.items));
    if (!page.has_next_page || !page.end_cursor) break;
    after = page.end_cursor;
  }
  return found;
}
