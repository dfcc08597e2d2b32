import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { checkCommandAnswer } from './strict-slack';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are free-form JSON
export type Json = Record<string, any>;

export interface SignedPostOptions {
  /** sets X-Slack-Retry-Num */
  retryNum?: number;
  /** sets X-Slack-Retry-Reason (e.g. 'http_timeout') */
  retryReason?: string;
  /** request timestamp (unix seconds) used for the header and the signature; default now */
  timestampSec?: number;
  /** replaces the computed X-Slack-Signature (forged-signature tests) */
  signature?: string;
  /** extra headers, applied last */
  headers?: Record<string, string>;
  /** abort the request after this many ms (default 10 000) */
  timeoutMs?: number;
}

export interface PostResult {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** The headers Bolt verifies: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`). */
export function signBody(
  secret: string,
  rawBody: string,
  timestampSec = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': String(timestampSec) };
}

/** POSTs an Events API payload as JSON. */
export function postEvent(
  url: string,
  secret: string,
  payload: object,
  opts: SignedPostOptions = {},
): Promise<PostResult> {
  return postRaw(url, secret, JSON.stringify(payload), 'application/json', opts);
}

/** POSTs a slash command as a form body (content-type exactly application/x-www-form-urlencoded). */
export async function postCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  opts: SignedPostOptions = {},
): Promise<PostResult> {
  const result = await postRaw(
    url,
    secret,
    new URLSearchParams(fields).toString(),
    'application/x-www-form-urlencoded',
    opts,
  );
  // The app's answer is a message Slack shows: the strict checks apply to it as to any call.
  if (result.status === 200 && result.headers['content-type']?.includes('json')) {
    checkCommandAnswer('slash command answer', JSON.parse(result.body));
  }
  return result;
}

/** POSTs an interactivity payload as the form body `payload=<JSON>`. */
export function postAction(
  url: string,
  secret: string,
  payload: object,
  opts: SignedPostOptions = {},
): Promise<PostResult> {
  return postRaw(
    url,
    secret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
    opts,
  );
}

/** POSTs `rawBody` as is, signed (unless opts.signature forges it). */
export function postRaw(
  url: string,
  secret: string,
  rawBody: string,
  contentType: string,
  opts: SignedPostOptions = {},
): Promise<PostResult> {
  const signed = signBody(secret, rawBody, opts.timestampSec);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(rawBody)),
    'x-slack-signature': opts.signature ?? signed['X-Slack-Signature'] ?? '',
    'x-slack-request-timestamp': signed['X-Slack-Request-Timestamp'] ?? '',
  };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  for (const [key, value] of Object.entries(opts.headers ?? {})) headers[key.toLowerCase()] = value;

  return new Promise<PostResult>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error(`POST ${url} timed out`)));
    req.on('error', reject);
    req.end(rawBody);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Payload builders

let lastTsMicros = 0;
let eventCounter = 0;

/** A fresh, strictly increasing Slack ts based on the current time (`'1712345678.000123'`). */
export function nextTs(): string {
  lastTsMicros = Math.max(lastTsMicros + 1, Date.now() * 1000);
  return `${Math.floor(lastTsMicros / 1_000_000)}.${String(lastTsMicros % 1_000_000).padStart(6, '0')}`;
}

/** A fresh, unique Events API event id (`'Ev0001A1B2C3D4'`). */
export function nextEventId(): string {
  eventCounter += 1;
  return `Ev${String(eventCounter).padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export type FixtureName =
  | 'message'
  | 'thread-reply'
  | 'app-mention'
  | 'file-share'
  | 'slash-command'
  | 'block-actions'
  | 'message-changed'
  | 'message-deleted'
  | 'channel-join'
  | 'bot-message'
  | 'app-home-opened'
  | 'message-action'
  | 'view-submission';

/** A fresh deep copy of test/fixtures/<name>.json. */
export function fixture<T = Json>(name: FixtureName): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as T;
}

/**
 * Any event fixture as a fresh envelope: new event_id / event_time, event.ts and event.event_ts refreshed (when the
 * fixture has them), then `event` fields shallow-merged into the event (a value of `undefined` deletes the field) and
 * `envelope` fields into the envelope.
 */
export function fixtureEvent(name: FixtureName, event: Json = {}, envelope: Json = {}): Json {
  const base = fixture(name);
  const ts = nextTs();
  if ('ts' in base.event) base.event.ts = ts;
  if ('event_ts' in base.event) base.event.event_ts = ts;
  return finishEnvelope(base, event, envelope);
}

/**
 * A top-level channel message (`C1`, user `U1`, fresh ts). Overrides are shallow-merged into `event`; when `text`
 * is overridden and `blocks` is not, matching rich_text blocks are generated; `event_ts` follows `ts`.
 */
export function messageEvent(event: Json = {}, envelope: Json = {}): Json {
  return buildMessageLike('message', event, envelope);
}

/** A reply in the thread `threadTs` (parent by `U1` unless `parent_user_id` is overridden). */
export function threadReply(threadTs: string, text: string, event: Json = {}, envelope: Json = {}): Json {
  return buildMessageLike('thread-reply', { thread_ts: threadTs, text, ...event }, envelope);
}

/** An app_mention (`<@UBOT> add a health check endpoint` in `C1` by `U1`, fresh ts). Same override rules. */
export function appMentionEvent(event: Json = {}, envelope: Json = {}): Json {
  return buildMessageLike('app-mention', event, envelope);
}

/** Slash command form fields (`/devin add a health check endpoint` in C1 by U1), fresh trigger_id. */
export function slashCommand(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...fixture<Record<string, string>>('slash-command'), trigger_id: triggerId(), ...overrides };
}

