import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type RunningApp, startApp } from '../../src/app/start-app';
import type { Config } from '../../src/config/config-types';
import { loadConfig } from '../../src/config/load-config';
import { createDevinApi } from '../../src/devin/create-devin-api';
import { createLogger } from '../../src/lib/logger';
import { Metrics } from '../../src/ops/metrics';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import type { Store } from '../../src/relay/ports/store';
import { createReplyQueue } from '../../src/store/create-reply-queue';
import { createStore } from '../../src/store/create-store';
import { FakeDevin, type FakeSession } from './fake-devin';
import { FakeSlack } from './fake-slack';
import type { FakeSocketMode } from './fake-socket-mode';
import {
  blockAction,
  type Json,
  postAction,
  postCommand,
  postEvent,
  type SignedPostOptions,
  slashCommand,
  threadReply,
} from './slack-signing';
import { TestClock } from './test-clock';

export const SIGNING_SECRET = 'test-signing-secret-8f2b1c';
export const BOT_TOKEN = 'xoxb-test-bot-token-1234';
export const DEVIN_KEY = 'apk_test_key';
/** A service user's token, for the fake Devin's v3 personality. */
export const DEVIN_V3_TOKEN = 'cog_test_token';
export const DEVIN_ORG = 'org-test';

export interface HarnessOptions {
  storeUrl?: string;
  env?: Record<string, string>;
  slack?: FakeSlack;
  devin?: FakeDevin;
  /** Virtual time shared with other harnesses (replicas of one deployment, whose clocks agree). */
  clock?: TestClock;
  dir?: string;
  sayWaitMs?: number;
  /** Wraps the store the app is given (to watch what it reads and writes); the harness closes the inner one. */
  wrapStore?: (store: Store) => Store;
  /** Wraps the reply queue the app is given (to make recording fail, or wait). */
  wrapQueue?: (queue: ReplyQueue) => ReplyQueue;
  /**
   * How often the app sweeps for waiting replies and polls (real time). By default tests drive both themselves;
   * replicas that share a store need the sweep.
   */
  sweepMs?: number;
  pollTickMs?: number;
  /** How often the app looks whether Devin's key is due for its check; by default tests call `checkDevin()`. */
  devinCheckTickMs?: number;
  /** How often a person's App Home may be published again after their sessions change (real time; 60 s). */
  homeRefreshMs?: number;
  /**
   * Which of Devin's APIs the app speaks (default v1): v3 starts the fake Devin with its v3 personality, gives the app
   * a service user's `cog_` token and leaves `DEVIN_ORG_ID` unset, so that the organization is read from `/v3/self`.
   */
  devinVersion?: 'v1' | 'v3';
}

