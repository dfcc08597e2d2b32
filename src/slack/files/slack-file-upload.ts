import { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { type Dispatcher, request } from 'undici';
import type { ThreadRef } from '../../relay/model/threads';

export interface SlackFileUploadDeps {
  client: webApi.WebClient;
  /** Runs the call that posts the file in the channel in that channel's turn and pace (the feedback queue's lane). */
  paced: <T>(thread: ThreadRef, send: () => Promise<T>) => Promise<T>;
  dispatcher?: Dispatcher;
}

/** The upload URL Slack gave did not take the bytes. */
export class SlackUploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackUploadError';
  }
}

/**
 * Puts a file in a thread with Slack's external upload flow (scope `files:write`): `files.getUploadURLExternal` with its
 * name and length, the bytes streamed to the URL it gives, then `files.completeUploadExternal` with the channel and
 * the thread, which posts it.
 */
export class SlackFileUpload {
  constructor(private readonly deps: SlackFileUploadDeps) {}

  async upload(
    thread: ThreadRef,
    file: { name: string; length: number; body: AsyncIterable<Uint8Array> },
    signal: AbortSignal,
  ): Promise<void> {
    const ticket = await this.deps.client.files.getUploadURLExternal({ filename: file.name, length: file.length });
    if (!ticket.upload_url || !ticket.file_id) throw new SlackUploadError('Slack gave no upload URL');
    const body = Readable.from(file.body, { objectMode: false });
    try {
      const answer = await request(ticket.upload_url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.length) },
        body,
        signal,
        ...(this.deps.dispatcher ? { dispatcher: this.deps.dispatcher } : {}),
      });
      await answer.body.dump();
      if (answer.statusCode !== 200) {
        throw new SlackUploadError(`Slack's upload URL answered HTTP ${answer.statusCode}`, answer.statusCode);
      }
    } catch (error) {
      if (error instanceof SlackUploadError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new SlackUploadError(`sending the file to Slack failed: ${reason}`, undefined, { cause: error });
    } finally {
      body.destroy();
    }
    const fileId = ticket.file_id;
    await this.deps.paced(thread, () =>
      this.deps.client.files.completeUploadExternal({
        files: [{ id: fileId, title: file.name }],
        channel_id: thread.channel,
        thread_ts: thread.threadTs,
      }),
    );
  }
}
