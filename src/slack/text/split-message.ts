const FENCE = '```';
const REOPEN = `${FENCE}\n`;
const CLOSE = `\n${FENCE}`;
/** The smallest limit that still leaves room for some code between a reopened and a closed fence. */
const MIN_LIMIT = 16;
/** Where to cut, best first; the separator itself is dropped at the cut. */
const SEPARATORS = ['\n\n', '\n', ' '];

interface Cut {
  end: number;
  next: number;
}

/**
 * Slack mrkdwn cut into chunks of at most `limit` characters, at paragraph breaks, else line breaks, else spaces,
 * else anywhere. A chunk cut inside a ``` block is closed with ``` and the next one reopens it.
 */
export function splitForSlack(mrkdwn: string, limit = 3500): string[] {
  if (!(limit >= MIN_LIMIT)) throw new RangeError(`limit must be at least ${MIN_LIMIT}`);
  const max = Math.floor(limit);
  const fences = fencePositions(mrkdwn);
  const chunks: string[] = [];
  let pos = skipNewlines(mrkdwn, 0);
  while (pos < mrkdwn.length) {
    const prefix = inCode(fences, pos) ? REOPEN : '';
    if (prefix.length + mrkdwn.length - pos <= max) {
      pushChunk(chunks, prefix + mrkdwn.slice(pos));
      break;
    }
    const cut = findCut(mrkdwn, fences, pos, max - prefix.length);
    const body = mrkdwn.slice(pos, cut.end);
    pushChunk(chunks, prefix + body + closing(fences, cut.end, body));
    pos = skipNewlines(mrkdwn, cut.next);
  }
  return chunks;
}

function pushChunk(chunks: string[], chunk: string): void {
  if (chunk.trim() !== '') chunks.push(chunk);
}

function closing(fences: number[], end: number, body: string): string {
  if (!inCode(fences, end)) return '';
  return body.endsWith('\n') ? FENCE : CLOSE;
}

function findCut(text: string, fences: number[], pos: number, budget: number): Cut {
  const fits = (end: number) => end - pos + (inCode(fences, end) ? CLOSE.length : 0) <= budget;
  for (const separator of SEPARATORS) {
    for (let at = text.lastIndexOf(separator, pos + budget); at > pos; at = text.lastIndexOf(separator, at - 1)) {
      const cut = { end: at, next: at + separator.length };
      const keepsLink = separator !== ' ' || linkStart(text, at) === -1;
      if (keepsLink && fits(at) && !emptyCode(text, fences, pos, cut)) return cut;
    }
  }
  return hardCut(text, fences, pos, budget, fits);
}

/** As far as the budget allows, stepping back out of a <link>, an &entity;, a fence or a surrogate pair. */
function hardCut(text: string, fences: number[], pos: number, budget: number, fits: (end: number) => boolean): Cut {
  let end = pos + budget;
  while (end > pos + 1 && !fits(end)) end--;
  const token = Math.max(linkStart(text, end), entityStart(text, end));
  if (token > pos) end = token;
  while (end > pos + 1 && (!fits(end) || splitsPair(text, end) || insideFence(fences, end))) end--;
  return { end, next: end };
}

/** A cut inside a code block that leaves no code on one side of it would show an empty block. */
function emptyCode(text: string, fences: number[], pos: number, cut: Cut): boolean {
  const before = fencesEndingBy(fences, cut.end);
  if (before % 2 === 0) return false;
  const from = Math.max(pos, fences[before - 1] + FENCE.length);
  const to = fences[fencesEndingBy(fences, cut.next)] ?? text.length;
  return text.slice(from, cut.end).trim() === '' || text.slice(cut.next, to).trim() === '';
}

function fencePositions(text: string): number[] {
  const positions: number[] = [];
  for (let at = text.indexOf(FENCE); at !== -1; at = text.indexOf(FENCE, at + FENCE.length)) positions.push(at);
  return positions;
}

/** How many fences end at or before `at`. */
function fencesEndingBy(fences: number[], at: number): number {
  let low = 0;
  let high = fences.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fences[mid] + FENCE.length <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether `at` is inside a code block: an odd number of fences end at or before it. */
function inCode(fences: number[], at: number): boolean {
  return fencesEndingBy(fences, at) % 2 === 1;
}

function insideFence(fences: number[], at: number): boolean {
  const next = fences[fencesEndingBy(fences, at)];
  return next !== undefined && next < at;
}

function splitsPair(text: string, at: number): boolean {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff;
}

/** The start of the <link|label> that `at` falls inside, or -1. */
function linkStart(text: string, at: number): number {
  let open = -1;
  for (let i = at - 1; i >= 0 && open === -1; i--) {
    if (text[i] === '\n' || text[i] === '>') return -1;
    if (text[i] === '<') open = i;
  }
  if (open === -1) return -1;
  for (let i = at; i < text.length; i++) {
    if (text[i] === '>') return open;
    if (text[i] === '\n' || text[i] === '<') return -1;
  }
  return -1;
}

/** The start of the &entity; that `at` falls inside, or -1. */
function entityStart(text: string, at: number): number {
  const amp = text.lastIndexOf('&', at - 1);
  if (amp === -1 || at - amp > 8 || !/^&[#a-zA-Z0-9]*$/.test(text.slice(amp, at))) return -1;
  return /^[#a-zA-Z0-9]*;/.test(text.slice(at, amp + 10)) ? amp : -1;
}

function skipNewlines(text: string, at: number): number {
  let i = at;
  while (text[i] === '\n' || text[i] === '\r') i++;
  return i;
}
