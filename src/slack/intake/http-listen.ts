import type { Server } from 'node:http';

/** Starts `server` on `port` (0 picks a free one); rejects when it cannot listen (the port is taken). */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
