import type { Json } from './slack-signing';

/** Where blocks are shown: Slack allows 50 blocks in a message, 100 in a modal or on the App Home. */
export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

/**
 * Block Kit's published limits, for the blocks this app sends (section, header, context, actions, divider, input) and
 * their elements (button, static select, radio buttons). Slack answers `invalid_blocks` (or refuses a view) past them.
 */
const LIMITS = {
  messageText: 40_000,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  inputLabel: 2000,
  inputHint: 2000,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  placeholder: 150,
  selectOptions: 100,
  radioOptions: 10,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
};

/** Every way `payload` (a message with `blocks`, or a view) breaks Block Kit's limits; empty when it keeps them. */
export function blockKitProblems(payload: Json, surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const blocks: Json[] = Array.isArray(payload.blocks) ? payload.blocks : [];
  check(
    blocks.length <= MAX_BLOCKS[surface],
    `${blocks.length} blocks (at most ${MAX_BLOCKS[surface]} in a ${surface})`,
  );
  if (surface === 'message') {
    check(typeof payload.text === 'string' && payload.text.length > 0, 'a message needs its text (the fallback)');
    check(String(payload.text ?? '').length <= LIMITS.messageText, 'message text over 40,000 characters');
  } else {
    check(payload.type === surface, `a ${surface} view has type ${surface}, not ${payload.type}`);
    if (surface === 'modal') {
      textWithin(payload.title, LIMITS.viewTitle, 'modal title', check, 'plain_text');
      if (payload.submit) textWithin(payload.submit, LIMITS.viewButton, 'modal submit', check, 'plain_text');
      if (payload.close) textWithin(payload.close, LIMITS.viewButton, 'modal close', check, 'plain_text');
      if (blocks.some((b) => b.type === 'input')) check(payload.submit !== undefined, 'input blocks need a submit');
    }
    check(String(payload.private_metadata ?? '').length <= LIMITS.privateMetadata, 'private_metadata too long');
    check(String(payload.callback_id ?? '').length <= LIMITS.callbackId, 'callback_id too long');
  }
  for (const [index, block] of blocks.entries()) checkBlock(block, `block ${index} (${block.type})`, surface, check);
  return problems;
}

type Check = (ok: boolean, what: string) => void;

function checkBlock(block: Json, where: string, surface: Surface, check: Check): void {
  if (block.block_id !== undefined) check(String(block.block_id).length <= LIMITS.blockId, `${where}: block_id`);
  switch (block.type) {
    case 'section':
      check(block.text !== undefined || Array.isArray(block.fields), `${where}: needs text or fields`);
      if (block.text) textWithin(block.text, LIMITS.sectionText, `${where} text`, check);
      if (block.fields) {
        check(block.fields.length <= LIMITS.sectionFields, `${where}: more than 10 fields`);
        for (const field of block.fields) textWithin(field, LIMITS.fieldText, `${where} field`, check);
      }
      if (block.accessory) checkElement(block.accessory, `${where} accessory`, check);
      return;
    case 'header':
      textWithin(block.text, LIMITS.headerText, `${where} text`, check, 'plain_text');
      return;
    case 'context':
      check(
        Array.isArray(block.elements) && block.elements.length >= 1 && block.elements.length <= LIMITS.contextElements,
        `${where}: 1 to 10 elements`,
      );
      for (const element of block.elements ?? []) textWithin(element, LIMITS.contextText, `${where} element`, check);
      return;
    case 'actions':
      check(
        Array.isArray(block.elements) && block.elements.length >= 1 && block.elements.length <= LIMITS.actionsElements,
        `${where}: 1 to 25 elements`,
      );
      for (const [i, element] of (block.elements ?? []).entries())
        checkElement(element, `${where} element ${i}`, check);
      return;
    case 'input':
      check(surface !== 'message', `${where}: input blocks belong in views`);
      textWithin(block.label, LIMITS.inputLabel, `${where} label`, check, 'plain_text');
      if (block.hint) textWithin(block.hint, LIMITS.inputHint, `${where} hint`, check, 'plain_text');
      checkElement(block.element ?? {}, `${where} element`, check);
      return;
    case 'divider':
      return;
    default:
      check(false, `${where}: a block type this checker does not know`);
  }
}

