import type { FakeDevin } from '../test/support/fake-devin';
import type { FakeSlack } from '../test/support/fake-slack';
import { postCommand, slashCommand } from '../test/support/slack-signing';
import type { BoundThread } from './load';

/** Binds `count` threads in channel C1 to fresh fake sessions with signed `/devin link <session>` commands. */
export async function linkThreads(
  eventsUrl: string,
  secret: string,
  slack: FakeSlack,
  devin: FakeDevin,
  count: number,
): Promise<BoundThread[]> {
  const threads: BoundThread[] = [];
  for (let i = 0; i < count; i += 1) {
    const sessionId = devin.addSession().session_id;
    const name = `bench-link-${sessionId}`;
    const res = await postCommand(
      eventsUrl,
      secret,
      slashCommand({ text: `link ${sessionId}`, channel_id: 'C1', response_url: slack.responseUrl(name) }),
    );
    if (res.status !== 200) throw new Error(`/devin link answered ${res.status}: ${res.body}`);
    await slack.waitForResponse((r) => r.name === name, 30_000);
    const root = await slack.waitFor(
      'chat.postMessage',
      (args) => args.thread_ts === undefined && String(args.text).includes(sessionId),
      10_000,
    );
    const call = slack.calls.find((c) => c.args === root);
    const threadTs = call?.answer?.ts;
    if (typeof threadTs !== 'string') throw new Error(`/devin link posted no root message for ${sessionId}`);
    threads.push({ sessionId, threadTs });
  }
  return threads;
}

/** Fresh fake sessions and made-up thread ts values, handed to the forwarder's setup endpoint. */
export async function registerThreads(origin: string, slack: FakeSlack, devin: FakeDevin, count: number) {
  const threads: BoundThread[] = Array.from({ length: count }, () => ({
    sessionId: devin.addSession().session_id,
    threadTs: slack.nextTs(),
  }));
  const res = await fetch(`${origin}/bench/threads`, {
    method: 'POST',
    body: JSON.stringify(Object.fromEntries(threads.map((t) => [t.threadTs, t.sessionId]))),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`the forwarder's setup answered ${res.status}`);
  return threads;
}
