import { createHash } from 'node:crypto';
import { withAttachmentLines } from '../shared/attachment-lines';

/**
 * The tag an idempotent create carries: the same prompt and files, the same tag. The digest is taken over the prompt
 * with a line per file, the words earlier versions of this app sent, so that a start they left unanswered and this
 * version resumes still finds its session.
 */
export function promptTag(prompt: string, attachmentUrls: readonly string[] = []): string {
  const words = withAttachmentLines(prompt, attachmentUrls);
  return `devin-slack-${createHash('sha256').update(words).digest('hex').slice(0, 24)}`;
}
