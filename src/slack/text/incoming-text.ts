import { plainHandle, plainName, type SlackPerson } from './author-label';

export interface NameDirectory {
  userName(userId: string): Promise<string | undefined>;
  channelName(channelId: string): Promise<string | undefined>;
}

type Piece = string | { kind: 'user' | 'channel'; id: string };

const TOKEN = /<([^<>\n]*)>/g;
const ENTITY = /&(lt|gt|amp);/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&' };
const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ASIDE = /^\s*(?:\(aside\)|!aside)/i;

export async function toPlainText(text: string, names: NameDirectory): Promise<string> {
  if (typeof text !== 'string' || text === '') return '';
  const pieces = tokenize(text);
  const userIds = distinctIds(pieces, 'user');
  const channelIds = distinctIds(pieces, 'channel');
  const [users, channels] = await Promise.all([
    lookUpAll(userIds, (id) => names.userName(id)),
    lookUpAll(channelIds, (id) => names.channelName(id)),
  ]);
  return pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      if (piece.kind === 'user') return `@${plainName(users.get(piece.id)) || piece.id}`;
      return `#${plainHandle(channels.get(piece.id)) || piece.id}`;
    })
    .join('');
}

/**
 * The same words without looking anyone up, for what must be shown at once (a form's preview): a mention Slack sent
 * without a name shows as its id.
 */
export function plainTextNow(text: string): string {
  if (typeof text !== 'string' || text === '') return '';
  return tokenize(text)
    .map((piece) => (typeof piece === 'string' ? piece : `${piece.kind === 'user' ? '@' : '#'}${piece.id}`))
    .join('');
}

export function isAside(text: string): boolean {
  return typeof text === 'string' && ASIDE.test(text);
}

function tokenize(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push(decodeEntities(text.slice(last, start)));
    pieces.push(renderToken(match[1] ?? '', match[0]));
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push(decodeEntities(text.slice(last)));
  return pieces;
}

function renderToken(body: string, raw: string): Piece {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? '' : decodeEntities(body.slice(bar + 1));
  if (target.startsWith('@') && target.length > 1) {
    return label ? `@${plainName(label) || target.slice(1)}` : { kind: 'user', id: target.slice(1) };
  }
  if (target.startsWith('#') && target.length > 1) {
    return label ? `#${label}` : { kind: 'channel', id: target.slice(1) };
  }
  if (target.startsWith('!') && target.length > 1) return renderCommand(target.slice(1), label);
  if (SCHEME.test(target)) return renderLink(decodeEntities(target), label);
  return decodeEntities(raw);
}

function renderCommand(command: string, label: string): string {
  if (SPECIAL_MENTIONS.has(command.toLowerCase())) return `@${command.toLowerCase()}`;
  const [name, ...args] = command.split('^');
  if (name === 'subteam') {
    if (label) return label.startsWith('@') ? label : `@${label}`;
    return `@${args[0] || 'subteam'}`;
  }
  if (label) return label;
  if (name === 'date') return formatTimestamp(args[0]) ?? command;
  return `@${command}`;
}

function renderLink(url: string, label: string): string {
  const isMail = url.toLowerCase().startsWith('mailto:');
  const shown = isMail ? url.slice('mailto:'.length) : url;
  if (!label || label === url || label === shown || label === url.replace(SCHEME, '').replace(/^\/\//, '')) {
    return shown;
  }
  return `${label} (${shown})`;
}

function formatTimestamp(seconds: string | undefined): string | undefined {
  if (!seconds || !/^\d{1,12}$/.test(seconds)) return undefined;
  return new Date(Number(seconds) * 1000).toISOString();
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (_, name: string) => ENTITIES[name] ?? '');
}

function distinctIds(pieces: Piece[], kind: 'user' | 'channel'): string[] {
  const ids = new Set<string>();
  for (const piece of pieces) {
    if (typeof piece !== 'string' && piece.kind === kind) ids.add(piece.id);
  }
  return [...ids];
}

async function lookUpAll(
  ids: string[],
  lookUp: (id: string) => Promise<string | undefined>,
): Promise<Map<string, string>> {
  const found = await Promise.all(ids.map((id) => safeLookUp(lookUp, id)));
  const names = new Map<string, string>();
  ids.forEach((id, i) => {
    const name = found[i];
    if (name) names.set(id, name);
  });
  return names;
}

async function safeLookUp(
  lookUp: (id: string) => Promise<string | undefined>,
  id: string,
): Promise<string | undefined> {
  try {
    const name = await lookUp(id);
    return typeof name === 'string' && name.trim() !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** What a relayed message needs to name people: mentions by display name, authors by who they are. */
export interface PeopleDirectory extends NameDirectory {
  personOf(userId: string): Promise<SlackPerson>;
}