function checkElement(element: Json, where: string, check: Check): void {
  if (element.action_id !== undefined)
    check(String(element.action_id).length <= LIMITS.actionId, `${where}: action_id`);
  switch (element.type) {
    case 'button':
      textWithin(element.text, LIMITS.buttonText, `${where} text`, check, 'plain_text');
      if (element.value !== undefined) check(String(element.value).length <= LIMITS.buttonValue, `${where}: value`);
      if (element.url !== undefined) {
        check(String(element.url).length <= LIMITS.url, `${where}: url too long`);
        check(/^https?:\/\//.test(String(element.url)), `${where}: url is not a web address`);
      }
      if (element.style !== undefined) check(['primary', 'danger'].includes(element.style), `${where}: style`);
      if (element.confirm) checkConfirm(element.confirm, `${where} confirm`, check);
      return;
    case 'static_select':
    case 'radio_buttons': {
      const options: Json[] = element.options ?? [];
      const most = element.type === 'static_select' ? LIMITS.selectOptions : LIMITS.radioOptions;
      check(options.length >= 1 && options.length <= most, `${where}: 1 to ${most} options, not ${options.length}`);
      for (const option of options) checkOption(option, `${where} option`, check);
      const values = options.map((o) => o.value);
      check(new Set(values).size === values.length, `${where}: option values repeat`);
      if (element.initial_option) {
        check(values.includes(element.initial_option.value), `${where}: initial_option is not one of the options`);
      }
      if (element.placeholder) textWithin(element.placeholder, LIMITS.placeholder, `${where} placeholder`, check);
      return;
    }
    default:
      check(false, `${where}: an element type this checker does not know (${element.type})`);
  }
}

function checkOption(option: Json, where: string, check: Check): void {
  textWithin(option.text, LIMITS.optionText, `${where} text`, check);
  check(typeof option.value === 'string' && option.value.length <= LIMITS.optionValue, `${where}: value`);
  if (option.description) textWithin(option.description, LIMITS.optionDescription, `${where} description`, check);
}

function checkConfirm(confirm: Json, where: string, check: Check): void {
  textWithin(confirm.title, LIMITS.confirmTitle, `${where} title`, check, 'plain_text');
  textWithin(confirm.text, LIMITS.confirmText, `${where} text`, check);
  textWithin(confirm.confirm, LIMITS.confirmButton, `${where} confirm`, check, 'plain_text');
  textWithin(confirm.deny, LIMITS.confirmButton, `${where} deny`, check, 'plain_text');
}

function textWithin(text: Json | undefined, limit: number, where: string, check: Check, type?: 'plain_text'): void {
  if (!text || typeof text.text !== 'string') {
    check(false, `${where}: missing`);
    return;
  }
  check(text.type === 'plain_text' || text.type === 'mrkdwn', `${where}: not a text object`);
  if (type) check(text.type === type, `${where}: must be ${type}`);
  check(text.text.length >= 1, `${where}: empty`);
  check(text.text.length <= limit, `${where}: ${text.text.length} characters (at most ${limit})`);
}

/** Fails the test with every problem named. */
export function expectWithinBlockKit(payload: Json, surface: Surface): void {
  const problems = blockKitProblems(payload, surface);
  if (problems.length > 0) throw new Error(`Block Kit limits broken:\n  ${problems.join('\n  ')}`);
}

/** Methods whose arguments carry a message's text and blocks, or a view. */
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);
const VIEW_METHODS = new Set(['views.publish', 'views.open', 'views.update', 'views.push']);

/**
 * Every payload the app sent to the fake Slack (messages, views) and to response_urls, each with its problems: the
 * tests expect none. `blocks` arrive as JSON text in form-encoded calls; the fake parses them.
 */
export function payloadProblems(
  calls: Array<{ method: string; args: Json }>,
  responses: Array<{ body: Json }> = [],
): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    if (MESSAGE_METHODS.has(call.method)) {
      for (const p of blockKitProblems(call.args, 'message')) problems.push(`${call.method}: ${p}`);
    } else if (VIEW_METHODS.has(call.method)) {
      const view = (call.args.view ?? {}) as Json;
      const surface: Surface = view.type === 'home' ? 'home' : 'modal';
      for (const p of blockKitProblems(view, surface)) problems.push(`${call.method}: ${p}`);
    }
  }
  for (const response of responses) {
    if (response.body && typeof response.body === 'object') {
      for (const p of blockKitProblems(response.body, 'message')) problems.push(`response_url: ${p}`);
    }
  }
  return problems;
}
