import type { Logger } from '../lib/logger';

/** One thing the app needs to do its work; a failing one says what is wrong and how to fix it. */
export interface Check {
  ok: boolean;
  problem?: string;
  fix?: string;
}

/** The peers whose trouble degrades the app without taking it out of service. */
export type PeerName = 'devin' | 'slack';

export interface PeerStatusDeps {
  log: Logger;
  /** Told each time the peer goes down or comes back (the `devin_slack_peer_up` gauge). */
  changed?: (peer: PeerName, up: boolean) => void;
  /** What the log says when the peer is back, in the peer's words. */
  upAgain: string;
}

/**
 * Whether a peer (Devin's API, Slack's Web API) works for the app, from what each source last saw (a key check, the
 * app's own traffic): up when every source is. The app keeps taking and recording Slack's events while a peer is down
 * (it is degraded, not out of service). Each change is logged once, and told to `changed`.
 */
export class PeerStatus {
  private readonly seen = new Map<string, Check>();
  private up: boolean | undefined;

  constructor(
    readonly peer: PeerName,
    private readonly deps: PeerStatusDeps,
    pending: Check,
  ) {
    this.seen.set('pending', pending);
    deps.changed?.(peer, false);
  }

  /** The check of the source that failed last, or ok. */
  get check(): Check {
    return [...this.seen.values()].reverse().find((check) => !check.ok) ?? { ok: true };
  }

  /** Whether this source's last word was a failure. */
  failing(source: string): boolean {
    return this.seen.get(source)?.ok === false;
  }

  /**
   * What `source` saw now. Each new failure of a source is logged once (at `level`), with its problem and fix; the
   * peer's coming back is logged once too, and each change of up or down is told to `changed`.
   */
  report(source: string, check: Check, level: 'warn' | 'error' = 'warn'): void {
    const wasFailing = this.failing(source);
    this.seen.delete('pending');
    this.seen.delete(source);
    this.seen.set(source, check);
    if (!check.ok && !wasFailing) {
      this.deps.log[level](
        { peer: this.peer, up: false, fix: check.fix },
        `${check.problem}; degraded (Slack's events are still taken and recorded)`,
      );
    }
    const { ok } = this.check;
    if (ok === this.up) return;
    const first = this.up === undefined;
    this.up = ok;
    this.deps.changed?.(this.peer, ok);
    if (ok && !first) this.deps.log.info({ peer: this.peer, up: true }, this.deps.upAgain);
  }
}
