import type { AskedOptions, StartOptionKey } from './model/start-options';

/** A start's words with its options taken out, and the options as written. */
export interface ExtractedOptions {
  text: string;
  asked: AskedOptions;
}

/**
 * `key:value` or `key:"several words"`, standing alone (spaces, or the text's ends, on both sides). The value may be
 * Slack's rendering of a link (`repo:<https://github.com/a/b|a/b>`), read as the words it shows.
 */
const OPTION = /(^|\s)(playbook|repo|tag|mode|snapshot|acu):(?:"([^"\n]*)"|<[^>|\s]+\|([^>\s]+)>|([^\s"]+))(?=\s|$)/gi;

/**
 * The options of a start's text (`playbook:`, `repo:`, `tag:`, `mode:`, `snapshot:`, `acu:`), taken out of it; `repo:`
 * and `tag:` may be repeated, the last of the others counts. Other `word:` tokens stay in the text, as do options
 * inside code (`` `acu:5` ``).
 */
export function extractStartOptions(text: string): ExtractedOptions {
  const asked: AskedOptions = {};
  const code = codeRanges(text);
  const kept = text.replace(
    OPTION,
    (whole, before: string, key: string, quoted?: string, linked?: string, bare?: string, at?: number) => {
      if (at !== undefined && code.some(([from, to]) => at >= from && at < to)) return whole;
      add(asked, key.toLowerCase() as StartOptionKey, (quoted ?? linked ?? bare ?? '').trim());
      return before;
    },
  );
  return { text: kept.replace(/[ \t]{2,}/g, ' ').trim(), asked };
}

function add(asked: AskedOptions, key: StartOptionKey, value: string): void {
  switch (key) {
    case 'repo':
      asked.repos = [...(asked.repos ?? []), value];
      return;
    case 'tag':
      asked.tags = [...(asked.tags ?? []), value];
      return;
    default:
      asked[key] = value;
  }
}

/** Where the text's inline code and code blocks are: options inside them are words, not options. */
function codeRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(/```[\s\S]*?```|`[^`\n]*`/g)) {
    ranges.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
  }
  return ranges;
}
