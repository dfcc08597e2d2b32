import { blockKitProblems, blockTextLength, type Surface } from './block-kit-limits';
import type { Json } from './slack-signing';

/**
 * What Slack answers a call that breaks one of its limits (`../shared/reference/slack-limits.md`): the `error` it
 * answers (`refused: false` when Slack takes the call but loses something, such as a notification's text), and every
 * limit broken, each named.
 */
export interface LimitBreach {
  error: string;
  refused: boolean;
  limits: string[];
}

/** Slack's limits on whole calls, counted in UTF-16 code units (the stricter count where Slack does not say). */
export const SLACK_LIMITS = {
  postText: 40_000,
  updateText: 4000,
  markdownText: 12_000,
  blockText: 13_000,
  attachments: 100,
  viewBytes: 250_000,
  altText: 1000,
  snippetBytes: 1_000_000,
  uploadChannels: 100,
  loadingMessages: 10,
};

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage']);
const VIEW_METHODS = new Set(['views.publish', 'views.open', 'views.update', 'views.push']);
const count = (n: number) => n.toLocaleString('en-US');

/** How Slack would answer `method` called with `args`, when that breaks a limit; undefined when it keeps them all. */
export function limitBreach(method: string, args: Json): LimitBreach | undefined {
  if (MESSAGE_METHODS.has(method)) return messageBreach(method, args);
  if (VIEW_METHODS.has(method)) return viewBreach(method, args.view);
  switch (method) {
    case 'reactions.add':
    case 'reactions.remove':
      return reactionBreach(method, args);
    case 'files.getUploadURLExternal':
      return uploadBreach(args);
    case 'files.completeUploadExternal':
      return completeUploadBreach(args);
    case 'assistant.threads.setStatus': {
      const messages = Array.isArray(args.loading_messages) ? args.loading_messages.length : 0;
      if (messages <= SLACK_LIMITS.loadingMessages) return undefined;
      return refused('invalid_arguments', `${method}: ${messages} loading_messages (at most 10)`);
    }
    default:
      return undefined;
  }
}

/** A body POSTed to a response_url: a message, as chat.postMessage takes it. */
export function responseBreach(body: unknown): LimitBreach | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  return messageBreach('response_url', body as Json);
}

function messageBreach(method: string, args: Json): LimitBreach | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks: Json[] = Array.isArray(args.blocks) ? args.blocks : [];
  if (typeof args.markdown_text === 'string') {
    const length = args.markdown_text.length;
    if (text || blocks.length > 0) {
      return refused('invalid_arguments', `${method}: markdown_text cannot come with text or blocks`);
    }
    if (length > SLACK_LIMITS.markdownText) {
      return refused('msg_too_long', `${method}: markdown_text ${count(length)} characters (at most 12,000)`);
    }
    return undefined;
  }
  if (!text && blocks.length === 0 && !Array.isArray(args.attachments)) {
    return refused('no_text', `${method}: no text, blocks or attachments`);
  }
  const textLimit = method === 'chat.update' ? SLACK_LIMITS.updateText : SLACK_LIMITS.postText;
  if (text.length > textLimit) {
    return refused('msg_too_long', `${method}: text ${count(text.length)} characters (at most ${count(textLimit)})`);
  }
  const blockProblems = blockKitProblems({ ...args, text: text || 'x', blocks }, 'message');
  if (blockProblems.length > 0) return refused('invalid_blocks', ...blockProblems.map((p) => `${method}: ${p}`));
  const blockText = blockTextLength(blocks);
  if (blockText > SLACK_LIMITS.blockText) {
    return refused(
      'msg_blocks_too_long',
      `${method}: the blocks hold ${count(blockText)} characters of text (Slack refuses about 13,000)`,
    );
  }
  if (Array.isArray(args.attachments) && args.attachments.length > SLACK_LIMITS.attachments) {
    return refused('too_many_attachments', `${method}: ${args.attachments.length} attachments (at most 100)`);
  }
  if (args.metadata !== undefined) {
    const metadata = args.metadata as Json;
    if (typeof metadata?.event_type !== 'string' || typeof metadata?.event_payload !== 'object') {
      return refused('invalid_metadata_format', `${method}: metadata needs event_type and event_payload`);
    }
  }
  if (blocks.length > 0 && !text) {
    return {
      error: 'ok',
      refused: false,
      limits: [`${method}: blocks without the text fallback (notifications show nothing)`],
    };
  }
  return undefined;
}

function viewBreach(method: string, view: unknown): LimitBreach | undefined {
  if (view === null || typeof view !== 'object') return refused('invalid_arguments', `${method}: no view`);
  const bytes = Buffer.byteLength(JSON.stringify(view));
  if (bytes > SLACK_LIMITS.viewBytes) {
    return refused('view_too_large', `${method}: the view is ${count(bytes)} bytes (at most 250 kB)`);
  }
  const surface: Surface = (view as Json).type === 'home' ? 'home' : 'modal';
  const problems = blockKitProblems(view as Json, surface);
  return problems.length > 0 ? refused('invalid_arguments', ...problems.map((p) => `${method}: ${p}`)) : undefined;
}

function reactionBreach(method: string, args: Json): LimitBreach | undefined {
  const name = String(args.name ?? '');
  if (name !== '' && !name.includes(':') && name === name.toLowerCase()) return undefined;
  return refused('invalid_name', `${method}: "${name}" is no emoji name (lowercase, without colons)`);
}

function uploadBreach(args: Json): LimitBreach | undefined {
  const length = Number(args.length);
  if (!(length >= 1)) return refused('missing_argument', 'files.getUploadURLExternal: length at least 1');
  const altText = String(args.alt_txt ?? args.alt_text ?? '');
  if (altText.length > SLACK_LIMITS.altText) {
    return refused(
      'invalid_arguments',
      `files.getUploadURLExternal: alt_txt ${count(altText.length)} characters (at most 1,000)`,
    );
  }
  if (args.snippet_type !== undefined && length > SLACK_LIMITS.snippetBytes) {
    return refused('invalid_arguments', 'files.getUploadURLExternal: a snippet over 1 MB');
  }
  return undefined;
}

function completeUploadBreach(args: Json): LimitBreach | undefined {
  const channels = [
    ...String(args.channels ?? '')
      .split(',')
      .filter(Boolean),
    ...(args.channel_id ? [String(args.channel_id)] : []),
  ];
  if (channels.length > SLACK_LIMITS.uploadChannels) {
    return refused('invalid_arguments', `files.completeUploadExternal: ${channels.length} channels (at most 100)`);
  }
  if (args.thread_ts !== undefined && channels.length !== 1) {
    return refused('invalid_arguments', 'files.completeUploadExternal: thread_ts needs exactly one channel');
  }
  return undefined;
}

function refused(error: string, ...limits: string[]): LimitBreach {
  return { error, refused: true, limits };
}