/** The real app on a real port, talking over HTTP to a fake Slack and a fake Devin. */
export class Harness {
  readonly logs: string[] = [];
  private links = 0;
  readonly clock = new TestClock();
  private constructor(
    readonly slack: FakeSlack,
    readonly devin: FakeDevin,
    readonly store: Store,
    readonly running: RunningApp,
    readonly config: Config,
    readonly dir: string,
    private readonly ownsDir: boolean,
    logs: string[],
  ) {
    this.logs = logs;
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const slack = options.slack ?? (await FakeSlack.start());
    const version = options.devinVersion ?? options.devin?.version ?? 'v1';
    const devin =
      options.devin ??
      (await (version === 'v3'
        ? FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG })
        : FakeDevin.start({ apiKey: DEVIN_KEY })));
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'devin-slack-test-'));
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DEVIN_API_KEY: devin.apiKey,
      DEVIN_API_URL: devin.url,
      DEVIN_REQUEST_TIMEOUT_MS: '2000',
      DEVIN_RETRY_WINDOW_MS: '60000',
      STORE_URL: options.storeUrl ?? `sqlite://${join(dir, 'store.sqlite')}`,
      PORT: '0',
      LOG_LEVEL: 'debug',
      ...options.env,
    };
    const config = loadConfig(env);
    const logs: string[] = [];
    const log = createLogger({
      level: config.logLevel,
      secrets: config.secrets,
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    });
    const store = await createStore(config.storeUrl);
    const metrics = new Metrics();
    const devinClient = createDevinApi(config, { metrics });
    const clock = options.clock ?? new TestClock();
    // A fake of its own (or replicas sharing one clock) stamps Devin's changes (`updated_at`, which the v3 change feed
    // reads) on the test's clock.
    if (!options.devin || options.clock) devin.now = () => clock.now();
    const queue = await createReplyQueue(store);
    const running = await startApp({
      config,
      log,
      store: options.wrapStore ? options.wrapStore(store) : store,
      queue: options.wrapQueue ? options.wrapQueue(queue) : queue,
      devin: devinClient,
      metrics,
      clock,
      sweepMs: options.sweepMs ?? 3_600_000,
      pollTickMs: options.pollTickMs ?? 0,
      devinCheckTickMs: options.devinCheckTickMs ?? 0,
      digestTickMs: 0,
      ...(options.sayWaitMs ? { sayWaitMs: options.sayWaitMs } : {}),
      ...(options.homeRefreshMs !== undefined ? { homeRefreshMs: options.homeRefreshMs } : {}),
    });
    const harness = new Harness(slack, devin, store, running, config, dir, !options.dir, logs);
    (harness as { clock: TestClock }).clock = clock;
    return harness;
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.running.port}/slack/events`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.running.port}`;
  }

  event(payload: Json, options?: SignedPostOptions) {
    return postEvent(this.eventsUrl, SIGNING_SECRET, payload, options);
  }

  command(text: string, overrides: Record<string, string> = {}) {
    return postCommand(
      this.eventsUrl,
      SIGNING_SECRET,
      slashCommand({ text, response_url: this.slack.responseUrl(), ...overrides }),
    );
  }

  action(payload: Json, options?: SignedPostOptions) {
    return postAction(this.eventsUrl, SIGNING_SECRET, payload, options);
  }

  /** Posts a person's reply in a thread (expecting Slack's 200) and returns the reply's ts. */
  async reply(threadTs: string, text: string): Promise<string> {
    const payload = threadReply(threadTs, text);
    const res = await this.event(payload);
    if (res.status !== 200) throw new Error(`reply answered ${res.status}: ${res.body}`);
    return String(payload.event.ts);
  }

  /** Presses Resend on the thread's root message (as U1) and waits until its answer and what it set off are done. */
  async resend(sessionId: string, threadTs: string): Promise<void> {
    const name = `resend-${Math.random()}`;
    await this.action(
      blockAction({
        actions: [{ action_id: 'resend_held', value: sessionId }],
        message: { ts: threadTs, thread_ts: threadTs },
        container: { message_ts: threadTs, channel_id: 'C1', thread_ts: threadTs },
        response_url: this.slack.responseUrl(name),
      }),
    );
    await this.slack.waitForResponse((r) => r.name === name);
    await this.idle();
  }

  /** The reaction changes made on one message, in order: `+name` added, `-name` removed. */
  reactions(ts: string): string[] {
    return this.slack.calls
      .filter((c) => (c.method === 'reactions.add' || c.method === 'reactions.remove') && c.args.timestamp === ts)
      .map((c) => `${c.method === 'reactions.add' ? '+' : '-'}${c.args.name}`);
  }

  waitForReaction(ts: string, name: string) {
    return this.slack.waitFor('reactions.add', (a) => a.timestamp === ts && a.name === name);
  }

  /**
   * Moves virtual time forward by `ms`, reads the change feed (v3), polls every session that is then due, and waits
   * for deliveries.
   */
  async poll(ms = 0): Promise<void> {
    this.clock.advance(ms);
    await this.running.feed?.tick({ force: true });
    await this.running.poller.tick();
    await this.idle();
  }

  /** Waits until every session start and delivery in flight has settled, and Slack was told about it. */
  async idle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await this.running.background.idle();
    await this.running.starts.idle();
    await this.running.deliverer.idle();
    await this.running.feedback.idle();
  }

  /** Binds a thread to a fresh fake session through `/devin link`, as a person would. */
  async linkedThread(channel = 'C1'): Promise<{ sessionId: string; threadTs: string }> {
    const session = this.devin.addSession();
    return { sessionId: session.session_id, threadTs: await this.linkSession(session.session_id, channel) };
  }

  /** `/devin link` for a session the fake Devin already has (with its messages); resolves with the new thread's ts. */
  async linkSession(sessionId: string, channel = 'C1'): Promise<string> {
    const name = `link-${sessionId}`;
    await postCommand(
      this.eventsUrl,
      SIGNING_SECRET,
      slashCommand({ text: `link ${sessionId}`, channel_id: channel, response_url: this.slack.responseUrl(name) }),
    );
    await this.slack.waitForResponse((r) => r.name === name);
    return this.linkRoot(sessionId);
  }

  /** `/devin link` as a Socket Mode envelope (Socket Mode serves no `/slack/events`); resolves with the thread's ts. */
  async linkSessionOverSocket(socket: FakeSocketMode, sessionId: string, channel = 'C1'): Promise<string> {
    const name = `link-${sessionId}`;
    const envelopeId = socket.sendCommand(
      slashCommand({ text: `link ${sessionId}`, channel_id: channel, response_url: this.slack.responseUrl(name) }),
    );
    await socket.waitForAck(envelopeId);
    await this.slack.waitForResponse((r) => r.name === name);
    return this.linkRoot(sessionId);
  }

  /** `/devin link` of a new fake session as `user` (titled `title`), in `channel`; resolves with its thread. */
  async linkAs(
    user: string,
    title: string,
    channel = 'C1',
  ): Promise<{ session: FakeSession; sessionId: string; threadTs: string }> {
    const session = this.devin.addSession({ title });
    this.links += 1;
    const name = `link-as-${this.links}`;
    await postCommand(
      this.eventsUrl,
      SIGNING_SECRET,
      slashCommand({
        text: `link ${session.session_id}`,
        user_id: user,
        channel_id: channel,
        response_url: this.slack.responseUrl(name),
      }),
    );
    await this.slack.waitForResponse((r) => r.name === name);
    return { session, sessionId: session.session_id, threadTs: this.linkRoot(session.session_id) };
  }

  /** The texts the app posted in a thread (Slack took them), in order: Devin's messages and notices. */
  posted(threadTs: string): string[] {
    return this.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && !c.failed && c.args.thread_ts === threadTs)
      .map((c) => String(c.args.text));
  }

  /** The texts of the edits of a thread's root message, in order. */
  rootUpdates(threadTs: string): string[] {
    return this.slack
      .callsTo('chat.update')
      .filter((a) => a.ts === threadTs)
      .map((a) => String(a.text));
  }

  /** Resolves with the first log entry matching `predicate` (already written or future). */
  async waitForLog(predicate: (entry: Json) => boolean, timeoutMs = 5000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.map((line) => JSON.parse(line) as Json).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The ts of the root message `/devin link` posted for the session. */
  private linkRoot(sessionId: string): string {
    const root = this.slack.calls.find(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes(sessionId.slice(6)),
    );
    const threadTs = root?.answer?.ts;
    if (!threadTs) throw new Error(`link did not post a root message: ${JSON.stringify(this.slack.responses.at(-1))}`);
    return threadTs;
  }

  /** Stops the app (not the fakes), keeping the store's files: for restart tests. */
  async stopApp(): Promise<void> {
    await this.running.stop();
    await this.store.close();
  }

  async close(): Promise<void> {
    await this.stopApp().catch(() => undefined);
    await this.slack.close();
    await this.devin.close();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
