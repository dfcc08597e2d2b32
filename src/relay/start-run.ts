import type { Clock } from '../lib/clock';
import { startFields } from '../lib/log-fields';
import type { Logger } from '../lib/logger';
import { attachFiles, notAttachedNotice } from './attach-files';
import type { Attribution } from './attribution';
import { attachedUrls, withFileProblems } from './file-outcomes';
import { identityOf, type MessageClaims } from './message-claims';
import type { Acting } from './model/acting';
import { type PendingStart, threadOf } from './model/starts';
import type { PendingStarts } from './pending-starts';
import type { CreatedSession, DevinApi } from './ports/devin';
import { DevinApiError } from './ports/devin-errors';
import type { FeedbackPort } from './ports/feedback';
import type { FilesToDevin } from './ports/files';
import type { Lease } from './ports/leases';
import type { StartPort } from './ports/start';
import type { Sessions } from './sessions';
import type { SpendLedger } from './spend-ledger';
import type { StartOptionChoice } from './start-option-choice';
import type { StartOutcomes } from './start-outcomes';

export interface StartRunDeps {
  pending: PendingStarts;
  outcomes: StartOutcomes;
  devin: Pick<DevinApi, 'createSession'>;
  sessions: Pick<Sessions, 'bind' | 'forThread' | 'showStatusIn' | 'expectPrompt'>;
  claims: MessageClaims;
  slack: StartPort;
  clock: Clock;
  log: Logger;
  /** How long a file that fails for now is tried again before it counts as failed. */
  retryWindowMs: number;
  /** The files of a message start, uploaded to Devin before the session is created. */
  files?: FilesToDevin;
  /** Where the thread is told of a file that could not be attached (never awaited). */
  feedback?: Pick<FeedbackPort, 'tell'>;
  /** The most ACUs each session started may spend (`DEVIN_MAX_ACU_LIMIT`). */
  maxAcuLimit?: number;
  /** The session's message list shows the prompt as a person's message: it is expected as an echo, not posted back. */
  promptListedAsMessage?: boolean;
  /** Sessions created as the person who asked (`DEVIN_ACT_AS_SLACK_USER`). */
  attribution?: Attribution;
  /** The start options (`playbook:`, `repo:`...) and the channel's defaults; without it, the words are the task. */
  options?: Pick<StartOptionChoice, 'forStart'>;
  /** What sessions spend: each session started gets its record (channel, starter, cap) once it exists. */
  ledger?: Pick<SpendLedger, 'begin'>;
}

/**
 * Carries out one pending start, under its lease, step by step: its claims, the person vetted, the root message of a
 * command, the prompt (with its files uploaded), the session created, the thread bound and shown, the person
 * answered, the record removed. Every step is skipped when an earlier run did it; each result is saved before the
 * next step, so that a crash anywhere resumes without losing or doubling anything.
 */
export class StartRun {
  constructor(private readonly deps: StartRunDeps) {}

  /** `stopping`: shutdown began, and no new step that reaches Devin or Slack starts. */
  async carryOut(id: string, lease: Lease, stopping: () => boolean): Promise<true> {
    let current = await this.deps.pending.get(id);
    if (!current) {
      await this.deps.pending.remove(id);
      return true;
    }
    const progress = async (change: Partial<PendingStart>) => {
      current = await this.deps.pending.save({ ...(current as PendingStart), ...change });
      return current;
    };
    const mayGoOn = async () => !stopping() && (await lease.check());
    try {
      await this.advance(current, lease, mayGoOn, progress);
    } catch (error) {
      await this.deps.outcomes.failed(current, error);
    }
    return true;
  }

