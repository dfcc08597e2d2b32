import { Harness } from '../support/harness';
import { appMentionEvent } from '../support/slack-signing';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const updatesOf = (ts: string) => h.slack.callsTo('chat.update').filter((a) => a.ts === ts);

it('shows the state of a session started with /devin new on its root message, updated in place', async () => {
  await h.command('new fix the flaky login test');
  const root = await h.slack.waitFor('chat.postMessage', (a) => String(a.text).includes('is starting a Devin session'));
  const rootTs = h.slack.calls.find((c) => c.args === root)?.answer?.ts as string;
  const started = await h.slack.waitFor('chat.update', (a) => a.ts === rootTs && /working/.test(a.text));
  expect(started.text).toMatch(/started <https:\/\/app\.devin\.ai\/sessions\/[0-9a-f]+\|a Devin session>/);
  const session = [...h.devin.sessions.values()][0];
  if (!session) throw new Error('no session created');

  session.status_enum = 'blocked';
  await h.poll(5000);
  const updates = updatesOf(rootTs);
  expect(updates.at(-1)?.text).toMatch(/\*Status:\* :speech_balloon: waiting for you$/);
  expect(updates.at(-1)?.text).toContain('fix the flaky login test');
});

it('shows the state of a session started by a mention on the app answer in the thread', async () => {
  const mention = appMentionEvent({ text: '<@UBOT> fix the build' });
  await h.event(mention);
  const answer = await h.slack.waitFor('chat.postMessage', (a) => a.thread_ts === mention.event.ts);
  const answerTs = h.slack.calls.find((c) => c.args === answer)?.answer?.ts as string;
  expect(answer.text).toMatch(/\*Status:\* :large_green_circle: working$/);
  const session = [...h.devin.sessions.values()][0];
  if (!session) throw new Error('no session created');
  await h.idle();

  session.status_enum = 'finished';
  session.pull_request = { url: 'https://github.com/acme/app/pull/7' };
  await h.poll(5000);
  expect(updatesOf(answerTs).at(-1)?.text).toMatch(
    /\*Status:\* :checkered_flag: finished · <https:\/\/github\.com\/acme\/app\/pull\/7\|pull request>$/,
  );
  const finished = h.slack
    .callsTo('chat.postMessage')
    .filter((a) => a.thread_ts === mention.event.ts)
    .at(-1);
  expect(finished?.text).toContain('Pull request: <https://github.com/acme/app/pull/7>');
});
