import type { Logger } from './logger';

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

  /** The first failing source's check, or ok. */
  get check(): Check {
    for (const check of this.seen.values()) if (!check.ok) return check;
    return { ok: true };
  }

  /** Whether this source's last word was a failure. */
  failing(source: string): boolean {
    return this.seen.get(source)?.ok === false;
  }

  /** What `source` saw now; a change of the peer's state is logged (a failure at `level`) and told. */
  report(source: string, check: Check, level: 'warn' | 'error' = 'warn'): void {
    this.seen.delete('pending');
    this.seen.set(source, check);
    const { ok, problem, fix } = this.check;
    if (ok === this.up) return;
    const first = this.up === undefined;
    this.up = ok;
    this.deps.changed?.(this.peer, ok);
    if (!ok) {
      this.deps.log[level](
        { peer: this.peer, up: false, fix },
        `${problem}; degraded (Slack's events are still taken and recorded)`,
      );
    } else if (!first) this.deps.log.info({ peer: this.peer, up: true }, this.deps.upAgain);
  }
}
