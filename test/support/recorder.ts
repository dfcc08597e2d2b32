import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A server nothing of the app's should reach: it records every connection made to it and every request's headers, so
 * that a test can say no key, no token (and no connection at all) ever arrived there.
 */
export class Recorder {
  readonly requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
  connections = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<Recorder> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const recorder = new Recorder(server, (server.address() as AddressInfo).port);
    server.on('connection', () => {
      recorder.connections += 1;
    });
    server.on('request', (req, res) => {
      recorder.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '6' });
      res.end('stolen');
    });
    return recorder;
  }

  /** `127.0.0.1:<port>` */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Every header value it was sent, for looking for a secret. */
  headerValues(): string[] {
    return this.requests.flatMap((r) => Object.values(r.headers).flatMap((v) => (Array.isArray(v) ? v : [v ?? ''])));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
