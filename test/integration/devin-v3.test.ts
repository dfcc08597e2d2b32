import { DevinV1Client } from '../../src/devin/v1/devin-v1-client';
import { DevinV3Client } from '../../src/devin/v3/devin-v3-client';
import { DevinApiError } from '../../src/relay/ports/devin-errors';
import type { FakeSession } from '../support/fake-devin';
import { BOT_TOKEN, DEVIN_KEY, DEVIN_V3_TOKEN, Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { appMentionEvent, fixtureEvent, threadReply } from '../support/slack-signing';

/** What Devin's organization API v3 changes for people in Slack. */
let h: Harness;
let restarted: Harness | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  await h?.close();
});

const ORG = '/v3/organizations/org-test';
const POLL_MS = 5000;
const LONG_MS = 10 * 60_000;
const relayed = (text: string, who = 'Alice (@alice, U1)') => `${who} via Slack: ${text}`;

const start = (env: Record<string, string> = {}) => Harness.start({ devinVersion: 'v3', env });
const session = (id: string): FakeSession => h.devin.mustGet(id);
const posted = (threadTs: string) => h.posted(threadTs);
const rootUpdates = (threadTs: string) => h.rootUpdates(threadTs);
const requestsTo = (method: string, path: string | RegExp) =>
  h.devin.requests.filter(
    (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
  );
const sends = (sessionId: string) => requestsTo('POST', `${ORG}/sessions/${sessionId}/messages`);
const logged = (msg: string) =>
  h.logs.map((line) => JSON.parse(line)).filter((entry) => String(entry.msg).includes(msg));
/** The paused notice is the one with a Resend button. */
const hasResend = (args: { blocks?: Array<{ elements?: Array<{ action_id?: string }> }> }) =>
  (args.blocks ?? []).some((b) => b.elements?.some((e) => e.action_id === 'resend_held'));

describe('polling through the message list', () => {
  it('reads the organization once from /v3/self and, once caught up, lists one message per poll however long the session', async () => {
    h = await start();
    const existing = h.devin.addSession();
    for (let i = 0; i < 1000; i += 1) h.devin.say(existing.session_id, `old-${i}`, `old message ${i}`);
    const threadTs = await h.linkSession(existing.session_id);
    await h.poll(0);
    const reads = () => requestsTo('GET', `${ORG}/sessions/${existing.session_id}/messages`);
    const before = reads().length;
    await h.poll(LONG_MS);
    const idle = reads().slice(before);
    expect(idle).toHaveLength(1);
    expect(idle[0]?.query?.get('after')).toBeTruthy();
    expect(idle[0]?.answerBytes).toBeLessThan(400);

    h.devin.say(existing.session_id, 'new-1', 'After the link');
    await h.poll(LONG_MS);
    await h.poll(POLL_MS);
    expect(posted(threadTs)).toEqual(['After the link']);
    expect(requestsTo('GET', '/v3/self')).toHaveLength(1);
    expect(requestsTo('GET', /^\/v1\//)).toEqual([]);
  });

  it('reads the whole list again when Devin no longer takes the cursor, without posting anything twice', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.say(sessionId, 'a', 'Message A');
    h.devin.say(sessionId, 'b', 'Message B');
    await h.poll(POLL_MS);
    h.devin.script('GET', `${ORG}/sessions/${sessionId}/messages`, [
      { status: 400, body: { detail: 'Invalid cursor' } },
    ]);
    h.devin.say(sessionId, 'c', 'Message C');
    await h.poll(POLL_MS);
    expect(posted(threadTs)).toEqual(['Message A', 'Message B', 'Message C']);
  });

  it('keeps its cursor across a restart: the next poll after it reads from where the last one stopped', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    for (let i = 0; i < 5; i += 1) h.devin.say(sessionId, `m${i}`, `Message ${i}`);
    await h.poll(POLL_MS);
    await h.stopApp();
    h.devin.say(sessionId, 'm5', 'Message 5');
    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
    const since = h.devin.requests.length;
    await restarted.poll(LONG_MS);

    const [read] = h.devin.requests.slice(since).filter((r) => r.path.endsWith('/messages'));
    expect(read?.query?.get('after')).toBeTruthy();
    expect(posted(threadTs)).toEqual(['Message 0', 'Message 1', 'Message 2', 'Message 3', 'Message 4', 'Message 5']);
  });
});

describe('a reply to a sleeping session', () => {
  it('wakes it: the reply is delivered, not held, and the thread is told once that it woke the session', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.setState(sessionId, 'asleep');
    await h.poll(0);
    expect(posted(threadTs).at(-1)).toContain('is asleep. A reply here wakes it.');

    const first = await h.reply(threadTs, 'wake up, there is more');
    await h.waitForReaction(first, 'white_check_mark');
    const second = await h.reply(threadTs, 'and one more thing');
    await h.waitForReaction(second, 'white_check_mark');
    await h.idle();

    expect(h.devin.delivered(sessionId)).toEqual([relayed('wake up, there is more'), relayed('and one more thing')]);
    expect(posted(threadTs).filter((t) => t.includes('Your reply woke'))).toEqual([
      expect.stringMatching(
        /^:sunrise: Your reply woke <https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]+\|the Devin session>\.$/,
      ),
    ]);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && hasResend(c.args))).toEqual([]);
    await h.poll(POLL_MS);
    expect(rootUpdates(threadTs).at(-1)).toContain(':large_green_circle: working');
  });

  it('holds it when the session is suspended out of credits, says so plainly, and sends it once the session runs', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.setState(sessionId, 'quota');
    await h.poll(0);
    expect(rootUpdates(threadTs).at(-1)).toContain(
      '*Status:* :no_entry_sign: suspended: the organization is out of credits (a reply does not wake it)',
    );
    expect(posted(threadTs).at(-1)).toMatch(
      /is suspended because the organization is out of credits \(`out_of_credits`\), and a reply does not wake it: replies here are held until it runs again\.$/,
    );

    const ts = await h.reply(threadTs, 'are you there?');
    await h.waitForReaction(ts, 'double_vertical_bar');
    await h.idle();
    const notice = h.slack.calls.find((c) => c.method === 'chat.postMessage' && hasResend(c.args));
    expect(notice?.args.text).toContain(
      'the organization is out of credits (out_of_credits), and a reply does not wake it',
    );
    expect(h.devin.delivered(sessionId)).toEqual([]);

    h.devin.setState(sessionId, 'working');
    await h.poll(LONG_MS);
    await h.poll(POLL_MS);
    expect(h.devin.delivered(sessionId)).toEqual([relayed('are you there?')]);
    expect(h.reactions(ts)).toEqual(['+double_vertical_bar', '-double_vertical_bar', '+white_check_mark']);
  });

  it('holds it when the session is archived, since such a session takes no more messages', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    session(sessionId).is_archived = true;
    const ts = await h.reply(threadTs, 'one more change');
    await h.waitForReaction(ts, 'double_vertical_bar');
    await h.idle();
    const notice = h.slack.calls.find((c) => c.method === 'chat.postMessage' && hasResend(c.args));
    expect(notice?.args.text).toContain('the session is archived and takes no more messages');
    expect(h.devin.delivered(sessionId)).toEqual([]);
  });
});

