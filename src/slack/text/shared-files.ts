import type { SharedFile } from '../../relay/model/replies';

/**
 * The files of a Slack message (`event.files`) as the app keeps them: what is needed to fetch each later (its id,
 * name, size, type and `url_private_download`). Anything that is not a file object is left out.
 */
export function sharedFiles(files: unknown): SharedFile[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((file): SharedFile[] => {
    if (!file || typeof file !== 'object') return [];
    const f = file as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const url = text(f.url_private_download) ?? text(f.url_private);
    const shared: SharedFile = {
      ...(text(f.id) ? { id: text(f.id) } : {}),
      ...(text(f.name) ? { name: text(f.name) } : {}),
      ...(text(f.title) ? { title: text(f.title) } : {}),
      ...(typeof f.size === 'number' && Number.isFinite(f.size) && f.size >= 0 ? { size: f.size } : {}),
      ...(text(f.mimetype) ? { mimetype: text(f.mimetype) } : {}),
      ...(url ? { url } : {}),
    };
    return [shared];
  });
}
