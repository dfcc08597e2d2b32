import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../src/slack/intake/request-body';
import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { fuzzRuns } from '../support/fuzz';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { relayedWords } from '../support/relayed-words';
import {
  appMentionEvent,
  blockAction,
  type Json,
  type PostResult,
  postCommand,
  postRaw,
  slashCommand,
  threadReply,
} from '../support/slack-signing';

// Properly signed payloads of every kind, most of them malformed, against the running app, over HTTP and over Socket
// Mode (on SQLite): never a 5xx, never a crash, nothing relayed that should not be, and the valid replies mixed in
// relayed exactly once.

jest.setTimeout(120_000);

let h: Harness;
let socket: FakeSocketMode | undefined;
let sessionId: string;
let boundTs: string;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
/** What Devin must have received, in order: the words of the valid replies sent so far to the app under test. */
let expected: string[] = [];

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
});

afterAll(() => {
  process.off('unhandledRejection', onRejection);
});

// ---------------------------------------------------------------------------------------------------------------
// Junk

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
/** Values of the wrong type, or of the right type and no sense: nested junk, unicode, control characters, huge. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, -1, 1e308, true, false, '', ' ', [], {}, [[[]]], { '': {} }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(CONTROL, '\u202e\u200b\ufeff', '😀'.repeat(500), '\ud800', '<!channel>') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)) },
);

/** Replace or delete a field: `a.b.0` walks objects and arrays, creating what is missing. */
type Mutation = { path: string; value?: unknown; remove: boolean };

function mutations(paths: string[]): fc.Arbitrary<Mutation[]> {
  return fc.array(fc.record({ path: fc.constantFrom(...paths), value: junk, remove: fc.boolean() }), { maxLength: 4 });
}

function applyMutations(payload: Json, list: Mutation[]): Json {
  for (const { path, value, remove } of list) {
    const keys = path.split('.');
    let node: unknown = payload;
    for (const key of keys.slice(0, -1)) {
      if (typeof node !== 'object' || node === null) break;
      const record = node as Record<string, unknown>;
      if (typeof record[key] !== 'object' || record[key] === null) record[key] = {};
      node = record[key];
    }
    if (typeof node !== 'object' || node === null) continue;
    const last = keys[keys.length - 1] ?? '';
    if (remove) delete (node as Record<string, unknown>)[last];
    else (node as Record<string, unknown>)[last] = value;
  }
  return payload;
}

const ENVELOPE_PATHS = [
  'token',
  'team_id',
  'api_app_id',
  'type',
  'event_id',
  'event_time',
  'authorizations',
  'authorizations.0',
];
const EVENT_PATHS = [
  'event',
  'event.type',
  'event.user',
  'event.text',
  'event.ts',
  'event.thread_ts',
  'event.channel',
  'event.channel_type',
  'event.subtype',
  'event.bot_id',
  'event.blocks',
  'event.files',
  'event.message',
  'event.edited',
  'event.parent_user_id',
  'event.client_msg_id',
  'event.team',
];
const without = (paths: string[], kept: string[]) => paths.filter((p) => !kept.includes(p));

// ---------------------------------------------------------------------------------------------------------------
// Payloads: each kind says what must become of it

