import { bounded } from '../lib/bounded';
import type { Logger } from '../lib/logger';
import type { DevinApi } from '../relay/ports/devin';
import type { Store } from '../relay/ports/store';
import { devinCheck, PEER_FIXES, STARTING_FIX } from './peer-checks';
import type { Check, PeerName, PeerStatus } from './peer-status';

export type { Check } from './peer-status';

/** What readiness needs: the app can take a Slack event and record it. */
export type CheckName = 'store' | 'events' | 'socket';

/**
 * What `GET /readyz` answers: 200 while the app can take and record Slack's events (`checks`), else 503. Devin's and
 * Slack's trouble (`peers`) makes it `degraded`, never unready: replies are still recorded, and held until they can go.
 */
export interface ReadinessReport {
  ok: boolean;
  status: 'ready' | 'degraded' | 'not_ready';
  mode: 'socket' | 'http';
  checks: Partial<Record<CheckName, Check>>;
  peers: Record<PeerName, Check>;
  /** The peers that are down now. */
  degraded: PeerName[];
}

/** What Slack answered to `auth.test` (`detail`: which call to which URL failed, and what to check). */
export type SlackVerdict = { ok: true } | { ok: false; detail: string };

/** Devin's key is checked at most this often (at start, then on the timer); Slack too, while it has not answered. */
export const DEVIN_CHECK_MS = 60_000;
/** How long a readiness request waits for the store to answer its ping. */
const STORE_PING_MS = 2000;

export interface ReadinessDeps {
  mode: 'socket' | 'http';
  store: Pick<Store, 'ping'>;
  devin: Pick<DevinApi, 'checkKey'>;
  /** Taking events: started and not stopping. */
  serving: () => boolean;
  /** Socket Mode only: whether the connection to Slack is open. */
  socketOpen?: () => boolean;
  /** Asks Slack's `auth.test` again (the timer does, at most once a minute, while it has not passed). */
  askSlack?: () => Promise<SlackVerdict>;
  now: () => number;
  log: Logger;
  /** Devin's and Slack's state, as every source saw it (see `PeerStatus`). */
  peers: Record<PeerName, PeerStatus>;
  /** Values never to be shown (tokens, keys, the store's password), should a peer's answer quote one. */
  secrets: Array<string | undefined>;
}

const FIXES = {
  store:
    'Check STORE_URL and that the store answers (Redis up and reachable, the SQLite file on a writable disk); ' +
    'the app resumes by itself once it does',
  events: STARTING_FIX,
  socket:
    'The app reconnects by itself; if the connection stays closed, check SLACK_APP_TOKEN (an app-level token ' +
    'xapp-... with connections:write) and that the app can reach Slack',
} as const;

/**
 * Whether the app can take and record Slack's events now: the store answers (asked on each request, bounded), it takes
 * events, and the Socket Mode connection is open (in that mode). Beside them, its peers: Slack accepted the bot token
 * and answers, and Devin accepted the key when last asked. Devin is asked at start and then at most once a minute,
 * never per request; an answer seen by the app's own traffic (a 401/403, or a success) counts at once.
 */
export class Readiness {
  private slackCheckedAt: number | undefined;
  private slackChecking: Promise<Check> | undefined;
  private devinCheckedAt: number | undefined;
  private devinChecking: Promise<Check> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly secrets: string[];

