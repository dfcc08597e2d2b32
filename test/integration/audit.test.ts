import { Harness } from '../support/harness';
import { appMentionEvent, blockAction, type Json, threadReply } from '../support/slack-signing';

let h: Harness;
afterEach(() => h.close());

const AUDIT_CHANNEL = 'C0AUDIT';
const SECRET_WORDS = 'the launch codes are 0000';

const auditLines = (): Json[] => h.logs.map((l) => JSON.parse(l) as Json).filter((l) => l.msg === 'audit');
const auditPosts = () =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.channel === AUDIT_CHANNEL)
    .map((a) => String(a.text));

async function commandAs(user: string, text: string): Promise<void> {
  const name = `cmd-${Math.random()}`;
  await h.command(text, { user_id: user, response_url: h.slack.responseUrl(name) });
  await h.slack.waitForResponse((r) => r.name === name);
  await h.idle();
}

it('writes one audit line for each start, link, refusal, allow/deny, End session and admin act, and posts each briefly', async () => {
  h = await Harness.start({ env: { STEER_POLICY: 'starter', ADMIN_USER_IDS: 'U9', AUDIT_CHANNEL_ID: AUDIT_CHANNEL } });
  h.slack.users.set('U9', { name: 'root', realName: 'Ruth Admin' });
  h.slack.channels.set(AUDIT_CHANNEL, 'audit');

  const mention = appMentionEvent({ user: 'U1', text: `<@UBOT> ${SECRET_WORDS}` });
  await h.event(mention);
  await h.idle();
  const started = [...h.devin.sessions.keys()][0] ?? '';
  const { sessionId, threadTs } = await h.linkAs('U1', 'Linked work');
  await h.event(threadReply(threadTs, `bob says ${SECRET_WORDS}`, { user: 'U2' }));
  await h.idle();
  await commandAs('U1', `allow ${sessionId} <@U2|bob>`);
  await commandAs('U1', `deny ${sessionId} <@U2|bob>`);
  await h.event(threadReply(threadTs, `the admin says ${SECRET_WORDS}`, { user: 'U9' }));
  await h.idle();
  const name = 'end';
  await h.action(
    blockAction({
      user: { id: 'U1', username: 'alice', name: 'alice', team_id: 'T1' },
      container: { message_ts: threadTs, channel_id: 'C1', thread_ts: undefined },
      message: { ts: threadTs, thread_ts: undefined, text: 'root' },
      actions: [{ action_id: 'end_session', block_id: 'controls', value: sessionId }],
      response_url: h.slack.responseUrl(name),
    }),
  );
  await h.slack.waitForResponse((r) => r.name === name);
  await h.idle();

  const lines = auditLines();
  expect(lines.map((l) => [l.action, l.outcome, l.user_id, l.reason ?? '', l.admin ?? false])).toEqual([
    ['start', 'done', 'U1', '', false],
    ['link', 'done', 'U1', '', false],
    ['steer', 'refused', 'U2', 'not-a-steerer', false],
    ['allow', 'done', 'U1', '', false],
    ['deny', 'done', 'U1', '', false],
    ['steer', 'done', 'U9', 'admin', true],
    ['end', 'done', 'U1', '', false],
  ]);
  expect(lines[0]).toMatchObject({ level: 30, team_id: 'T1', channel_id: 'C1', session_id: started });
  expect(lines[0]?.thread_ts).toBe(mention.event.ts);
  expect(lines[3]).toMatchObject({ session_id: sessionId, thread_ts: threadTs, target_user_id: 'U2' });
  for (const line of lines) expect(JSON.stringify(line)).not.toContain('launch codes');

  const posts = auditPosts();
  expect(posts).toHaveLength(lines.length);
  expect(posts[2]).toBe(
    `:lock: *steer* refused (not-a-steerer) · by \`U2\` of \`T1\` · session \`${sessionId}\` · in <#C1>, thread ${threadTs}`,
  );
  for (const post of posts) expect(post).not.toContain('launch codes');
});

it('posts nothing anywhere without AUDIT_CHANNEL_ID, and still writes the lines', async () => {
  h = await Harness.start({ env: { ALLOWED_USER_IDS: 'U1' } });
  await h.event(appMentionEvent({ user: 'U2', text: '<@UBOT> let me in' }));
  await h.idle();
  expect(auditLines().map((l) => [l.action, l.outcome, l.reason])).toEqual([['start', 'refused', 'user']]);
  expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
});