/**
 * A block_actions payload (button `resend_held`, value `devin-abc`). Overrides are deep-merged; each entry of
 * `actions` is merged onto the fixture's action, so `{ actions: [{ value: 'devin-xyz' }] }` keeps action_id.
 * Overriding container.message_ts / container.channel_id also updates message.ts / channel.id.
 */
export function blockAction(overrides: Json = {}): Json {
  const base = fixture('block-actions');
  base.trigger_id = triggerId();
  const [templateAction] = base.actions as Json[];
  base.actions = [{ ...templateAction, action_ts: nextTs() }];
  const { actions, ...rest } = overrides;
  const merged = deepMerge(base, rest);
  if (Array.isArray(actions)) {
    merged.actions = actions.map((a: Json) => deepMerge({ ...templateAction, action_ts: nextTs() }, a));
  }
  if (overrides.container?.message_ts !== undefined && overrides.message?.ts === undefined) {
    merged.message.ts = overrides.container.message_ts;
  }
  if (overrides.container?.channel_id !== undefined && overrides.channel?.id === undefined) {
    merged.channel.id = overrides.container.channel_id;
    if (overrides.channel?.name === undefined) delete merged.channel.name;
  }
  return merged;
}

/** A press of a button on the App Home (no channel, no message, no response_url) by `user`, with `value`. */
export function homeButtonPress(actionId: string, value: string, user = 'U1'): Json {
  return blockAction({
    user: { id: user, username: user, name: user, team_id: 'T1' },
    container: { type: 'view', view_id: 'V1', message_ts: undefined, channel_id: undefined, thread_ts: undefined },
    channel: undefined,
    message: undefined,
    response_url: undefined,
    view: { id: 'V1', type: 'home' },
    actions: [{ action_id: actionId, block_id: 'home', value }],
  });
}

/**
 * Slack's `message_deleted` for the reply `ts` in the thread (`author`: its `user`, and for an app's message its
 * `bot_id`), as it was: `text`.
 */
export function replyDeleted(threadTs: string, ts: string, author: Json = { user: 'U1' }, text = 'gone'): Json {
  return fixtureEvent(
    'message-deleted',
    { deleted_ts: ts, previous_message: { ...author, ts, thread_ts: threadTs, text } },
    { event_id: nextEventId() },
  );
}

/** Slack's `message_changed` for the reply `ts` in the thread: its words went from `before` to `after`. */
export function replyEdited(
  threadTs: string,
  ts: string,
  before: string,
  after: string,
  author: Json = { user: 'U1' },
) {
  return fixtureEvent(
    'message-changed',
    {
      message: { ...author, ts, thread_ts: threadTs, text: after, blocks: undefined },
      previous_message: { ...author, ts, thread_ts: threadTs, text: before, blocks: undefined },
    },
    { event_id: nextEventId() },
  );
}

