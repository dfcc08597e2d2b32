import type { App, ReceiverEvent } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../lib/logger';
import { isWebUrl } from '../../net/outbound';
import { StoreError } from '../../relay/ports/store';
import { respondTo } from '../outbound/response-url';

/** What the person who ran a command or pressed a button reads when handling it failed. */
export const FAILED_SENTENCE = ':warning: Something went wrong on my side, so that did not work; please try again.';

const MAX_ID_LENGTH = 64;

/** Bolt could not tell what a payload is (no event, command, action or interaction type): HTTP answers 400. */
export class UnknownPayloadError extends Error {
  constructor() {
    super('not a Slack payload this app knows (no event, command, actions or type)');
    this.name = 'UnknownPayloadError';
  }
}

export interface ContainFailuresOptions {
  log: Logger;
  /** What becomes of a payload Bolt cannot type: HTTP rejects it (400), Socket Mode acknowledges it. */
  unknown: 'reject' | 'acknowledge';
  /** The proxy that requests to response URLs go through, if any. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * Bolt's processing of one payload, with the app's rule for failures: only a store outage (a `StoreError`) escapes, so
 * that HTTP answers 5xx and Socket Mode leaves the envelope unacknowledged, and Slack sends the payload again. Anything
 * else, from a listener or from Bolt's own routing of a payload whose fields have the wrong types, is logged once and
 * answered as handled (Slack retries a 5xx and turns event subscriptions off when too many fail); the person who ran a
 * command or pressed a button gets one sentence. A payload nobody acknowledged is acknowledged here, at once, instead
 * of after Bolt's 3 s timeout.
 */
export function containFailures(app: App, options: ContainFailuresOptions): Pick<App, 'processEvent'> {
  const { log } = options;
  return {
    async processEvent(event: ReceiverEvent): Promise<void> {
      let acked = false;
      const ack = async (response?: unknown) => {
        acked = true;
        await event.ack(response);
      };
      const body: unknown = event.body;
      const kind = kindOf(body);
      try {
        await app.processEvent({ ...event, ack });
      } catch (error) {
        const cause = storeOutage(error);
        if (cause) {
          log.error({ err: cause, ...whereFrom(body) }, 'a payload could not be recorded: the store failed');
          throw cause;
        }
        log.error(
          { err: original(error), ...whereFrom(body) },
          'a payload could not be handled; Slack is told it arrived',
        );
        if (kind === 'command' && !acked) {
          await acknowledge(ack, log, { response_type: 'ephemeral', text: FAILED_SENTENCE });
        } else if (kind === 'command' || kind === 'interaction') {
          tellInBackground(log, body, options.dispatcher);
        }
      }
      if (acked) return;
      if (kind === 'unknown' && options.unknown === 'reject') throw new UnknownPayloadError();
      await acknowledge(ack, log);
    },
  };
}

type PayloadKind = 'event' | 'command' | 'interaction' | 'unknown';

/** Interactions Bolt routes by their `type` (besides any body with `actions` or `name`). */
const INTERACTION_TYPES = new Set([
  'block_suggestion',
  'dialog_submission',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
]);

/** As Bolt tells payloads apart (bolt-js `getTypeAndConversation`): what it cannot type, no listener ever sees. */
function kindOf(body: unknown): PayloadKind {
  if (!isRecord(body)) return 'unknown';
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.actions !== undefined || body.name !== undefined) return 'interaction';
  return typeof body.type === 'string' && INTERACTION_TYPES.has(body.type) ? 'interaction' : 'unknown';
}

async function acknowledge(ack: (response?: unknown) => Promise<void>, log: Logger, response?: unknown) {
  try {
    await ack(response);
  } catch (error) {
    log.warn({ err: error }, 'could not acknowledge a payload');
  }
}

function tellInBackground(log: Logger, body: unknown, dispatcher: Dispatcher | undefined): void {
  const url = isRecord(body) ? body.response_url : undefined;
  if (!isWebUrl(url)) return;
  respondTo(url, FAILED_SENTENCE, undefined, dispatcher).catch((error: unknown) =>
    log.warn({ err: error }, 'could not tell the person that their request failed'),
  );
}

/** The `StoreError` behind a failure, looking through Bolt's wrappers (`original`, `originals`) and causes. */
export function storeOutage(error: unknown, depth = 0): StoreError | undefined {
  if (error instanceof StoreError) return error;
  if (!isRecord(error) || depth > 5) return undefined;
  const inner = [error.original, error.cause, ...(Array.isArray(error.originals) ? error.originals : [])];
  for (const candidate of inner) {
    const found = candidate === undefined ? undefined : storeOutage(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Bolt wraps what a listener threw in an `UnknownError`; the log wants what was thrown. */
function original(error: unknown): unknown {
  return isRecord(error) && error.original !== undefined ? error.original : error;
}

/** Ids that say where a payload came from, when they are short strings (never its text). */
function whereFrom(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  const event = isRecord(body.event) ? body.event : {};
  const fields: Record<string, unknown> = {
    team: body.team_id,
    eventId: body.event_id,
    eventType: event.type,
    channel: event.channel ?? body.channel_id,
    command: body.command,
    type: body.type,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length <= MAX_ID_LENGTH,
    ),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
