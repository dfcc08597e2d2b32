import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Config } from '../../config/config-types';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { DevinApi } from '../../relay/ports/devin';
import type { SlackFeedback } from '../outbound/slack-feedback';
import { fileLimits } from './file-limits';
import { DevinFilesToSlack } from './files-from-devin';
import { SlackFilesToDevin } from './files-to-devin';
import { SlackFileDownload } from './slack-file-download';
import { SlackFileUpload } from './slack-file-upload';

export interface FileRelayDeps {
  config: Config;
  client: webApi.WebClient;
  devin: Pick<DevinApi, 'uploadAttachment' | 'openAttachment'>;
  feedback: Pick<SlackFeedback, 'paced' | 'postInThread'>;
  clock: Clock;
  log: Logger;
  /** The proxy that downloads and uploads go through, if any. */
  dispatcher?: Dispatcher | undefined;
}

/** Files both ways: Slack's to Devin (`toDevin`), Devin's attachments into threads (`fromDevin`). */
export function createFileRelay(deps: FileRelayDeps): { toDevin: SlackFilesToDevin; fromDevin: DevinFilesToSlack } {
  const { config, log } = deps;
  const limits = fileLimits(config.files.maxMb);
  const { devin } = deps;
  const idleTimeoutMs = config.devin.requestTimeoutMs;
  const download = new SlackFileDownload({
    botToken: config.slack.botToken,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  const upload = new SlackFileUpload({
    client: deps.client,
    paced: (thread, send) => deps.feedback.paced(thread, send),
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  return {
    toDevin: new SlackFilesToDevin({ download, devin, limits, idleTimeoutMs, log }),
    fromDevin: new DevinFilesToSlack({
      devin,
      upload,
      post: (thread, text) => deps.feedback.postInThread(thread, text),
      limits,
      idleTimeoutMs,
      sleep: (ms) => deps.clock.sleep(ms),
      log,
    }),
  };
}