/** An app_home_opened event: `U1` opens the app's Home tab (fresh event id and ts). Same override rules as events. */
export function appHomeOpened(event: Json = {}, envelope: Json = {}): Json {
  return fixtureEvent('app-home-opened', event, envelope);
}

/**
 * A message shortcut (`send_to_devin`, by `U2` on `U1`'s aside in the thread `1700000000.000100` of `C1`), with a fresh
 * trigger_id and action_ts. `message` fields are merged into the message (`undefined` deletes one; `message_ts`
 * follows its ts), `overrides` deep-merged into the payload.
 */
export function messageShortcut(message: Json = {}, overrides: Json = {}): Json {
  const base = fixture('message-action');
  base.trigger_id = triggerId();
  base.action_ts = nextTs();
  for (const [key, value] of Object.entries(message)) {
    if (value === undefined) delete base.message[key];
    else base.message[key] = value;
  }
  if (typeof message.text === 'string' && !('blocks' in message)) base.message.blocks = richTextBlocks(message.text);
  base.message_ts = base.message.ts;
  return deepMerge(base, overrides);
}

/**
 * A view_submission of the Send to Devin form by `U2`: `privateMetadata` as the form carried it, `selected` the value
 * of the option picked in its session menu (`null`: nothing picked). `overrides` are deep-merged into the payload.
 */
export function viewSubmission(privateMetadata: string, selected: string | null, overrides: Json = {}): Json {
  const base = fixture('view-submission');
  base.trigger_id = triggerId();
  base.view.id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
  base.view.root_view_id = base.view.id;
  base.view.private_metadata = privateMetadata;
  const choice = base.view.state.values.target.session;
  if (selected === null) choice.selected_option = null;
  else choice.selected_option = { ...choice.selected_option, value: selected };
  return deepMerge(base, overrides);
}

/** The url_verification handshake Slack sends when the Request URL is configured. */
export function urlVerification(challenge = randomBytes(16).toString('hex')): Json {
  return { token: 'XXYYZZverificationtoken', challenge, type: 'url_verification' };
}

/** Rich text blocks as Slack's client would attach them to `text` (user mentions and links become elements). */
export function richTextBlocks(text: string): Json[] {
  const elements: Json[] = [];
  const pattern = /<@([UW][A-Z0-9]+)>|<(https?:\/\/[^|>]+)(?:\|([^>]+))?>/g;
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > last) elements.push({ type: 'text', text: unescapeEntities(text.slice(last, m.index)) });
    if (m[1] !== undefined) elements.push({ type: 'user', user_id: m[1] });
    else if (m[3] !== undefined) elements.push({ type: 'link', url: m[2], text: m[3] });
    else elements.push({ type: 'link', url: m[2] });
    last = m.index + m[0].length;
  }
  if (last < text.length) elements.push({ type: 'text', text: unescapeEntities(text.slice(last)) });
  return [
    {
      type: 'rich_text',
      block_id: randomBytes(3).toString('base64url').slice(0, 4),
      elements: [{ type: 'rich_text_section', elements }],
    },
  ];
}

function buildMessageLike(name: FixtureName, event: Json, envelope: Json): Json {
  const base = fixture(name);
  const ts = event.ts ?? nextTs();
  base.event.ts = ts;
  base.event.event_ts = ts;
  if ('client_msg_id' in base.event) base.event.client_msg_id = randomUUID();
  if (typeof event.text === 'string' && !('blocks' in event)) base.event.blocks = richTextBlocks(event.text);
  return finishEnvelope(base, event, envelope);
}

function finishEnvelope(base: Json, event: Json, envelope: Json): Json {
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined) delete base.event[key];
    else base.event[key] = value;
  }
  base.event_id = nextEventId();
  const eventTs = base.event.event_ts ?? base.event.ts;
  base.event_time = eventTs !== undefined ? Math.floor(Number(eventTs)) : Math.floor(Date.now() / 1000);
  for (const [key, value] of Object.entries(envelope)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

function triggerId(): string {
  return `${Date.now()}.1111111111.${randomBytes(16).toString('hex')}`;
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepMerge(target: Json, source: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = deepMerge(out[key], value);
    else out[key] = value;
  }
  return out;
}
