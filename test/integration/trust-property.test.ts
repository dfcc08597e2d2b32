import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzz';
import { Harness } from '../support/harness';
import { relayedWords } from '../support/relayed-words';
import { secretsAstray } from '../support/secret-places';
import { appMentionEvent, type Json, nextTs, replyDeleted, replyEdited, threadReply } from '../support/slack-signing';

jest.setTimeout(120_000);

/**
 * Who writes: U1 and U2 may steer; U3 is a guest and U5 someone of another workspace (both on the user list, both
 * refused); U6 is off the list; `bot` is an app's message. Only U1 and U2's words, never an aside, may reach Devin.
 */
const AUTHORS = ['U1', 'U2', 'U3', 'U5', 'U6', 'bot'] as const;
type Author = (typeof AUTHORS)[number];
const MAY_STEER = new Set<Author>(['U1', 'U2']);

/** What becomes of a message: kept, edited or deleted; a reply's change comes before or after it reached Devin. */
type Fate = 'kept' | 'edited' | 'deleted';
type Timing = 'before' | 'after';

interface Written {
  author: Author;
  aside: boolean;
  fate: Fate;
}
interface Reply extends Written {
  timing: Timing;
}

const written = fc.record({
  author: fc.constantFrom(...AUTHORS),
  aside: fc.boolean(),
  fate: fc.constantFrom<Fate>('kept', 'kept', 'edited', 'deleted'),
});
const reply = fc.record({
  author: fc.constantFrom(...AUTHORS),
  aside: fc.boolean(),
  fate: fc.constantFrom<Fate>('kept', 'kept', 'edited', 'deleted'),
  timing: fc.constantFrom<Timing>('before', 'after'),
});

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({
    env: {
      ALLOWED_USER_IDS: 'U1,U2,U3,U5',
      STARTS_PER_PERSON_PER_HOUR: '1000',
      STARTS_PER_WORKSPACE_PER_HOUR: '1000',
    },
  });
  h.slack.users.set('U3', { name: 'gus', realName: 'Gus Guest', guest: 'restricted' });
  h.slack.users.set('U5', { name: 'pat', realName: 'Pat Partner', team: 'T2' });
  h.slack.users.set('U6', { name: 'otto', realName: 'Otto Outsider' });
});
afterAll(() => h.close());

/** The person's part of a message event: who wrote it (an app's message has a bot id). */
function by(author: Author): Json {
  if (author === 'bot') return { user: 'U4', bot_id: 'B0APP' };
  return { user: author, ...(author === 'U5' ? { user_team: 'T2' } : {}) };
}

const textOf = (words: string, aside: boolean) => (aside ? `(aside) ${words}` : words);

async function send(payload: Json): Promise<void> {
  expect((await h.event(payload)).status).toBe(200);
  await h.idle();
}

function changeOf(threadTs: string, ts: string, author: Author, before: string, after: string | undefined): Json {
  return after === undefined
    ? replyDeleted(threadTs, ts, by(author), before)
    : replyEdited(threadTs, ts, before, after, by(author));
}

let run = 0;

it('lets only allowed, undeleted, non-aside words reach Devin, once each, in order, however a thread goes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(written, { maxLength: 6 }),
      fc.array(reply, { minLength: 1, maxLength: 7 }),
      async (history, replies) => {
        run += 1;
        const parentTs = nextTs();
        // The thread as Slack lists it when the session starts: edits shown, deletions gone.
        const listed: Json[] = [{ type: 'message', user: 'U1', text: `parent ${run}`, ts: parentTs }];
        const wanted: string[] = [`parent ${run}`];
        const never: string[] = [];
        for (const [i, m] of history.entries()) {
          const words = `h${run}x${i}`;
          if (m.fate === 'deleted') {
            never.push(words);
            continue;
          }
          const final = m.fate === 'edited' ? `${words}e` : words;
          listed.push({
            type: 'message',
            ...by(m.author),
            text: textOf(final, m.aside),
            ts: nextTs(),
            thread_ts: parentTs,
          });
          if (MAY_STEER.has(m.author) && !m.aside) wanted.push(final);
          else never.push(words);
        }
        const startTs = nextTs();
        listed.push({ type: 'message', user: 'U1', text: `<@UBOT> task ${run}`, ts: startTs, thread_ts: parentTs });
        h.slack.setThread('C1', parentTs, listed);

        const before = new Set(h.devin.sessions.keys());
        await send(appMentionEvent({ user: 'U1', text: `<@UBOT> task ${run}`, ts: startTs, thread_ts: parentTs }));
        const sessionId = [...h.devin.sessions.keys()].find((id) => !before.has(id)) ?? '';
        const prompt = String(h.devin.sessions.get(sessionId)?.messages[0]?.message ?? '');
        const context = prompt
          .split('\n')
          .filter((line) => line.startsWith('> '))
          .map((line) => line.replace(/^> [^:]*: /, ''));
        expect(context).toEqual(wanted);
        for (const words of never) expect(prompt).not.toContain(words);

        // Replies: those changed before delivery wait (the session sleeps) while they change; the others go first.
        const delivered: string[] = [];
        const sendReply = async (r: Reply, i: number) => {
          const words = `r${run}x${i}`;
          const payload = threadReply(parentTs, textOf(words, r.aside), by(r.author));
          await send(payload);
          return { words, ts: String(payload.event.ts) };
        };
        const change = async (r: Reply, words: string, ts: string) => {
          if (r.fate === 'kept') return;
          const after = r.fate === 'edited' ? textOf(`${words}e`, r.aside) : undefined;
          await send(changeOf(parentTs, ts, r.author, textOf(words, r.aside), after));
        };
        const relayed = (r: Reply) => MAY_STEER.has(r.author) && !r.aside;

        h.devin.pause(sessionId);
        const sentBefore: Array<{ r: Reply; words: string; ts: string }> = [];
        for (const [i, r] of replies.entries()) {
          if (r.timing === 'before') sentBefore.push({ r, ...(await sendReply(r, i)) });
        }
        for (const { r, words, ts } of sentBefore) {
          await change(r, words, ts);
          if (relayed(r) && r.fate !== 'deleted') delivered.push(r.fate === 'edited' ? `${words}e` : words);
        }
        h.devin.resume(sessionId);
        await h.resend(sessionId, parentTs);
        for (const [i, r] of replies.entries()) {
          if (r.timing !== 'after') continue;
          const { words, ts } = await sendReply(r, i);
          await change(r, words, ts);
          if (relayed(r)) delivered.push(words);
        }
        await h.idle();

        expect(h.devin.delivered(sessionId).map(relayedWords)).toEqual(delivered);
      },
    ),
    fuzzRuns(25),
  );
  expect(secretsAstray(h)).toEqual([]);
});
