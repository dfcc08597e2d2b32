/**
 * The bare forwarder the bridge is measured against: verifies Slack's signature, parses the event, looks the thread
 * up, answers 200 and POSTs the text to Devin over keep-alive connections. No order, no dedupe, no durability.
 * Started by bench/run.ts with PORT, SLACK_SIGNING_SECRET, DEVIN_API_URL and DEVIN_API_KEY; the bench fills the
 * thread -> session map through `POST /bench/threads` before the run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'undici';

const { PORT = '0', SLACK_SIGNING_SECRET = '', DEVIN_API_URL = '', DEVIN_API_KEY = '' } = process.env;
const devin = new Pool(DEVIN_API_URL, { connections: 32 });
const authorization = `Bearer ${DEVIN_API_KEY}`;
/** thread_ts -> Devin session id */
const threads = new Map();
let relayFailures = 0;

function signedBySlack(headers, raw) {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const digest = createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${raw}`).digest('hex');
  const expected = Buffer.from(`v0=${digest}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function relay(sessionId, message) {
  devin
    .request({
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/message`,
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    })
    .then((res) => res.body.dump())
    .catch((error) => {
      relayFailures += 1;
      if (relayFailures <= 5) process.stderr.write(`relay to ${sessionId} failed: ${error.message}\n`);
    });
}

function answer(res, status, body = '') {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

function handle(req, res, raw) {
  if (req.method === 'GET' && req.url === '/healthz') return answer(res, 200, 'ok');
  if (req.method === 'POST' && req.url === '/bench/threads') {
    for (const [threadTs, sessionId] of Object.entries(JSON.parse(raw))) threads.set(threadTs, sessionId);
    return answer(res, 200, String(threads.size));
  }
  if (req.method !== 'POST' || req.url !== '/slack/events') return answer(res, 404);
  if (!signedBySlack(req.headers, raw)) return answer(res, 401);
  const payload = JSON.parse(raw);
  if (payload.type === 'url_verification') return answer(res, 200, payload.challenge);
  const event = payload.event ?? {};
  const sessionId = typeof event.thread_ts === 'string' ? threads.get(event.thread_ts) : undefined;
  answer(res, 200);
  if (event.type === 'message' && !event.subtype && sessionId && typeof event.text === 'string') {
    relay(sessionId, event.text);
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      answer(res, 400, String(error));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(PORT), '127.0.0.1');

function stop() {
  server.close();
  server.closeAllConnections();
  devin.close().finally(() => process.exit(relayFailures > 0 ? 1 : 0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
