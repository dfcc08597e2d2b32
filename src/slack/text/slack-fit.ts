import type { types } from '@slack/bolt';
import { isLinkableUrl } from '../../net/outbound';
import { escapeSlackText } from './outgoing-text';

/**
 * Slack's limits that the app's messages and views are fitted to, in UTF-16 code units (JavaScript's `length`, the
 * stricter count where Slack's documentation does not say how it counts).
 */
export const SLACK_LIMITS = {
  /** A message's text: chat.update refuses more (`msg_too_long`); chat.postMessage is best under it too. */
  messageText: 4000,
  /** A text object, a section's text, a context element. */
  textObject: 3000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  contextElements: 10,
  actionsElements: 25,
  messageBlocks: 50,
  viewBlocks: 100,
  /** The text of all blocks of one message: Slack refuses about 13,000 (`msg_blocks_too_long`); kept well under. */
  messageBlockText: 12_000,
  /** A view's JSON: Slack refuses more than 250 kB (`view_too_large`); kept well under. */
  viewBytes: 200_000,
} as const;

export const ELLIPSIS = '…';

/** Where the whole of something that was cut can be read (the session in Devin, the thread): linked after the cut. */
export interface WholeAt {
  url: string;
  label: string;
}

export interface FittedMessage {
  text: string;
  blocks?: types.KnownBlock[];
}

/** A cut never throws away more than this share of the room to end at a line or word boundary. */
const BOUNDARY_REACH = 0.4;

/** A link to the whole, as mrkdwn; '' when the URL is no plain web address. */
export function wholeLink(whole: WholeAt | undefined): string {
  return whole && isLinkableUrl(whole.url) ? `<${whole.url}|${escapeSlackText(whole.label)}>` : '';
}

/**
 * Mrkdwn (already escaped: every `<` opens a link or mention) in at most `max` characters: cut at a line break, else a
 * space, never inside a `<link>`, an `&entity;` or a surrogate pair, marked with an ellipsis and followed by a link to
 * the whole when there is one.
 */
export function fitMrkdwn(mrkdwn: string, max: number, whole?: WholeAt): string {
  if (mrkdwn.length <= max) return mrkdwn;
  if (!(max >= 1)) return '';
  const link = wholeLink(whole);
  const withLink = `${ELLIPSIS} ${link}`;
  const suffix = link && withLink.length <= max / 2 ? withLink : ELLIPSIS;
  return cut(mrkdwn, max - suffix.length, true) + suffix;
}

/** Plain words (a title, a detail, a file name) escaped for mrkdwn and fitted: the escaped text is what is counted. */
export function fitEscaped(plain: string, max: number, whole?: WholeAt): string {
  return fitMrkdwn(escapeSlackText(plain), max, whole);
}

/** Mrkdwn as a quote (each line after `> `), fitted to `max` characters; '' for no text or no room. */
export function quoteBlock(mrkdwn: string, max: number, whole?: WholeAt): string {
  if (!(max >= 1) || mrkdwn === '') return '';
  const quoted = mrkdwn
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return fitMrkdwn(quoted, max, whole);
}

/** Words for a `plain_text` object (a header, a button, an option): nothing is escaped there. */
export function fitPlainText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (!(max >= 1)) return '';
  return cut(text, max - ELLIPSIS.length, false) + ELLIPSIS;
}

/** At most `room` characters of `text`, ending at a line break or space when one is near, whole tokens only. */
function cut(text: string, room: number, markup: boolean): string {
  let end = Math.max(0, Math.floor(room));
  end = safeEnd(text, end, markup);
  const floor = Math.floor(end * (1 - BOUNDARY_REACH));
  const boundary = lastBoundary(text, end, floor, markup);
  const kept = text.slice(0, boundary ?? end);
  // A quote's marker left alone at the end of a cut (`\n>`) says nothing.
  return kept.replace(/\n(?:&gt;|>)?\s*$/, '').trimEnd();
}

