/** Which claim showed a message to be a copy: Slack's retry of one event, or the same message as a second event. */
export type DuplicateKind = 'event_id' | 'message';

/** A count by one label. */
interface Count<Label extends string> {
  inc(labels: Record<Label, string>): void;
}

/** A distribution of seconds. */
interface Seconds {
  observe(seconds: number): void;
}

/** What the domain counts as it works; the app's Prometheus metrics implement it. */
export interface RelayMetrics {
  /** Replies that reached the app, by `source`: `thread`, `command`, `shortcut`. */
  repliesReceived: Count<'source'>;
  /** Replies that reached an outcome, by `outcome`. */
  repliesRelayed: Count<'outcome'>;
  /** Copies of messages dropped, by `kind` (`DuplicateKind`). */
  repliesDeduplicated: Count<'kind'>;
  deliveryAttempts: { inc(): void };
  deliveryRetries: { inc(): void };
  /** From a reply reaching the app to Devin accepting it. */
  deliveryLag: Seconds;
  /** How late polls ran after they were due. */
  pollLag: Seconds;
  /** Polls, by `outcome`: `news`, `quiet`, `failed`, `gone`. */
  polls: Count<'outcome'>;
  /** Rounds of the change feed, by `outcome`: `read`, `skipped` (another replica read it lately), `failed`. */
  feedRounds?: Count<'outcome'>;
  /** Watched sessions the change feed found changed, and asked to be read. */
  feedChanged?: { inc(): void };
}
