// biome-ignore lint/suspicious/noExplicitAny: Block Kit payloads are free-form JSON
type Json = Record<string, any>;

/**
 * Block Kit's published limits (docs.slack.dev/reference/block-kit): what Slack refuses with `invalid_blocks`, checked
 * here so that a payload that would be refused fails a test instead.
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

const L = BLOCK_KIT_LIMITS;

/** The ways a message (`text`, `blocks`) or a view (`blocks`) breaks Block Kit's limits; empty when it keeps them. */
export function blockKitProblems(payload: Json, kind: 'message' | 'view' = 'message'): string[] {
  const problems: string[] = [];
  const over = (what: string, value: unknown, max: number) => {
    const length = typeof value === 'string' ? value.length : Number.NaN;
    if (!(length <= max)) problems.push(`${what}: ${Number.isNaN(length) ? 'missing' : `${length} > ${max}`}`);
  };
  const plain = (what: string, text: Json | undefined, max: number) => {
    if (text?.type !== 'plain_text') problems.push(`${what}: must be plain_text`);
    over(`${what} text`, text?.text, max);
  };
  const textObject = (what: string, text: Json | undefined, max: number) => {
    if (text?.type !== 'plain_text' && text?.type !== 'mrkdwn') problems.push(`${what}: not a text object`);
    over(`${what} text`, text?.text, max);
  };
  if (kind === 'message' && payload.text !== undefined) over('text', payload.text, L.messageText);
  const blocks: Json[] = payload.blocks ?? [];
  if (!Array.isArray(blocks)) return ['blocks: not an array'];
  const maxBlocks = kind === 'view' ? L.viewBlocks : L.messageBlocks;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  for (const [i, block] of blocks.entries()) {
    const at = `blocks[${i}] (${block.type})`;
    if (block.block_id !== undefined) over(`${at} block_id`, block.block_id, L.blockId);
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: needs text or fields`);
        if (block.text !== undefined) textObject(at, block.text, L.sectionText);
        if (block.fields !== undefined) {
          if (block.fields.length > L.sectionFields) problems.push(`${at}: ${block.fields.length} fields`);
          for (const [f, field] of block.fields.entries()) textObject(`${at} field ${f}`, field, L.fieldText);
        }
        if (block.accessory?.type === 'button') button(`${at} accessory`, block.accessory, problems, over, plain);
        break;
      case 'header':
        plain(at, block.text, L.headerText);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0) problems.push(`${at}: no elements`);
        else if (block.elements.length > L.contextElements) problems.push(`${at}: ${block.elements.length} elements`);
        for (const [e, element] of (block.elements ?? []).entries()) {
          if (element.type !== 'image') textObject(`${at} element ${e}`, element, L.contextText);
        }
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) problems.push(`${at}: no elements`);
        else if (block.elements.length > L.actionsElements) problems.push(`${at}: ${block.elements.length} elements`);
        for (const [e, element] of (block.elements ?? []).entries()) {
          if (element.type === 'button') button(`${at} element ${e}`, element, problems, over, plain);
          else if (element.action_id !== undefined) over(`${at} element ${e} action_id`, element.action_id, L.actionId);
        }
        break;
      case 'divider':
      case 'rich_text':
      case 'image':
        break;
      default:
        problems.push(`${at}: unknown block type`);
    }
  }
  return problems;
}

function button(
  at: string,
  element: Json,
  problems: string[],
  over: (what: string, value: unknown, max: number) => void,
  plain: (what: string, text: Json | undefined, max: number) => void,
): void {
  plain(at, element.text, L.buttonText);
  if (element.action_id !== undefined) over(`${at} action_id`, element.action_id, L.actionId);
  if (element.value !== undefined) over(`${at} value`, element.value, L.buttonValue);
  if (element.url !== undefined) {
    over(`${at} url`, element.url, L.buttonUrl);
    if (!/^https?:\/\/\S+$/.test(String(element.url))) problems.push(`${at} url: not a web address`);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    problems.push(`${at} style: ${element.style}`);
  }
  const confirm: Json | undefined = element.confirm;
  if (confirm === undefined) return;
  if (confirm.title !== undefined) plain(`${at} confirm title`, confirm.title, L.confirmTitle);
  if (confirm.text?.type !== 'plain_text' && confirm.text?.type !== 'mrkdwn')
    problems.push(`${at} confirm text: missing`);
  over(`${at} confirm text`, confirm.text?.text, L.confirmText);
  if (confirm.confirm !== undefined) plain(`${at} confirm button`, confirm.confirm, L.confirmButton);
  if (confirm.deny !== undefined) plain(`${at} deny button`, confirm.deny, L.confirmButton);
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
      for (const p of blockKitProblems(call.args.view ?? {}, 'view')) problems.push(`${call.method}: ${p}`);
    }
  }
  for (const response of responses) {
    if (response.body && typeof response.body === 'object') {
      for (const p of blockKitProblems(response.body, 'message')) problems.push(`response_url: ${p}`);
    }
  }
  return problems;
}
