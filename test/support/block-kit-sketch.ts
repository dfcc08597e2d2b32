import type { Json } from './slack-signing';

const EMOJI: Record<string, string> = {
  large_green_circle: '🟢',
  speech_balloon: '💬',
  zzz: '💤',
  checkered_flag: '🏁',
  warning: '⚠️',
  fuel_pump: '⛽',
  money_with_wings: '💸',
  hourglass: '⌛',
  grey_question: '❔',
  no_entry: '⛔',
  rocket: '🚀',
  white_check_mark: '✅',
  link: '🔗',
  raised_hand: '✋',
};

/**
 * A plain-text sketch of a Block Kit view, roughly as Slack shows it: headers in capitals, mrkdwn as the reader sees
 * it (links by their label, dates by their fallback, a few emoji as symbols), buttons in brackets, lines wrapped.
 */
export function sketch(view: Json, width = 100): string {
  const lines: string[] = [];
  for (const block of view.blocks as Json[]) {
    switch (block.type) {
      case 'header':
        lines.push('', String(block.text.text).toUpperCase());
        break;
      case 'section':
        lines.push(...wrap(readable(block.text.text), width));
        break;
      case 'context':
        lines.push(...wrap(block.elements.map((e: Json) => readable(e.text)).join('  '), width).map((l) => `  ${l}`));
        break;
      case 'actions':
        lines.push(block.elements.map((e: Json) => `[ ${e.text.text} ]`).join('  '), '');
        break;
      case 'divider':
        lines.push('─'.repeat(width));
        break;
      default:
        lines.push(`(${block.type})`);
    }
  }
  return lines.map((line) => `│ ${line}`.trimEnd()).join('\n');
}

/** mrkdwn as the reader sees it: links by their label, dates by their fallback, a few emoji as symbols. */
export function readable(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/:([a-z_]+):/g, (code, name: string) => EMOJI[name] ?? code)
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/`/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Words wrapped at `width` columns; a continued line is indented by two. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = `  ${word}`;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