/** `end`, moved back out of a surrogate pair, a `<link>` and an `&entity;` it would split. */
function safeEnd(text: string, end: number, markup: boolean): number {
  let at = end;
  if (at > 0 && isHighSurrogate(text.charCodeAt(at - 1))) at -= 1;
  if (!markup) return at;
  const open = text.lastIndexOf('<', at - 1);
  if (open !== -1 && open > text.lastIndexOf('>', at - 1)) at = open;
  const amp = text.lastIndexOf('&', at - 1);
  if (amp !== -1 && at - amp < 8 && /^&[a-z#0-9]*$/i.test(text.slice(amp, at))) at = amp;
  return at;
}

/** The last line break (else space) at or before `end` and after `floor` that is outside every link. */
function lastBoundary(text: string, end: number, floor: number, markup: boolean): number | undefined {
  for (const separator of ['\n', ' ']) {
    for (let at = text.lastIndexOf(separator, end - 1); at > floor; at = text.lastIndexOf(separator, at - 1)) {
      if (!markup || text.lastIndexOf('<', at) <= text.lastIndexOf('>', at)) return at;
    }
  }
  return undefined;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

type Block = types.KnownBlock;
type TextObject = types.PlainTextElement | types.MrkdwnElement;

/**
 * A message within Slack's limits, whatever its data: its text under 4,000 characters, each text object within its
 * own limit, at most 50 blocks (the rest summed up in a last line with the link), and all block text under 12,000.
 */
export function fitMessage(message: FittedMessage, whole?: WholeAt): FittedMessage {
  const text = fitMrkdwn(message.text, SLACK_LIMITS.messageText, whole);
  if (!message.blocks) return { text };
  const blocks = fitBlockCount(
    message.blocks.map((b) => fitBlock(b, whole)),
    SLACK_LIMITS.messageBlocks,
    whole,
  );
  return { text, blocks: fitBlockText(blocks, SLACK_LIMITS.messageBlockText, whole) };
}

/** A view (the App Home, a modal) within Slack's limits: every block fitted, at most 100 of them, under 250 kB. */
export function fitView<V extends { blocks: Array<Block | types.Block> }>(view: V, whole?: WholeAt): V {
  const blocks = fitBlockCount(
    view.blocks.map((b) => fitBlock(b as Block, whole)),
    SLACK_LIMITS.viewBlocks,
    whole,
  );
  // Past its size, blocks are left out from the end (a foot of the view says how many) until it fits.
  const shown = (n: number) =>
    n >= blocks.length ? blocks : [...blocks.slice(0, n), moreBlock(blocks.length - n, whole)];
  let kept = blocks.length;
  while (kept > 1 && Buffer.byteLength(JSON.stringify({ ...view, blocks: shown(kept) })) > SLACK_LIMITS.viewBytes) {
    kept = Math.floor(kept * 0.8);
  }
  return { ...view, blocks: shown(kept) };
}

function fitBlock(block: Block, whole: WholeAt | undefined): Block {
  switch (block.type) {
    case 'section':
      return {
        ...block,
        ...(block.text ? { text: fitTextObject(block.text, SLACK_LIMITS.textObject, whole) } : {}),
        ...(block.fields ? { fields: block.fields.slice(0, 10).map((f) => fitTextObject(f, 2000, whole)) } : {}),
      };
    case 'header':
      return { ...block, text: { ...block.text, text: fitPlainText(block.text.text, SLACK_LIMITS.headerText) } };
    case 'context':
      return {
        ...block,
        elements: block.elements
          .slice(0, SLACK_LIMITS.contextElements)
          .map((e) => (e.type === 'mrkdwn' || e.type === 'plain_text' ? fitTextObject(e, SLACK_LIMITS.textObject) : e)),
      };
    case 'actions':
      return { ...block, elements: block.elements.slice(0, SLACK_LIMITS.actionsElements) };
    default:
      return block;
  }
}

function fitTextObject<T extends TextObject>(object: T, max: number, whole?: WholeAt): T {
  const text =
    object.type === 'mrkdwn' ? fitMrkdwn(object.text, max, whole) : fitPlainText(object.text, Math.min(max, 3000));
  return { ...object, text: text || ELLIPSIS };
}

function fitBlockCount(blocks: Block[], most: number, whole: WholeAt | undefined): Block[] {
  if (blocks.length <= most) return blocks;
  return [...blocks.slice(0, most - 1), moreBlock(blocks.length - most + 1, whole)];
}

/** While the blocks' text is over `most`, the longest section is cut by what is over (to no less than 300 characters). */
function fitBlockText(blocks: Block[], most: number, whole: WholeAt | undefined): Block[] {
  const fitted = [...blocks];
  for (;;) {
    const over = textOf(fitted) - most;
    if (over <= 0) return fitted;
    const longest = longestSection(fitted);
    const block = longest === undefined ? undefined : fitted[longest];
    if (longest === undefined || block?.type !== 'section' || !block.text || block.text.text.length <= 300) break;
    fitted[longest] = {
      ...block,
      text: fitTextObject(block.text, Math.max(300, block.text.text.length - over), whole),
    };
  }
  // Nothing is left to cut: blocks are left out from the end.
  let kept = fitted.slice(0, -1);
  while (kept.length > 1 && textOf(kept) + 100 > most) kept = kept.slice(0, -1);
  return [...kept, moreBlock(fitted.length - kept.length, whole)];
}

function longestSection(blocks: Block[]): number | undefined {
  let best: number | undefined;
  let length = 0;
  blocks.forEach((block, i) => {
    if (block.type === 'section' && block.text && block.text.text.length > length) {
      best = i;
      length = block.text.text.length;
    }
  });
  return best;
}

function textOf(blocks: Block[]): number {
  let total = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      const object = value as { type?: unknown; text?: unknown };
      if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
        total += object.text.length;
      } else for (const child of Object.values(object)) visit(child);
    }
  };
  visit(blocks);
  return total;
}

function moreBlock(left: number, whole: WholeAt | undefined): Block {
  const link = wholeLink(whole);
  const text = `${ELLIPSIS} ${left === 1 ? 'one more part' : `${left} more parts`} left out${link ? `: ${link}` : ''}`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
