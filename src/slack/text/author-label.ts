/** A Slack person as Slack's directory knows them; only `id` is certain (a lookup that fails or is late gives only it). */
export interface SlackPerson {
  id: string;
  /** the full name on the profile (`real_name`) */
  realName?: string;
  /** the username (`name`), shown as `@handle` */
  handle?: string;
}

const NOT_IN_A_NAME = /[^\p{L}\p{M}\p{N} .'’-]/gu;
const NOT_IN_A_HANDLE = /[^\p{L}\p{M}\p{N}._-]/gu;
const NOT_IN_AN_ID = /[^A-Za-z0-9]/g;
const VIA_SLACK = /\bvia\s+slack\b/giu;
const NAME_LIMIT = 64;
const HANDLE_LIMIT = 40;

/**
 * Who wrote a message, as Devin reads it: the real name, the handle and the Slack user id, e.g.
 * `Alice Example (@alice, U0123)`; just `U0123` when Slack could not say. A display name can be set to anything ("CTO"),
 * so it is not used; the id in parentheses is what no name can fake, since names lose parentheses, colons, angle
 * brackets, markup and line breaks (see `plainName`).
 */
export function authorLabel(person: SlackPerson): string {
  const id = person.id.replace(NOT_IN_AN_ID, '') || 'unknown';
  const name = plainName(person.realName);
  const handle = plainHandle(person.handle);
  if (name) return `${name} (${handle ? `@${handle}, ` : ''}${id})`;
  return handle ? `@${handle} (${id})` : id;
}

/**
 * A name that can neither forge an author line nor reach Slack as markup: letters, digits, spaces and `.'-` only (no
 * `<!channel>`, `<@U…>`, `*`, `:`, parentheses, control or formatting characters, line breaks), no "via Slack", and
 * at most 64 characters. '' when nothing is left.
 */
export function plainName(name: string | undefined): string {
  if (typeof name !== 'string') return '';
  let plain = name.normalize('NFKC').replace(NOT_IN_A_NAME, ' ');
  for (let before = ''; before !== plain; ) {
    before = plain;
    plain = plain.replace(VIA_SLACK, ' ');
  }
  return plain.replace(/\s+/g, ' ').trim().slice(0, NAME_LIMIT).trim();
}

/** A handle or channel name with only letters, digits and `._-`, at most 40 characters. '' when nothing is left. */
export function plainHandle(handle: string | undefined): string {
  if (typeof handle !== 'string') return '';
  return handle.normalize('NFKC').replace(NOT_IN_A_HANDLE, '').slice(0, HANDLE_LIMIT);
}
