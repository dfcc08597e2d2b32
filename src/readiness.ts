import { bounded } from './bounded';
import type { DevinClient, KeyCheck } from './devin/devin-client';
import type { Logger } from './logger';
import type { Store } from './store/store';

/** One thing the app needs to do its work; a failing one says what is wrong and how to fix it. */
export interface Check {
  ok: boolean;
  problem?: string;
  fix?: string;
}

export type CheckName = 'store' | 'events' | 'slack' | 'socket' | 'devin';

/** What `GET /readyz` answers: 200 when every check passes, else 503. */
export interface ReadinessReport {
  ok: boolean;
  mode: 'socket' | 'http';
  checks: Partial<Record<CheckName, Check>>;
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
  devin: Pick<DevinClient, 'checkKey'>;
  /** Taking events: started and not stopping. */
  serving: () => boolean;
  /** Socket Mode only: whether the connection to Slack is open. */
  socketOpen?: () => boolean;
  /** Asks Slack's `auth.test` again (the timer does, at most once a minute, while it has not passed). */
  askSlack?: () => Promise<SlackVerdict>;
  now: () => number;
  log: Logger;
  /** Values never to be shown (tokens, keys, the store's password), should a peer's answer quote one. */
  secrets: Array<string | undefined>;
}

const OK: Check = { ok: true };

const FIXES = {
  store:
    'Check STORE_URL and that the store answers (Redis up and reachable, the SQLite file on a writable disk); ' +
    'the app resumes by itself once it does',
  events: 'Wait for the start-up to finish; while the app stops, its events go to another replica or its next start',
  slack:
    'Check SLACK_BOT_TOKEN (the bot token xoxb-... of an app still installed in the workspace), SLACK_API_URL and ' +
    'the network; auth.test is asked again every minute',
  socket:
    'The app reconnects by itself; if the connection stays closed, check SLACK_APP_TOKEN (an app-level token ' +
    'xapp-... with connections:write) and that the app can reach Slack',
  refused:
    'Set DEVIN_API_KEY to a valid key from Devin\'s settings ("API keys") and restart; the key is checked again ' +
    'every minute',
  unreachable: 'Check DEVIN_API_URL and that the app can reach it; it is checked again every minute',
  error: "Devin's API is having trouble; it is checked again every minute",
} as const;

/**
 * Whether the app can do its work now, check by check: the store answers (asked on each request, bounded), it takes
 * events, Slack accepted the bot token at start-up, the Socket Mode connection is open (in that mode), and Devin
 * accepted the key when last asked. Devin is asked at start and then at most once a minute, never per request; an
 * answer seen by the app's own traffic (a 401/403, or a success) counts at once.
 */
export class Readiness {
  private slack: Check = { ok: false, problem: "Slack's auth.test has not been asked yet", fix: FIXES.events };
  private slackKnown = false;
  private slackCheckedAt: number | undefined;
  private slackChecking: Promise<Check> | undefined;
  private devin: Check = {
    ok: false,
    problem: "Devin's key is being checked: no answer from Devin's API yet",
    fix: 'Wait a moment; if it lasts, check DEVIN_API_URL and that the app can reach it',
  };
  /** Whether Devin has answered once (until then its check is pending: not a change to log). */
  private devinKnown = false;
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

  /** Records Slack's answer to `auth.test`; the first failure is logged with its words, and so is the recovery. */
  slackChecked(verdict: SlackVerdict): void {
    const was = this.slackKnown ? this.slack.ok : undefined;
    this.slackKnown = true;
    this.slackCheckedAt = this.deps.now();
    this.slack = verdict.ok ? OK : { ok: false, problem: verdict.detail, fix: FIXES.slack };
    if (!verdict.ok && was !== false)
      this.deps.log.error({ fix: FIXES.slack }, `Slack did not accept auth.test: ${verdict.detail}; not ready`);
    if (verdict.ok && was === false) this.deps.log.info("Slack's auth.test passed; ready");
  }

  /** Asks Slack again while its `auth.test` has not passed, at most once a minute (by the app's clock). */
  checkSlack(): Promise<Check> {
    const { askSlack } = this.deps;
    if (this.slack.ok || !askSlack) return Promise.resolve(this.slack);
    if (this.slackChecking) return this.slackChecking;
    if (this.slackCheckedAt !== undefined && this.deps.now() - this.slackCheckedAt < DEVIN_CHECK_MS) {
      return Promise.resolve(this.slack);
    }
    this.slackCheckedAt = this.deps.now();
    this.slackChecking = askSlack()
      .then((verdict) => {
        this.slackChecked(verdict);
        return this.slack;
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
      return Promise.resolve(this.devin);
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
      if (!this.devin.ok) this.setDevin(OK);
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

  /** Every check as it stands now (the store is asked); never rejects. */
  async report(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {
      store: await this.storeCheck(),
      events: this.deps.serving()
        ? OK
        : { ok: false, problem: 'not taking events (starting or stopping)', fix: FIXES.events },
      slack: this.slack,
      ...(this.deps.socketOpen
        ? {
            socket: this.deps.socketOpen()
              ? OK
              : { ok: false, problem: 'the Socket Mode connection to Slack is not open', fix: FIXES.socket },
          }
        : {}),
      devin: this.devin,
    };
    const ok = Object.values(checks).every((check) => check?.ok);
    return { ok, mode: this.deps.mode, checks: this.scrubbed(checks) };
  }

  /** The names of the checks that fail now. */
  async failing(): Promise<CheckName[]> {
    const { checks } = await this.report();
    return (Object.keys(checks) as CheckName[]).filter((name) => !checks[name]?.ok);
  }

  private async storeCheck(): Promise<Check> {
    try {
      await bounded(STORE_PING_MS, this.deps.store.ping(), () => {
        throw new Error(`the store did not answer within ${STORE_PING_MS} ms`);
      });
      return OK;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: `the store does not answer: ${reason}`, fix: FIXES.store };
    }
  }

  /** Logs a change only: the first failure with its fix, and the recovery. */
  private setDevin(check: Check): Check {
    const was = this.devinKnown ? this.devin.ok : undefined;
    this.devin = check;
    this.devinKnown = true;
    if (!check.ok && was !== false) this.deps.log.warn({ fix: check.fix }, `${check.problem}; not ready`);
    if (check.ok && was === false) this.deps.log.info("Devin's API accepts DEVIN_API_KEY again; ready");
    return check;
  }

  private scrubbed(checks: ReadinessReport['checks']): ReadinessReport['checks'] {
    const scrub = (text: string) => this.secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
    const out: ReadinessReport['checks'] = {};
    for (const [name, check] of Object.entries(checks) as Array<[CheckName, Check]>) {
      out[name] = check.ok ? check : { ...check, ...(check.problem ? { problem: scrub(check.problem) } : {}) };
    }
    return out;
  }
}

function devinCheck(answer: KeyCheck): Check {
  if (answer.ok) return OK;
  switch (answer.reason) {
    case 'refused':
      return { ok: false, problem: `Devin's API refused DEVIN_API_KEY (${answer.detail})`, fix: FIXES.refused };
    case 'unreachable':
      return { ok: false, problem: `Devin's API could not be reached: ${answer.detail}`, fix: FIXES.unreachable };
    case 'error':
      return { ok: false, problem: `Devin's API answered the key check with ${answer.detail}`, fix: FIXES.error };
  }
}