describe('what the status shows', () => {
  it('says waiting for approval, every pull request with its state, and what the session spent', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.setState(sessionId, 'approval');
    Object.assign(session(sessionId), {
      acus_consumed: 3.25,
      pull_requests: [
        { pr_url: 'https://github.com/acme/app/pull/7', pr_state: 'merged' },
        { pr_url: 'https://github.com/acme/lib/pull/2', pr_state: 'open' },
      ],
    });
    await h.poll(LONG_MS);

    expect(rootUpdates(threadTs).at(-1)).toMatch(
      /\n\*Status:\* :raised_hand: waiting for approval · <https:\/\/github\.com\/acme\/app\/pull\/7\|pull request 1> \(merged\) · <https:\/\/github\.com\/acme\/lib\/pull\/2\|pull request 2> \(open\) · 3\.3 ACUs$/,
    );
    const posts = posted(threadTs);
    expect(posts).toEqual([
      expect.stringContaining('Devin is waiting for an approval'),
      ':link: Devin opened a pull request: <https://github.com/acme/app/pull/7>',
      ':link: Devin opened a pull request: <https://github.com/acme/lib/pull/2>',
    ]);

    await h.command(`status ${sessionId}`, { response_url: h.slack.responseUrl('status') });
    const status = String((await h.slack.waitForResponse((r) => r.name === 'status')).body.text);
    expect(status).toContain('Status: running / waiting_for_approval');
    expect(status).toContain('Pull request: https://github.com/acme/lib/pull/2 (open)');
    expect(status).toContain('Spent: 3.3 ACUs');
  });

  it('says a session ended with an error, and stops polling it', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    await h.poll(0);
    h.devin.setState(sessionId, 'error');
    await h.poll(LONG_MS);
    const reads = requestsTo('GET', `${ORG}/sessions/${sessionId}`).length;
    await h.poll(LONG_MS);
    expect(requestsTo('GET', `${ORG}/sessions/${sessionId}`)).toHaveLength(reads);
    expect(rootUpdates(threadTs).at(-1)).toMatch(/\*Status:\* :x: ended with an error · 0 ACUs$/);
    expect(posted(threadTs).at(-1)).toContain('ended with an error; replies here can no longer reach it');
  });
});

