import type { Json } from './slack-signing';

/** Where blocks are shown: Slack allows 50 blocks in a message, 100 in a modal or on the App Home. */
export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

/**
 * Block Kit's published limits (docs.slack.dev/reference/block-kit), counted in UTF-16 code units as the stricter
 * reading: Slack answers `invalid_blocks` (a message) or `invalid_arguments` (a view) past them.
 */
export const BLOCK_KIT = {
  textObject: 3000,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  buttonText: 75,
  buttonLabel: 75,
  actionId: 255,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  placeholder: 150,
  // block-elements/plain-text-input-element: `max_length` (and so a value) at most 3,000.
  inputValue: 3000,
  selectOptions: 100,
  overflowOptions: 5,
  radioOptions: 10,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  markdownTotal: 12_000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
};

/** Every way `payload` (a message's `blocks`, or a view) breaks Block Kit's limits; empty when it keeps them. */
export function blockKitProblems(payload: Json, surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  const check: Check = (ok, what) => {
    if (!ok) problems.push(what);
  };
  const blocks: Json[] = Array.isArray(payload.blocks) ? payload.blocks : [];
  check(
    blocks.length <= MAX_BLOCKS[surface],
    `${blocks.length} blocks (at most ${MAX_BLOCKS[surface]} in a ${surface})`,
  );
  if (surface === 'message') {
    if (blocks.length > 0) {
      check(typeof payload.text === 'string' && payload.text.length > 0, 'a message needs its text (the fallback)');
    }
  } else {
    check(payload.type === surface, `a ${surface} view has type ${surface}, not ${payload.type}`);
    if (surface === 'modal') {
      textWithin(payload.title, BLOCK_KIT.viewTitle, 'modal title', check, 'plain_text');
      if (payload.submit) textWithin(payload.submit, BLOCK_KIT.viewButton, 'modal submit', check, 'plain_text');
      if (payload.close) textWithin(payload.close, BLOCK_KIT.viewButton, 'modal close', check, 'plain_text');
      if (blocks.some((b) => b.type === 'input')) check(payload.submit !== undefined, 'input blocks need a submit');
    }
    const metadata = String(payload.private_metadata ?? '').length;
    check(metadata <= BLOCK_KIT.privateMetadata, `private_metadata: ${metadata} characters (at most 3000)`);
    for (const id of ['callback_id', 'external_id']) {
      const length = String(payload[id] ?? '').length;
      check(length <= BLOCK_KIT.callbackId, `${id}: ${length} characters (at most 255)`);
    }
  }
  const ids = blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  check(new Set(ids).size === ids.length, 'block_id repeats (each is unique within a message or view)');
  const markdown = blocks.filter((b) => b.type === 'markdown').reduce((sum, b) => sum + String(b.text).length, 0);
  check(markdown <= BLOCK_KIT.markdownTotal, `markdown blocks hold ${markdown} characters together (at most 12000)`);
  for (const [index, block] of blocks.entries()) checkBlock(block, `block ${index} (${block.type})`, surface, check);
  return problems;
}

/** The characters of every text in the blocks, summed (Slack refuses about 13,000 as `msg_blocks_too_long`). */
export function blockTextLength(blocks: Json[]): number {
  let total = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      const object = value as Json;
      if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
        total += object.text.length;
      } else if (object.type === 'markdown' && typeof object.text === 'string') total += object.text.length;
      else for (const child of Object.values(object)) visit(child);
    }
  };
  visit(blocks);
  return total;
}

type Check = (ok: boolean, what: string) => void;

function checkBlock(block: Json, where: string, surface: Surface, check: Check): void {
  if (block.block_id !== undefined) {
    const length = String(block.block_id).length;
    check(length <= BLOCK_KIT.blockId, `${where}: block_id ${length} characters (at most 255)`);
  }
  switch (block.type) {
    case 'section':
      check(block.text !== undefined || Array.isArray(block.fields), `${where}: needs text or fields`);
      if (block.text) textWithin(block.text, BLOCK_KIT.sectionText, `${where} text`, check);
      if (block.fields) {
        check(block.fields.length <= BLOCK_KIT.sectionFields, `${where}: more than 10 fields`);
        for (const field of block.fields) textWithin(field, BLOCK_KIT.fieldText, `${where} field`, check);
      }
      if (block.accessory) checkElement(block.accessory, `${where} accessory`, check);
      return;
    case 'header':
      textWithin(block.text, BLOCK_KIT.headerText, `${where} text`, check, 'plain_text');
      return;
    case 'context':
      check(
        Array.isArray(block.elements) &&
          block.elements.length >= 1 &&
          block.elements.length <= BLOCK_KIT.contextElements,
        `${where}: 1 to 10 elements`,
      );
      for (const element of block.elements ?? []) {
        if (element.type === 'image') checkImage(element, `${where} image`, check);
        else textWithin(element, BLOCK_KIT.textObject, `${where} element`, check);
      }
      return;
    case 'actions':
      check(
        Array.isArray(block.elements) &&
          block.elements.length >= 1 &&
          block.elements.length <= BLOCK_KIT.actionsElements,
        `${where}: 1 to 25 elements`,
      );
      for (const [i, element] of (block.elements ?? []).entries())
        checkElement(element, `${where} element ${i}`, check);
      return;
    case 'input':
      check(surface !== 'message', `${where}: input blocks belong in views`);
      textWithin(block.label, BLOCK_KIT.inputLabel, `${where} label`, check, 'plain_text');
      if (block.hint) textWithin(block.hint, BLOCK_KIT.inputHint, `${where} hint`, check, 'plain_text');
      checkElement(block.element ?? {}, `${where} element`, check);
      return;
    case 'markdown':
      check(typeof block.text === 'string' && block.text.length >= 1, `${where}: needs text`);
      return;
    case 'image':
      checkImage(block, where, check);
      return;
    case 'divider':
      return;
    default:
      check(false, `${where}: a block type this checker does not know`);
  }
}

