import type { types, webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../lib/logger';
import { respondTo } from './response-url';

/** Where a person who used a shortcut or a form is answered, for them only. */
export interface PrivateAnswer {
  userId: string;
  /** The conversation they acted in, and the thread there (the answer shows in it). */
  channel?: string;
  threadTs?: string;
  /** The shortcut's response_url: it reaches them even where the app is not a member. */
  responseUrl?: string;
}

/**
 * Tells one person something only they see: an ephemeral message where they acted (in the thread), else through the
 * shortcut's response_url (a channel the app is not in), else in their direct messages with the app. A failure of all
 * three is logged; nothing waits on it but the work that asked.
 */
export async function tellPrivately(
  deps: { client: webApi.WebClient; log: Logger; dispatcher?: Dispatcher | undefined },
  to: PrivateAnswer,
  text: string,
  blocks?: types.KnownBlock[],
): Promise<void> {
  const content = { text, ...(blocks ? { blocks } : {}) };
  const tries: Array<() => Promise<unknown>> = [];
  if (to.channel) {
    const { channel, threadTs } = to;
    tries.push(() =>
      deps.client.chat.postEphemeral({
        channel,
        user: to.userId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...content,
      }),
    );
  }
  if (to.responseUrl) {
    const { responseUrl } = to;
    tries.push(() => respondTo(responseUrl, text, blocks, deps.dispatcher));
  }
  tries.push(() => deps.client.chat.postMessage({ channel: to.userId, ...content, unfurl_links: false }));
  for (const attempt of tries) {
    try {
      await attempt();
      return;
    } catch (error) {
      deps.log.debug({ user_id: to.userId, channel_id: to.channel, err: error }, 'could not answer privately that way');
    }
  }
  deps.log.warn({ user_id: to.userId, channel_id: to.channel }, 'could not answer a person privately');
}