describe('sessions that belong to the person who asked', () => {
  const ATTRIBUTED = { DEVIN_ACT_AS_SLACK_USER: 'true' };

  it("creates the session and sends each reply as the person's Devin account, keeping the author line", async () => {
    h = await start(ATTRIBUTED);
    h.devin.v3?.members.push({ user_id: 'user-alice', email: 'Alice@Example.com' });
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
    const [create] = requestsTo('POST', `${ORG}/sessions`);
    expect(create?.body.create_as_user_id).toBe('user-alice');
    expect(withoutOrigin(create?.body.prompt)).toBe(relayed('fix the build'));
    const sessionId = [...h.devin.sessions.keys()][0] as string;
    expect(session(sessionId).user_id).toBe('user-alice');

    await h.reply(mention.event.ts, 'first');
    await h.reply(mention.event.ts, 'second');
    await h.devin.waitForDelivered(sessionId, 2);
    await h.idle();
    expect(sends(sessionId).map((r) => [r.body.message, r.body.message_as_user_id])).toEqual([
      [relayed('first'), 'user-alice'],
      [relayed('second'), 'user-alice'],
    ]);
    // Looked up once, then remembered.
    expect(requestsTo('GET', '/v3beta1/organizations/org-test/members/users')).toHaveLength(1);
    expect(posted(mention.event.ts).filter((t) => t.includes('service user'))).toEqual([]);
  });

  it('acts as the service user for someone who is no member, telling the thread and the log once', async () => {
    h = await start(ATTRIBUTED);
    h.devin.v3?.members.push({ user_id: 'user-alice', email: 'alice@example.com' });
    const { sessionId, threadTs } = await h.linkedThread();
    for (const text of ['from bob', 'bob again']) {
      await h.event(threadReply(threadTs, text, { user: 'U2' }));
      await h.devin.waitForDelivered(sessionId, text === 'from bob' ? 1 : 2);
    }
    await h.reply(threadTs, 'from alice');
    await h.devin.waitForDelivered(sessionId, 3);
    await h.idle();

    expect(sends(sessionId).map((r) => [r.body.message, r.body.message_as_user_id])).toEqual([
      [relayed('from bob', 'Bob (@bob, U2)'), undefined],
      [relayed('bob again', 'Bob (@bob, U2)'), undefined],
      [relayed('from alice'), 'user-alice'],
    ]);
    expect(posted(threadTs).filter((t) => t.includes('service user'))).toEqual([
      ":bust_in_silhouette: Devin sees messages from <@U2> as sent by this app's service user, not by them: " +
        "Devin's organization has no member with their Slack email. Their name still heads each message.",
    ]);
    expect(logged('acting as the service user')).toEqual([
      expect.objectContaining({ level: 40, user_id: 'U2', reason: 'not-a-member' }),
    ]);
  });

  it('falls back when the service user may not act as people (ImpersonateOrgSessions), naming the permission', async () => {
    h = await start(ATTRIBUTED);
    h.devin.v3?.members.push({ user_id: 'user-alice', email: 'alice@example.com' });
    h.devin.v3?.permissions.delete('ImpersonateOrgSessions');
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
    await h.idle();
    const creates = requestsTo('POST', `${ORG}/sessions`);
    expect(creates.map((r) => r.body.create_as_user_id)).toEqual(['user-alice', undefined]);
    expect(h.devin.sessions.size).toBe(1);
    const sessionId = [...h.devin.sessions.keys()][0] as string;

    await h.reply(mention.event.ts, 'and the tests');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(sends(sessionId).map((r) => r.body.message_as_user_id)).toEqual([undefined]);
    const told = posted(mention.event.ts).filter((t) => t.includes('service user'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('the service user needs the `ImpersonateOrgSessions` permission');
    expect(logged('acting as the service user')).toEqual([
      expect.objectContaining({ permission: 'ImpersonateOrgSessions', status: 403 }),
    ]);
  });

  it('falls back when the service user may not look people up (ViewOrgMembership), naming the permission', async () => {
    h = await start(ATTRIBUTED);
    h.devin.v3?.permissions.delete('ViewOrgMembership');
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'hello');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(sends(sessionId).map((r) => r.body.message_as_user_id)).toEqual([undefined]);
    expect(posted(threadTs).filter((t) => t.includes('ViewOrgMembership'))).toHaveLength(1);
    expect(logged('acting as the service user')).toEqual([
      expect.objectContaining({ permission: 'ViewOrgMembership', status: 403 }),
    ]);
    expect(logged('ViewOrgMembership permission')).toHaveLength(1);
  });

  it('falls back when Slack gives no email (the users:read.email scope is missing)', async () => {
    h = await start(ATTRIBUTED);
    h.slack.scopes = h.slack.scopes.filter((s) => s !== 'users:read.email');
    h.devin.v3?.members.push({ user_id: 'user-alice', email: 'alice@example.com' });
    const { sessionId, threadTs } = await h.linkedThread();
    await h.reply(threadTs, 'hello');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.idle();
    expect(sends(sessionId).map((r) => r.body.message_as_user_id)).toEqual([undefined]);
    expect(posted(threadTs).filter((t) => t.includes('`users:read.email` scope'))).toHaveLength(1);
    expect(requestsTo('GET', /\/members\/users$/)).toEqual([]);
  });
});

describe('starting a session', () => {
  it('returns the session an unanswered create made when it is tried again, instead of making a second', async () => {
    h = await start();
    h.devin.hangNext('POST', `${ORG}/sessions`, { thenDeliver: true });
    const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
    await h.event(mention);
    await h.devin.waitForRequest('POST', `${ORG}/sessions`);
    await h.stopApp();
    restarted = await Harness.start({ slack: h.slack, devin: h.devin, dir: h.dir });
    const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
    await restarted.idle();

    expect(requestsTo('POST', `${ORG}/sessions`)).toHaveLength(1);
    expect(h.devin.sessions.size).toBe(1);
    const [only] = [...h.devin.sessions.values()];
    expect(only?.tags).toEqual([expect.stringMatching(/^devin-slack-[0-9a-f]{24}$/)]);
    expect(answer.text).toContain(`<${only?.url}|`);
  });
});

describe('refusals', () => {
  it('says which key API v3 refused and why, never its value', async () => {
    h = await start();
    const apk = new DevinV3Client({
      apiUrl: h.devin.url,
      apiKey: DEVIN_KEY,
      orgId: 'org-test',
      timeoutMs: 2000,
      webUrl: 'https://app.devin.ai',
      attachmentHosts: [],
    });
    const wrong = new DevinV3Client({
      apiUrl: h.devin.url,
      apiKey: 'cog_revoked',
      orgId: 'org-test',
      timeoutMs: 2000,
      webUrl: 'https://app.devin.ai',
      attachmentHosts: [],
    });
    const v1 = new DevinV1Client({
      apiUrl: h.devin.url,
      apiKey: DEVIN_V3_TOKEN,
      timeoutMs: 2000,
      webUrl: 'https://app.devin.ai',
      attachmentHosts: [],
    });
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );

    const apkError = await refused(apk.getSession('devin-0123456789abcdef'));
    expect(apkError).toBeInstanceOf(DevinApiError);
    expect((apkError as DevinApiError).unauthorized).toBe(true);
    expect((apkError as Error).message).toBe(
      "Devin's API v3 refused to read the session (HTTP 401): DEVIN_API_KEY is an apk_ key, which API v3 refuses (v3 needs a service user's cog_ token)",
    );
    expect(String((await refused(wrong.listSessions(1))) as Error)).toContain(
      "API v3 refused DEVIN_API_KEY, a service user's cog_ token (revoked, expired or mistyped)",
    );
    const v1Error = (await refused(v1.getSession('devin-0123456789abcdef'))) as Error;
    expect(v1Error.message).toContain('DEVIN_API_KEY is a cog_ token, which API v1 refuses');
    expect(v1Error.message).not.toContain(DEVIN_V3_TOKEN);
  });

  it('names the permission a 403 lacks: in the notice of a reply, and in the one sentence of a refused start', async () => {
    h = await start();
    const { sessionId, threadTs } = await h.linkedThread();
    h.devin.v3?.permissions.delete('ManageOrgSessions');
    const ts = await h.reply(threadTs, 'go on');
    await h.waitForReaction(ts, 'warning');
    await h.idle();
    const notice = h.slack.calls.find((c) => c.method === 'chat.postMessage' && hasResend(c.args));
    expect(notice?.args.text).toContain('the `ManageOrgSessions` permission');
    expect(logged('Devin refused DEVIN_API_KEY')).toEqual([
      expect.objectContaining({ permission: 'ManageOrgSessions', status: 403 }),
    ]);
    expect(h.devin.delivered(sessionId)).toEqual([]);

    await h.command('new fix the flaky login test', { response_url: h.slack.responseUrl('new') });
    const answer = await h.slack.waitForResponse((r) => r.name === 'new');
    expect(answer.body.text).toBe(
      "I couldn't start a Devin session: Devin's API refused this app's service user, which needs the " +
        'ManageOrgSessions permission; an admin needs to grant it to the service user in DEVIN_API_KEY.',
    );
  });
});