/** Words a person may write that reach Devin as they are (no markup, no keyword, no aside). */
const plainWords = fc
  .array(fc.constantFrom('fix', 'the', 'build', 'please', 'naïve', '日本語', '😀', 'ok?', 'x1', 'again', '—'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((words) => words.join(' '))
  .filter((text) => !['mute', 'unmute'].includes(text.trim().toLowerCase()));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('mute', 'unmute', ''));
const ASIDES = ['(aside) ', '!aside ', '  (ASIDE)', '\n!Aside:', '\t(aside)'];
const IGNORED_SUBTYPES = [
  'message_changed',
  'message_deleted',
  'channel_join',
  'channel_leave',
  'bot_message',
  'me_message',
  'channel_topic',
  'pinned_item',
  'huddle_thread',
];
const OTHER_EVENTS = [
  'reaction_added',
  'member_joined_channel',
  'app_home_opened',
  'channel_created',
  'team_join',
  'tokens_revoked',
  'app_uninstalled',
  'function_executed',
];
/** A command's first word that does not act (`new` would start a session, which is a fine outcome but not this test's). */
const commandText = fc
  .tuple(fc.constantFrom('', 'help', 'status', 'link', 'say', 'wat', 'HELP', 'say <>', 'status <#C1>'), anyText)
  .map(([word, rest]) => `${word} ${rest}`)
  .filter((text) => text.trim().split(/\s/)[0]?.toLowerCase() !== 'new');
/** Where a command's answers go: the fake Slack, or somewhere that is no URL (never a real host). */
const responseUrl = fc.oneof(fc.constant('fake'), fc.constantFrom('not a url', 12, null, {}, ['x'], ''));

type FuzzItem =
  | { kind: 'valid'; text: string; redeliver: boolean }
  | { kind: 'event'; what: string; build: () => Json }
  | { kind: 'command'; form: boolean; text: unknown; url: unknown; fields: Mutation[] }
  | { kind: 'action'; url: unknown; fields: Mutation[] }
  | { kind: 'raw'; body: string; contentType: string };

const eventItem = (what: string, build: fc.Arbitrary<() => Json>): fc.Arbitrary<FuzzItem> =>
  build.map((b) => ({ kind: 'event' as const, what, build: b }));

const fuzzItem: fc.Arbitrary<FuzzItem> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('valid' as const), text: plainWords, redeliver: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: eventItem(
      "another bot's message in the bound thread",
      fc
        .tuple(
          anyText,
          fc.stringMatching(/^B[A-Z0-9]{3,8}$/),
          fc.boolean(),
          mutations(without([...ENVELOPE_PATHS, ...EVENT_PATHS], ['event', 'event.bot_id'])),
        )
        .map(
          ([text, botId, subtype, m]) =>
            () =>
              applyMutations(
                threadReply(boundTs, text, { bot_id: botId, ...(subtype ? { subtype: 'bot_message' } : {}) }),
                m,
              ),
        ),
    ),
  },
  {
    weight: 2,
    arbitrary: eventItem(
      'an edit, a deletion or a join in the bound thread',
      fc
        .tuple(
          anyText,
          fc.constantFrom(...IGNORED_SUBTYPES),
          mutations(without([...ENVELOPE_PATHS, ...EVENT_PATHS], ['event', 'event.subtype'])),
        )
        .map(
          ([text, subtype, m]) =>
            () =>
              applyMutations(threadReply(boundTs, text, { subtype }), m),
        ),
    ),
  },
  {
    weight: 2,
    arbitrary: eventItem(
      'a reply in a thread no session is bound to',
      fc
        .tuple(
          anyText,
          fc.stringMatching(/^1[0-9]{9}\.[0-9]{6}$/),
          mutations(
            without(
              [...ENVELOPE_PATHS, ...EVENT_PATHS],
              ['event', 'event.type', 'event.thread_ts', 'event.channel_type'],
            ),
          ),
        )
        .map(
          ([text, threadTs, m]) =>
            () =>
              applyMutations(threadReply(threadTs, text), m),
        ),
    ),
  },
  {
    weight: 2,
    arbitrary: eventItem(
      'an aside in the bound thread',
      fc
        .tuple(
          fc.constantFrom(...ASIDES),
          anyText,
          mutations(without([...ENVELOPE_PATHS, ...EVENT_PATHS], ['event', 'event.text'])),
        )
        .map(
          ([aside, text, m]) =>
            () =>
              applyMutations(threadReply(boundTs, `${aside}${text}`), m),
        ),
    ),
  },
  {
    weight: 1,
    arbitrary: eventItem(
      'an aside that mentions the app in the bound thread',
      fc.tuple(fc.constantFrom(...ASIDES), anyText, mutations(without(ENVELOPE_PATHS, []))).map(
        ([aside, text, m]) =>
          () =>
            applyMutations(appMentionEvent({ thread_ts: boundTs, text: `${aside}<@UBOT> ${text}` }), m),
      ),
    ),
  },
  {
    weight: 1,
    arbitrary: eventItem(
      'an event of another type',
      fc
        .tuple(
          fc.constantFrom(...OTHER_EVENTS),
          fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 5 }),
          mutations(ENVELOPE_PATHS),
        )
        .map(
          ([type, fields, m]) =>
            () =>
              applyMutations(
                threadReply(boundTs, 'not a message', { ...fields, type, subtype: 'x', bot_id: 'BJUNK' }),
                m,
              ),
        ),
    ),
  },
  {
    weight: 1,
    arbitrary: eventItem(
      'an envelope whose event is junk',
      fc.tuple(junk, mutations(ENVELOPE_PATHS)).map(
        ([event, m]) =>
          () =>
            applyMutations({ ...threadReply(boundTs, 'x'), event }, m),
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      form: fc.boolean(),
      text: fc.oneof({ weight: 4, arbitrary: commandText }, { weight: 1, arbitrary: junk }),
      url: responseUrl,
      fields: mutations([
        'team_id',
        'channel_id',
        'user_id',
        'user_name',
        'trigger_id',
        'is_enterprise_install',
        'api_app_id',
        'enterprise_id',
        'channel_name',
      ]),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('action' as const),
      url: responseUrl,
      fields: mutations([
        'user',
        'user.id',
        'team',
        'team.id',
        'channel',
        'channel.id',
        'container',
        'container.thread_ts',
        'actions',
        'actions.0',
        'actions.0.action_id',
        'actions.0.value',
        'message',
        'type',
        'trigger_id',
        'enterprise',
        'is_enterprise_install',
        'state',
      ]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      body: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        fc.constant('ssl_check=1'),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/json; charset=utf-8',
      ),
    }),
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Sending

/** How a payload fared: the HTTP status, or 200 for an acknowledged envelope (0 when it was not acknowledged). */
type Sent = { item: FuzzItem; status: number };

function resolveUrl(url: unknown): unknown {
  return url === 'fake' ? h.slack.responseUrl() : url;
}

function commandFields(item: Extract<FuzzItem, { kind: 'command' }>): Json {
  return applyMutations({ ...slashCommand(), text: item.text, response_url: resolveUrl(item.url) }, item.fields);
}

function actionPayload(item: Extract<FuzzItem, { kind: 'action' }>): Json {
  return applyMutations(blockAction({ response_url: resolveUrl(item.url) }), item.fields);
}

/** Over HTTP: sends one item; resolves with its answer (and, for a valid reply, records what Devin must receive). */
async function post(item: FuzzItem): Promise<Sent> {
  const answered = (result: PostResult) => ({ item, status: result.status });
  switch (item.kind) {
    case 'valid': {
      const payload = threadReply(boundTs, item.text);
      const answer = await h.event(payload);
      expected.push(item.text.trim());
      if (item.redeliver) await h.event(payload, { retryNum: 1, retryReason: 'http_timeout' });
      return answered(answer);
    }
    case 'event':
      return answered(await h.event(item.build()));
    case 'command': {
      const fields = commandFields(item);
      if (item.form && Object.values(fields).every((v) => typeof v === 'string')) {
        return answered(await postCommand(h.eventsUrl, SIGNING_SECRET, fields as Record<string, string>));
      }
      return answered(await postRaw(h.eventsUrl, SIGNING_SECRET, JSON.stringify(fields), 'application/json'));
    }
    case 'action':
      return answered(await h.action(actionPayload(item)));
    case 'raw':
      return answered(await postRaw(h.eventsUrl, SIGNING_SECRET, item.body, item.contentType));
  }
}

/** Over Socket Mode: sends one item as an envelope; resolves once it is acknowledged (status 200), or 0 if never. */
async function envelope(item: FuzzItem): Promise<Sent> {
  const connected = socket as FakeSocketMode;
  const acked = (envelopeId: string) =>
    connected.waitForAck(envelopeId, 5000).then(
      () => ({ item, status: 200 }),
      () => ({ item, status: 0 }),
    );
  const send = (type: string, payload: unknown) => {
    const envelopeId = randomUUID();
    connected.send({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' });
    return acked(envelopeId);
  };
  switch (item.kind) {
    case 'valid': {
      const payload = threadReply(boundTs, item.text);
      const sent = await acked(connected.sendEvent(payload));
      expected.push(item.text.trim());
      if (item.redeliver) await acked(connected.sendEvent(payload, { retryAttempt: 1, retryReason: 'timeout' }));
      return sent;
    }
    case 'event':
      return send('events_api', item.build());
    case 'command':
      return send('slash_commands', commandFields(item));
    case 'action':
      return send('interactive', actionPayload(item));
    case 'raw':
      return send(item.contentType === 'text/plain' ? 'events_api' : 'interactive', parseOr(item.body));
  }
}

function parseOr(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Valid replies are sent one after another (their order is checked); the junk around them all at once. */
async function sendBatch(items: FuzzItem[], send: (item: FuzzItem) => Promise<Sent>): Promise<Sent[]> {
  const inFlight: Array<Promise<Sent>> = [];
  for (const item of items) {
    const sent = send(item);
    inFlight.push(sent);
    if (item.kind === 'valid') await sent;
  }
  return Promise.all(inFlight);
}

const describeItem = (item: FuzzItem) => (item.kind === 'event' ? item.what : item.kind);
const devinWrites = () => h.devin.requests.filter((r) => r.method === 'POST');

/**
 * The property, for either transport: every payload gets an allowed answer; the app still answers /healthz; nothing
 * escaped; Devin got no write but the valid replies, each once and in order.
 */
function survivesAndRelaysOnlyValidReplies(send: (item: FuzzItem) => Promise<Sent>, allowed: number[]) {
  return fc.asyncProperty(fc.array(fuzzItem, { minLength: 1, maxLength: 10 }), async (items) => {
    const writesBefore = devinWrites().length;
    const answers = await sendBatch(items, send);

    for (const { item, status } of answers) {
      const ok = item.kind === 'valid' ? [200] : allowed;
      expect({ item: describeItem(item), status, allowed: ok.includes(status) }).toEqual({
        item: describeItem(item),
        status,
        allowed: true,
      });
    }
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    await h.idle();
    expect(rejections).toEqual([]);
    const writes = devinWrites().slice(writesBefore);
    expect(writes.filter((r) => r.path !== `/v1/sessions/${sessionId}/message`)).toEqual([]);
    expect(h.devin.delivered(sessionId).map(relayedWords)).toEqual(expected);
  });
}

describe('over HTTP', () => {
  beforeAll(async () => {
    expected = [];
    h = await Harness.start({ env: { LOG_LEVEL: 'info' } });
    ({ sessionId, threadTs: boundTs } = await h.linkedThread());
  });

  afterAll(() => h.close());

  it('answers every signed payload without a 5xx, keeps running, and relays only what it should, once', async () => {
    await fc.assert(survivesAndRelaysOnlyValidReplies(post, [200, 400, 413]), fuzzRuns(300));
    // The fuzz reached what it meant to: valid replies got through among the junk.
    expect(expected.length).toBeGreaterThan(100);
  });

  it('refuses a signed payload over the limit with 413 and still relays what follows', async () => {
    const before = h.devin.delivered(sessionId).length;
    const huge = threadReply(boundTs, 'too big', { blocks: [{ type: 'rich_text', text: 'x'.repeat(MAX_BODY_BYTES) }] });

    expect((await h.event(huge)).status).toBe(413);
    await h.reply(boundTs, 'after the huge one');
    expected.push('after the huge one');
    await h.devin.waitForDelivered(sessionId, before + 1);
    expect(h.devin.delivered(sessionId).map(relayedWords)).toEqual(expected);
  });
});

describe('over Socket Mode', () => {
  beforeAll(async () => {
    expected = [];
    socket = await FakeSocketMode.start();
    const slack = await FakeSlack.start();
    slack.socketUrl = socket.url;
    h = await Harness.start({
      slack,
      env: { SLACK_APP_TOKEN: 'xapp-1-fuzz', SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'info' },
    });
    const session = h.devin.addSession();
    sessionId = session.session_id;
    boundTs = await h.linkSessionOverSocket(socket, sessionId);
  });

  afterAll(async () => {
    await h.close();
    await socket?.close();
  });

  it('acknowledges every envelope, keeps running, and relays only what it should, once', async () => {
    await fc.assert(survivesAndRelaysOnlyValidReplies(envelope, [200]), fuzzRuns(150));
    expect(expected.length).toBeGreaterThan(30);
  });
});