  private async advance(
    first: PendingStart,
    lease: Lease,
    mayGoOn: () => Promise<boolean>,
    progress: (change: Partial<PendingStart>) => Promise<PendingStart>,
  ): Promise<void> {
    const { slack, sessions, log, pending } = this.deps;
    let start = first;
    await this.takeClaims(start);
    if (!start.sessionId && !(await slack.vetAuthor(start))) return pending.remove(start.id);
    // The options chosen are saved with the next step's result (a start resumed before that chooses them again).
    let chosen: Partial<PendingStart> = {};
    if (start.options === undefined && this.deps.options) {
      // Before anything is posted: options that cannot be honoured start nothing.
      const choice = await this.deps.options.forStart(start);
      if (!choice.ok) {
        log.info({ ...startFields(start), problem: choice.problem }, 'start options refused; nothing started');
        await slack.failed(start, choice.problem);
        return pending.remove(start.id);
      }
      chosen = { text: choice.text, options: choice.options };
      start = { ...start, ...chosen };
    }
    if (start.source === 'command' && !start.rootTs) {
      if (!(await mayGoOn())) return;
      const rootTs = await slack.postRoot(start);
      if (!rootTs) return pending.remove(start.id);
      start = await progress({ ...chosen, rootTs });
      chosen = {};
    }
    if (start.prompt === undefined) {
      const words = await slack.prompt(start);
      if (!words) {
        await slack.askForTask(start);
        return pending.remove(start.id);
      }
      const prompt = await this.withFiles(start, words, mayGoOn, progress);
      if (prompt === undefined) return;
      start = await progress({ ...chosen, prompt });
    }
    if (!start.sessionId || !start.sessionUrl) {
      // Fencing: the lease is firmly this run's as the request leaves (the create is idempotent all the same).
      if (!(await mayGoOn()) || !lease.firm(lease.ttlMs / 2)) return;
      const acting = await this.deps.attribution?.actingFor(start.user);
      const { created, actedAs } = await this.create(start, acting);
      // Before the id is saved: a start resumed after a crash here gets the same session, and expects it again.
      if (this.deps.promptListedAsMessage) await sessions.expectPrompt(created.sessionId, start.prompt ?? '');
      start = await progress({
        sessionId: created.sessionId,
        sessionUrl: created.url,
        ...(actedAs && 'fallback' in actedAs ? { actedAs } : {}),
      });
      log.info(
        {
          team_id: start.team,
          channel_id: start.channel,
          start_id: start.id,
          session_id: created.sessionId,
          new_session: created.isNewSession,
          user_id: start.user,
        },
        'session started',
      );
      this.deps.outcomes.started(start);
    }
    const thread = threadOf(start);
    const { sessionId, sessionUrl } = start;
    if (!thread || !sessionId || !sessionUrl) return;
    const origin = { team: start.team, channel: start.channel, userId: start.user, started: true };
    // The cap this session was created with: its own `acu:` or its channel's default, else the configured one.
    const cap = start.options?.maxAcu ?? this.deps.maxAcuLimit;
    await this.deps.ledger?.begin(sessionId, { ...origin, ...(cap ? { cap } : {}) }, this.deps.clock.now());
    const binding = await sessions.forThread(thread);
    if (binding?.sessionId !== sessionId) await sessions.bind(sessionId, sessionUrl, thread, start.user);
    if (binding?.sessionId !== sessionId || binding.statusTs === undefined) {
      if (!(await lease.check())) return;
      const shown = await slack.started(start, { sessionId, sessionUrl });
      if (shown) await sessions.showStatusIn(thread, shown.statusTs, shown.statusHeader);
      if (start.actedAs) this.deps.attribution?.note(thread, start.user, start.actedAs);
    }
    await slack.confirm(start, { sessionId, sessionUrl });
    await pending.remove(start.id);
  }

  /**
   * The prompt with a line for each of the message's files that could not be attached: each is uploaded to Devin
   * once (its outcome saved with the start as soon as it is known, so that a resumed start does not upload it again).
   * Undefined when the lease was lost.
   */
  private async withFiles(
    start: PendingStart,
    words: string,
    mayGoOn: () => Promise<boolean>,
    progress: (change: Partial<PendingStart>) => Promise<PendingStart>,
  ): Promise<string | undefined> {
    const { files, feedback } = this.deps;
    if (!files || !start.files?.length) return words;
    const run = await attachFiles(
      start.files,
      start.attachments,
      { ...this.deps, files },
      {
        mayUpload: mayGoOn,
        record: async (attachments) => {
          await progress({ attachments });
        },
        context: startFields(start),
      },
    );
    // Refused like a create would be: the person is told, and the start is dropped.
    if (run.kind === 'unauthorized') throw run.error;
    if (run.kind === 'stopped') return undefined;
    const thread = threadOf(start);
    const notice = notAttachedNotice(run);
    if (notice && thread && feedback) feedback.tell(thread, notice);
    return withFileProblems(words, run.outcomes);
  }

  /**
   * Creates the session with its files (idempotent: a retry returns the session an unanswered create made), as the
   * person when they have a Devin account; when Devin refuses that (403), as the service user, at once.
   */
  private async create(
    start: PendingStart,
    acting: Acting | undefined,
  ): Promise<{ created: CreatedSession; actedAs: Acting | undefined }> {
    const attachmentUrls = attachedUrls(start.attachments);
    const chosen = start.options ?? {};
    const maxAcuLimit = chosen.maxAcu ?? this.deps.maxAcuLimit;
    const options = {
      idempotent: true,
      ...(maxAcuLimit ? { maxAcuLimit } : {}),
      ...(attachmentUrls.length ? { attachmentUrls } : {}),
      ...(chosen.playbook ? { playbookId: chosen.playbook.id } : {}),
      ...(chosen.snapshot ? { snapshotId: chosen.snapshot.id } : {}),
      ...(chosen.repos?.length ? { repos: chosen.repos } : {}),
      ...(chosen.tags?.length ? { tags: chosen.tags } : {}),
      ...(chosen.mode ? { devinMode: chosen.mode } : {}),
    };
    const prompt = start.prompt ?? '';
    const asUserId = acting && 'asUserId' in acting ? acting.asUserId : undefined;
    if (!asUserId) return { created: await this.deps.devin.createSession(prompt, options), actedAs: acting };
    try {
      return { created: await this.deps.devin.createSession(prompt, { ...options, asUserId }), actedAs: acting };
    } catch (error) {
      // The create is idempotent: should another replica have taken over meanwhile, both get the same session.
      if (!(error instanceof DevinApiError && error.status === 403)) throw error;
      const fallback = this.deps.attribution?.refused(start.user, error);
      return { created: await this.deps.devin.createSession(prompt, options), actedAs: fallback };
    }
  }

  /** A message start holds its claims before its thread is bound, whichever run took them. */
  private async takeClaims(start: PendingStart): Promise<void> {
    if (start.source !== 'command' && start.ts) await this.deps.claims.take(identityOf({ ...start, ts: start.ts }));
  }
}