describe('files on API v3', () => {
  it('uploads a reply’s file to the organization, sends it as attachment_urls beside the words, and echoes nothing', async () => {
    h = await start();
    h.slack.fileToken = BOT_TOKEN;
    const { sessionId, threadTs } = await h.linkedThread();
    const file = h.slack.addFile({ name: 'trace.txt', content: 'Error: boom\n', mimetype: 'text/plain' });
    const payload = fixtureEvent('file-share', { thread_ts: threadTs, text: 'see the trace', files: [file] });
    expect((await h.event(payload)).status).toBe(200);

    expect(await h.devin.waitForDelivered(sessionId, 1)).toEqual([relayed('see the trace')]);
    const uploads = requestsTo('POST', `${ORG}/attachments`);
    expect(uploads).toHaveLength(1);
    const [stored] = h.devin.v3?.attachments ?? [];
    expect(stored?.name).toBe('trace.txt');
    const [sent] = requestsTo('POST', `${ORG}/sessions/${sessionId}/messages`);
    expect(sent?.body).toMatchObject({ message: relayed('see the trace'), attachment_urls: [stored?.url] });
    expect(JSON.stringify(sent?.body)).not.toContain('ATTACHMENT:');
    await h.waitForReaction(String(payload.event.ts), 'white_check_mark');

    // Devin lists the message without the file's line: it is still known as the relayed reply, not posted back.
    await h.poll(POLL_MS);
    expect(posted(threadTs).filter((text) => text.includes('see the trace'))).toEqual([]);
  });
});
