import type { Notice, SessionOutcome, StatusView } from '../../src/relay/model/notices';
import type { Receipt } from '../../src/relay/model/replies';
import type { Binding, MessageRef, ThreadRef } from '../../src/relay/model/threads';
import type { FeedbackPort } from '../../src/relay/ports/feedback';

/** One thing the domain told the people in Slack, as the feedback port received it. */
export type Told =
  | { kind: 'receipt'; message: MessageRef; receipt: Receipt; mayShow?: Receipt[] }
  | { kind: 'open-notice'; thread: ThreadRef; notice: Notice }
  | { kind: 'resolve-notice'; thread: ThreadRef; notice: Notice }
  | { kind: 'tell'; thread: ThreadRef; notice: Notice }
  | { kind: 'tell-privately'; thread: ThreadRef; userId: string; notice: Notice }
  | { kind: 'status'; binding: Binding; view: StatusView }
  | { kind: 'working'; thread: ThreadRef; working: boolean }
  | { kind: 'outcome'; binding: Binding; outcome: SessionOutcome }
  | { kind: 'post'; thread: ThreadRef; text: string };

/**
 * The feedback port as the domain's unit tests see Slack: everything it is told, in order. Messages are cut into
 * chunks of at most `chunk` characters, with an author line for a person's words.
 */
export class RecordingFeedback implements FeedbackPort {
  readonly told: Told[] = [];
  constructor(private readonly chunk = 1000) {}

  receipt(message: MessageRef, receipt: Receipt, mayShow?: Receipt[]): void {
    this.told.push({ kind: 'receipt', message, receipt, ...(mayShow ? { mayShow } : {}) });
  }

  openNotice(thread: ThreadRef, notice: Notice): void {
    this.told.push({ kind: 'open-notice', thread, notice });
  }

  resolveNotice(thread: ThreadRef, notice: Notice): void {
    this.told.push({ kind: 'resolve-notice', thread, notice });
  }

  tell(thread: ThreadRef, notice: Notice): void {
    this.told.push({ kind: 'tell', thread, notice });
  }

  tellPrivately(thread: ThreadRef, userId: string, notice: Notice): void {
    this.told.push({ kind: 'tell-privately', thread, userId, notice });
  }

  status(binding: Binding, view: StatusView): void {
    this.told.push({ kind: 'status', binding, view });
  }

  working(thread: ThreadRef, working: boolean): void {
    this.told.push({ kind: 'working', thread, working });
  }

  outcome(binding: Binding, outcome: SessionOutcome): void {
    this.told.push({ kind: 'outcome', binding, outcome });
  }

  async postInThread(thread: ThreadRef, text: string): Promise<void> {
    this.told.push({ kind: 'post', thread, text });
  }

  sessionMessageChunks(message: { markdown: string; author?: string }): string[] {
    const text = (message.author ? `${message.author} wrote: ` : '') + message.markdown;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += this.chunk) chunks.push(text.slice(i, i + this.chunk));
    return chunks;
  }

  /** What was told of one kind. */
  of<K extends Told['kind']>(kind: K): Array<Extract<Told, { kind: K }>> {
    return this.told.filter((t): t is Extract<Told, { kind: K }> => t.kind === kind);
  }
}
