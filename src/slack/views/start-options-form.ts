import type { types } from '@slack/bolt';
import type { AskedOptions, StartOptionKey, StartOptions } from '../../relay/model/start-options';
import { fitPlainText } from '../text/slack-fit';

/** Each start option's input in the Send to Devin form: its block id (the element's action id is `value`). */
export const OPTION_BLOCK: Record<StartOptionKey, string> = {
  playbook: 'option_playbook',
  repo: 'option_repo',
  tag: 'option_tag',
  mode: 'option_mode',
  snapshot: 'option_snapshot',
  acu: 'option_acu',
};
export const OPTION_ACTION = 'value';

/** A plain text input's value holds 3,000 characters; an initial value is cut to fit. */
const INPUT_LIMIT = 3000;

const HINTS: Record<StartOptionKey, { label: string; placeholder: string }> = {
  playbook: { label: 'Playbook', placeholder: 'Its title, macro or id' },
  repo: { label: 'Repositories', placeholder: 'owner/name, separated by spaces' },
  tag: { label: 'Tags', placeholder: 'Separated by spaces' },
  mode: { label: 'Mode', placeholder: 'normal or fast' },
  snapshot: { label: 'Snapshot', placeholder: 'Its id, snapshot-…' },
  acu: { label: 'ACU cap', placeholder: 'The most ACUs the session may spend' },
};

/**
 * The start options a new session takes (those the API carries), as optional inputs filled with the channel's
 * defaults: the person keeps, changes or empties each.
 */
export function startOptionInputs(defaults: StartOptions, supported: readonly StartOptionKey[]): types.KnownBlock[] {
  const initial: Record<StartOptionKey, string | undefined> = {
    playbook: defaults.playbook ? (defaults.playbook.name ?? defaults.playbook.id) : undefined,
    repo: defaults.repos?.join(' '),
    tag: defaults.tags?.join(' '),
    mode: defaults.mode,
    snapshot: defaults.snapshot?.id,
    acu: defaults.maxAcu === undefined ? undefined : String(defaults.maxAcu),
  };
  const inputs = supported.map((key): types.KnownBlock => {
    const { label, placeholder } = HINTS[key];
    const value = initial[key];
    if (key === 'mode') {
      const options = ['normal', 'fast'].map((m) => ({ text: { type: 'plain_text' as const, text: m }, value: m }));
      const chosen = options.find((o) => o.value === value);
      return input(key, label, {
        type: 'static_select',
        action_id: OPTION_ACTION,
        placeholder: { type: 'plain_text', text: placeholder },
        options,
        ...(chosen ? { initial_option: chosen } : {}),
      });
    }
    return input(key, label, {
      type: 'plain_text_input',
      action_id: OPTION_ACTION,
      placeholder: { type: 'plain_text', text: placeholder },
      ...(value ? { initial_value: fitPlainText(value, INPUT_LIMIT) } : {}),
    });
  });
  if (inputs.length === 0) return [];
  return [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: "For a new session only: these start with this channel's defaults (`/devin config`); change or empty them.",
        },
      ],
    },
    ...inputs,
  ];
}

/** The submitted view's values, as Slack sends them. */
export type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

/** The options as the person left them in the form (an emptied input asks for nothing). */
export function readStartOptionInputs(values: ViewValues): AskedOptions {
  const read = (key: StartOptionKey) => {
    const field = values[OPTION_BLOCK[key]]?.[OPTION_ACTION];
    const value = (field?.selected_option?.value ?? field?.value ?? '').trim();
    return value === '' ? undefined : value;
  };
  const words = (key: StartOptionKey) =>
    read(key)
      ?.split(/[\s,]+/)
      .filter(Boolean);
  const asked: AskedOptions = {};
  const playbook = read('playbook');
  const snapshot = read('snapshot');
  const mode = read('mode');
  const acu = read('acu');
  const repos = words('repo');
  const tags = words('tag');
  if (playbook !== undefined) asked.playbook = playbook;
  if (snapshot !== undefined) asked.snapshot = snapshot;
  if (mode !== undefined) asked.mode = mode;
  if (acu !== undefined) asked.acu = acu;
  if (repos?.length) asked.repos = repos;
  if (tags?.length) asked.tags = tags;
  return asked;
}

/** An optional input block of the form, one option each. */
function input(key: keyof typeof OPTION_BLOCK, label: string, element: types.InputBlock['element']): types.KnownBlock {
  return {
    type: 'input',
    block_id: OPTION_BLOCK[key],
    optional: true,
    label: { type: 'plain_text', text: label },
    element,
  };
}