  constructor(private readonly deps: ReadinessDeps) {
    this.secrets = deps.secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  get mode(): 'socket' | 'http' {
    return this.deps.mode;
  }

  /** Records Slack's answer to `auth.test`; a failure is logged with its words, and so is the recovery. */
  slackChecked(verdict: SlackVerdict): void {
    this.slackCheckedAt = this.deps.now();
    this.deps.peers.slack.report(
      'auth.test',
      verdict.ok
        ? { ok: true }
        : { ok: false, problem: `Slack did not accept auth.test: ${verdict.detail}`, fix: PEER_FIXES.slack },
      'error',
    );
  }

  /** Asks Slack again while its `auth.test` has not passed, at most once a minute (by the app's clock). */
  checkSlack(): Promise<Check> {
    const { askSlack, peers } = this.deps;
    if (!peers.slack.failing('auth.test') || !askSlack) return Promise.resolve(peers.slack.check);
    if (this.slackChecking) return this.slackChecking;
    if (this.slackCheckedAt !== undefined && this.deps.now() - this.slackCheckedAt < DEVIN_CHECK_MS) {
      return Promise.resolve(peers.slack.check);
    }
    this.slackCheckedAt = this.deps.now();
    this.slackChecking = askSlack()
      .then((verdict) => {
        this.slackChecked(verdict);
        return peers.slack.check;
      })
      .finally(() => {
        this.slackChecking = undefined;
      });
    return this.slackChecking;
  }

  /**
   * Asks Devin whether it accepts the key, unless it was asked less than a minute ago (by the app's clock); resolves
   * with the check as it then stands. The timer calls this; so can tests.
   */
  checkDevin(): Promise<Check> {
    if (this.devinChecking) return this.devinChecking;
    const now = this.deps.now();
    if (this.devinCheckedAt !== undefined && now - this.devinCheckedAt < DEVIN_CHECK_MS) {
      return Promise.resolve(this.deps.peers.devin.check);
    }
    this.devinCheckedAt = now;
    this.devinChecking = this.deps.devin
      .checkKey()
      .then((answer) => this.setDevin(devinCheck(answer)))
      .finally(() => {
        this.devinChecking = undefined;
      });
    return this.devinChecking;
  }

  /** An answer of Devin's to the app's own traffic: a 401/403 marks the key refused at once, a success clears it. */
  keySeen(accepted: boolean, detail = ''): void {
    if (accepted) {
      if (!this.deps.peers.devin.check.ok) this.setDevin({ ok: true });
      return;
    }
    this.setDevin(devinCheck({ ok: false, reason: 'refused', detail }));
  }

  /** Looks every `everyMs` whether Devin's key is due for its check (at most once a minute); 0 starts no timer. */
  start(everyMs: number): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => {
      void this.checkDevin();
      void this.checkSlack();
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Every check and peer as it stands now (the store is asked); never rejects. */
  async report(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {
      store: await this.storeCheck(),
      events: this.deps.serving()
        ? { ok: true }
        : { ok: false, problem: 'not taking events (starting or stopping)', fix: FIXES.events },
      ...(this.deps.socketOpen
        ? {
            socket: this.deps.socketOpen()
              ? { ok: true }
              : { ok: false, problem: 'the Socket Mode connection to Slack is not open', fix: FIXES.socket },
          }
        : {}),
    };
    const peers = { slack: this.deps.peers.slack.check, devin: this.deps.peers.devin.check };
    const ok = Object.values(checks).every((check) => check?.ok);
    const degraded = (Object.keys(peers) as PeerName[]).filter((peer) => !peers[peer].ok);
    const status = !ok ? 'not_ready' : degraded.length > 0 ? 'degraded' : 'ready';
    return {
      ok,
      status,
      mode: this.deps.mode,
      checks: this.scrubbed(checks),
      peers: this.scrubbed(peers) as Record<PeerName, Check>,
      degraded,
    };
  }

  /** The names of the checks that fail now (the app cannot take and record events), and of the peers that are down. */
  async failing(): Promise<{ notReady: CheckName[]; degraded: PeerName[] }> {
    const { checks, degraded } = await this.report();
    return { notReady: (Object.keys(checks) as CheckName[]).filter((name) => !checks[name]?.ok), degraded };
  }

  private async storeCheck(): Promise<Check> {
    try {
      await bounded(STORE_PING_MS, this.deps.store.ping(), () => {
        throw new Error(`the store did not answer within ${STORE_PING_MS} ms`);
      });
      return { ok: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: `the store does not answer: ${reason}`, fix: FIXES.store };
    }
  }

  private setDevin(check: Check): Check {
    this.deps.peers.devin.report('key', check);
    return this.deps.peers.devin.check;
  }

  private scrubbed<K extends string>(checks: Partial<Record<K, Check>>): Partial<Record<K, Check>> {
    const scrub = (text: string) => this.secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
    const out: Partial<Record<K, Check>> = {};
    for (const [name, check] of Object.entries(checks) as Array<[K, Check]>) {
      out[name] = check.ok ? check : { ...check, ...(check.problem ? { problem: scrub(check.problem) } : {}) };
    }
    return out;
  }
}
