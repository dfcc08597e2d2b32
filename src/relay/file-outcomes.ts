import type { FileOutcome } from './model/replies';

/**
 * A file name as it may appear in a line Devin reads or a note: no line breaks, quotes or control characters (a name
 * must not be able to start a line of its own), at most 120 characters.
 */
export function plainFileName(name: string): string {
  const plain = name
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/"/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return (plain || 'file').slice(0, 120);
}

/** The words Devin reads for a message with files: its text, then a line for each file that could not be attached. */
export function withFileProblems(text: string, outcomes: readonly FileOutcome[] | undefined): string {
  const problems = (outcomes ?? []).flatMap((o) =>
    'problem' in o ? [`(Could not attach "${plainFileName(o.name)}": ${o.problem}.)`] : [],
  );
  return [text, ...problems].filter((line) => line !== '').join('\n');
}

/** The URLs Devin gave the files that were attached, in the message's order: they travel beside its words. */
export function attachedUrls(outcomes: readonly FileOutcome[] | undefined): string[] {
  return (outcomes ?? []).flatMap((o) => ('url' in o ? [o.url] : []));
}
