import type { Config } from '../config';
import type { DevinClient } from '../devin/devin-client';
import type { Logger } from '../logger';
import { DevinAttachments } from './devin-attachments';
import { fileLimits } from './file-limits';
import { SlackFilesToDevin } from './files-to-devin';
import { SlackFileDownload } from './slack-file-download';

export interface FileRelayDeps {
  config: Config;
  devin: Pick<DevinClient, 'uploadAttachment' | 'openAttachment'>;
  log: Logger;
}

/** Files shared in Slack, on their way to Devin (`toDevin`). */
export function createFileRelay(deps: FileRelayDeps): { toDevin: SlackFilesToDevin } {
  const { config, log } = deps;
  const limits = fileLimits(config.files.maxMb);
  const devin = new DevinAttachments({
    devin: deps.devin,
    apiUrl: config.devin.apiUrl,
    storageHosts: config.files.devinHosts,
  });
  const idleTimeoutMs = config.devin.requestTimeoutMs;
  const download = new SlackFileDownload({
    botToken: config.slack.botToken,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
  });
  return { toDevin: new SlackFilesToDevin({ download, devin, limits, idleTimeoutMs, log }) };
}
