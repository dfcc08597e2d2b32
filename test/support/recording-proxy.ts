import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';

/** One request a client sent through the proxy: a tunnel (`CONNECT host:port`) or a plain one with an absolute URI. */
export interface ProxiedRequest {
  method: string;
  /** `host:port` of a tunnel, or the absolute URI asked for. */
  target: string;
  /** The port the request was for (the peer behind the proxy). */
  port: number;
}

/**
 * A forward proxy on loopback that records what goes through it: `CONNECT` tunnels (what undici's `ProxyAgent` opens,
 * for `https:` and by default for `http:` too) and plain requests with an absolute URI. It forwards both to their
 * target, so the app behind it works as it would without it.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(server);
    server.on('request', (req, res) => proxy.forward(req, res));
    server.on('connect', (req, client: Socket, head: Buffer) => proxy.tunnel(req, client, head));
    server.on('connection', (socket: Socket) => proxy.track(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests that went to a peer on `port`. */
  to(port: number): ProxiedRequest[] {
    return this.requests.filter((r) => r.port === port);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    const target = req.url ?? '';
    const [host = '', port = '443'] = target.split(':');
    this.requests.push({ method: 'CONNECT', target, port: Number(port) });
    let established = false;
    const upstream = connect(Number(port), host, () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.track(upstream);
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    // As a real proxy does: a tunnel it could not open is answered 502, not dropped.
    upstream.on('error', () => (established ? end() : client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')));
    client.on('error', end);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('a proxy needs an absolute URI');
      return;
    }
    this.requests.push({ method: req.method ?? 'GET', target: url.href, port: Number(url.port || 80) });
    const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }
}