function checkImage(image: Json, where: string, check: Check): void {
  check(typeof image.alt_text === 'string' && image.alt_text.length >= 1, `${where}: needs alt_text`);
  check(/^https?:\/\//.test(String(image.image_url ?? '')), `${where}: image_url is not a web address`);
}

function checkElement(element: Json, where: string, check: Check): void {
  if (element.action_id !== undefined) {
    const length = String(element.action_id).length;
    check(length <= BLOCK_KIT.actionId, `${where}: action_id ${length} characters (at most 255)`);
  }
  switch (element.type) {
    case 'button':
      textWithin(element.text, BLOCK_KIT.buttonText, `${where} text`, check, 'plain_text');
      if (element.value !== undefined) {
        const length = String(element.value).length;
        check(length <= BLOCK_KIT.buttonValue, `${where}: value ${length} characters (at most 2000)`);
      }
      if (element.url !== undefined) {
        const length = String(element.url).length;
        check(length <= BLOCK_KIT.url, `${where}: url ${length} characters (at most 3000)`);
        check(/^https?:\/\//.test(String(element.url)), `${where}: url is not a web address`);
      }
      if (element.accessibility_label !== undefined) {
        const length = String(element.accessibility_label).length;
        check(length <= BLOCK_KIT.buttonLabel, `${where}: accessibility_label ${length} characters (at most 75)`);
      }
      if (element.style !== undefined) check(['primary', 'danger'].includes(element.style), `${where}: style`);
      if (element.confirm) checkConfirm(element.confirm, `${where} confirm`, check);
      return;
    case 'static_select':
    case 'overflow':
    case 'radio_buttons': {
      const options: Json[] = element.options ?? [];
      const most =
        element.type === 'static_select'
          ? BLOCK_KIT.selectOptions
          : element.type === 'overflow'
            ? BLOCK_KIT.overflowOptions
            : BLOCK_KIT.radioOptions;
      check(options.length >= 1 && options.length <= most, `${where}: 1 to ${most} options, not ${options.length}`);
      for (const option of options) checkOption(option, `${where} option`, check);
      const values = options.map((o) => o.value);
      check(new Set(values).size === values.length, `${where}: option values repeat`);
      if (element.initial_option) {
        check(values.includes(element.initial_option.value), `${where}: initial_option is not one of the options`);
      }
      if (element.placeholder) textWithin(element.placeholder, BLOCK_KIT.placeholder, `${where} placeholder`, check);
      if (element.confirm) checkConfirm(element.confirm, `${where} confirm`, check);
      return;
    }
    case 'plain_text_input': {
      // block-kit/block-elements/plain-text-input-element: max_length at most 3,000; placeholder 150.
      const max = element.max_length ?? BLOCK_KIT.inputValue;
      check(max >= 1 && max <= BLOCK_KIT.inputValue, `${where}: max_length ${max} (at most 3000)`);
      if (element.initial_value !== undefined) {
        check(typeof element.initial_value === 'string', `${where}: initial_value is not a string`);
        const length = String(element.initial_value).length;
        check(length <= max, `${where}: initial_value ${length} characters (at most ${max})`);
      }
      if (element.placeholder) textWithin(element.placeholder, BLOCK_KIT.placeholder, `${where} placeholder`, check);
      return;
    }
    default:
      check(false, `${where}: an element type this checker does not know (${element.type})`);
  }
}

function checkOption(option: Json, where: string, check: Check): void {
  textWithin(option.text, BLOCK_KIT.optionText, `${where} text`, check);
  const value = option.value;
  check(
    typeof value === 'string' && value.length <= BLOCK_KIT.optionValue,
    `${where}: value ${String(value).length} characters (at most 150)`,
  );
  if (option.description) textWithin(option.description, BLOCK_KIT.optionDescription, `${where} description`, check);
}

function checkConfirm(confirm: Json, where: string, check: Check): void {
  textWithin(confirm.title, BLOCK_KIT.confirmTitle, `${where} title`, check, 'plain_text');
  textWithin(confirm.text, BLOCK_KIT.confirmText, `${where} text`, check);
  textWithin(confirm.confirm, BLOCK_KIT.confirmButton, `${where} confirm`, check, 'plain_text');
  textWithin(confirm.deny, BLOCK_KIT.confirmButton, `${where} deny`, check, 'plain_text');
}

/** A text object: 1 to `limit` (and never more than 3,000) characters; `emoji` only on plain_text, `verbatim` only on mrkdwn. */
function textWithin(text: Json | undefined, limit: number, where: string, check: Check, type?: 'plain_text'): void {
  if (!text || typeof text.text !== 'string') {
    check(false, `${where}: missing`);
    return;
  }
  check(text.type === 'plain_text' || text.type === 'mrkdwn', `${where}: not a text object`);
  if (type) check(text.type === type, `${where}: must be ${type}`);
  if (text.emoji !== undefined) check(text.type === 'plain_text', `${where}: emoji is only for plain_text`);
  if (text.verbatim !== undefined) check(text.type === 'mrkdwn', `${where}: verbatim is only for mrkdwn`);
  const most = Math.min(limit, BLOCK_KIT.textObject);
  check(text.text.length >= 1, `${where}: empty`);
  check(text.text.length <= most, `${where}: ${text.text.length} characters (at most ${most})`);
}

/** Fails the test with every problem named. */
export function expectWithinBlockKit(payload: Json, surface: Surface): void {
  const problems = blockKitProblems(payload, surface);
  if (problems.length > 0) throw new Error(`Block Kit limits broken:\n  ${problems.join('\n  ')}`);
}
