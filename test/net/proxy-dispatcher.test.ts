import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchThrough, proxyDispatcher } from '../../src/net/proxy-dispatcher';
import { RecordingProxy } from '../support/recording-proxy';

let proxy: RecordingProxy;
let server: Server;
let received: Array<{ type: string; body: string }>;
beforeEach(async () => {
  proxy = await RecordingProxy.start();
  received = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ type: req.headers['content-type'] ?? '', body });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await proxy.close();
  await new Promise((resolve) => server.close(resolve));
});

const serverUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/files.upload`;

describe('proxyDispatcher', () => {
  it('is none without a proxy', () => {
    expect(proxyDispatcher({})).toBeUndefined();
    expect(proxyDispatcher({ noProxy: '*' })).toBeUndefined();
  });
});

describe('fetchThrough', () => {
  it("is Node's own fetch without a dispatcher", () => {
    expect(fetchThrough(undefined)).toBe(globalThis.fetch);
  });

  it("sends Node's FormData as multipart through the proxy, not as the text [object FormData]", async () => {
    const dispatcher = proxyDispatcher({ httpProxy: proxy.url });
    const form = new FormData();
    form.append('channels', 'C1');
    form.append('file', new Blob(['file bytes']), 'notes.txt');
    const res = await fetchThrough(dispatcher)(serverUrl(), { method: 'POST', body: form });
    expect(await res.json()).toEqual({ ok: true });
    expect(received[0]?.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(received[0]?.body).toContain('filename="notes.txt"');
    expect(received[0]?.body).toContain('file bytes');
    expect(proxy.requests).toHaveLength(1);
    await dispatcher?.close();
  });
});
