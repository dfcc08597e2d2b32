import type { types } from '@slack/bolt';
import type { SessionState } from '../../relay/model/session-state';
import type { StartOptionKey, StartOptions } from '../../relay/model/start-options';
import type { ListedSession } from '../access/session-list';
import { plainTextNow } from '../text/incoming-text';
import { escapeSlackText } from '../text/outgoing-text';
import type { ShortcutMessage } from '../text/shortcut-message';
import { fitEscaped, fitView, quoteBlock } from '../text/slack-fit';
import { sessionTitle } from './session-lines';
import { startOptionInputs } from './start-options-form';

/** The message shortcut (manifest `features.shortcuts`). */
export const SEND_TO_DEVIN_SHORTCUT = 'send_to_devin';
/** The form it opens outside bound threads. */
export const SEND_TO_DEVIN_FORM = 'send_to_devin_modal';
/** The form's session menu: its input block and element. */
export const TARGET_BLOCK = 'target';
export const TARGET_ACTION = 'session';
/** The menu's first option: a new session with the message as its task. */
export const NEW_SESSION = 'new';

/** A static select holds 100 options; one is "Start a new session". */
const SESSION_OPTIONS = 99;
const OPTION_TEXT_LIMIT = 75;
const PREVIEW_LIMIT = 1500;

const STATE_WORDS: Record<SessionState, string> = {
  working: 'working',
  waiting: 'waiting for you',
  asleep: 'asleep',
  finished: 'finished',
  expired: 'expired',
  error: 'ended with an error',
};

const TITLE = { type: 'plain_text', text: 'Send to Devin' } as const;

/** Opened at once (the shortcut's trigger lasts 3 s), while the person's sessions are looked up. */
export function loadingForm(draftId: string, message: ShortcutMessage): types.ModalView {
  return fitView<types.ModalView>({
    type: 'modal',
    callback_id: SEND_TO_DEVIN_FORM,
    private_metadata: draftId,
    title: TITLE,
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [preview(message), { type: 'context', elements: [{ type: 'mrkdwn', text: 'Looking up your sessions…' }] }],
  });
}

/** The form: which of the person's sessions gets the message, or a new one that starts from it. */
export function pickerForm(
  draftId: string,
  message: ShortcutMessage,
  sessions: ListedSession[],
  start: { defaults: StartOptions; supported: readonly StartOptionKey[] } = { defaults: {}, supported: [] },
): types.ModalView {
  const options: types.PlainTextOption[] = [
    { text: { type: 'plain_text', text: 'Start a new session' }, value: NEW_SESSION },
    ...sessions.slice(0, SESSION_OPTIONS).map((session) => ({
      text: { type: 'plain_text' as const, text: optionText(session) },
      value: session.sessionId,
    })),
  ];
  return fitView<types.ModalView>({
    type: 'modal',
    callback_id: SEND_TO_DEVIN_FORM,
    private_metadata: draftId,
    title: TITLE,
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      preview(message),
      {
        type: 'input',
        block_id: TARGET_BLOCK,
        label: { type: 'plain_text', text: 'Send it to' },
        element: {
          type: 'static_select',
          action_id: TARGET_ACTION,
          placeholder: { type: 'plain_text', text: 'Pick one of your sessions, or a new one' },
          options,
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text:
              'A new session starts with this message as its task, in its thread (the earlier messages there are its ' +
              'context). Your sessions are the ones you started, linked or steered, newest first.',
          },
        ],
      },
      ...startOptionInputs(start.defaults, start.supported),
    ],
  });
}

/** Instead of the form: why the person may not send this message (the allowlists' sentence). */
export function refusedForm(sentence: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: SEND_TO_DEVIN_FORM,
    title: TITLE,
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:no_entry: ${sentence}` } }],
  };
}

function preview(message: ShortcutMessage): types.KnownBlock {
  const who = message.user ? `<@${message.user}>` : 'someone';
  const files = (message.files ?? []).map((f) => f.name || f.title || 'file');
  const attached = files.length ? `\n_Files:_ ${fitEscaped(files.join(', '), 300)}` : '';
  const quoted = quoteBlock(escapeSlackText(plainTextNow(message.text)), PREVIEW_LIMIT);
  return { type: 'section', text: { type: 'mrkdwn', text: `*Message by ${who}*\n${quoted}${attached}` } };
}

function optionText(session: ListedSession): string {
  const state = session.state ? ` · ${STATE_WORDS[session.state]}` : '';
  return `${sessionTitle(session, OPTION_TEXT_LIMIT - state.length)}${state}`;
}
