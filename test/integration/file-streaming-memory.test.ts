import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, appEnv } from '../support/app-process';
import { FakeDevin } from '../support/fake-devin';
import { FakeSlack } from '../support/fake-slack';
import { recordFigure } from '../support/figures';
import { patternSha256 } from '../support/file-bytes';
import { BOT_TOKEN, DEVIN_KEY } from '../support/harness';
import { peakRssDelta } from '../support/process-memory';
import { fixtureEvent } from '../support/slack-signing';

// The real app in a child process, a 50 MB file streamed from the fake Slack (made as it is sent) to the fake Devin
// (hashed as it arrives): the app's memory must not grow with the file.
jest.setTimeout(90_000);

const MB = 1024 * 1024;
const FILE_BYTES = 50 * MB;
/** Generous: the file is 50 MB; holding it whole would cost at least that. */
const PEAK_BOUND = 40 * MB;

let slack: FakeSlack;
let devin: FakeDevin;
let dir: string;

beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.fileToken = BOT_TOKEN;
  devin = await FakeDevin.start({ apiKey: DEVIN_KEY });
  dir = mkdtempSync(join(tmpdir(), 'devin-slack-files-'));
});

afterAll(async () => {
  await AppProcess.killAll();
  await slack.close();
  await devin.close();
  rmSync(dir, { recursive: true, force: true });
});

it('streams a 50 MB file from Slack to Devin with the memory of the app flat', async () => {
  const app = await AppProcess.start(
    appEnv(slack, devin, `sqlite://${join(dir, 'store.sqlite')}`, { MAX_FILE_MB: '64', LOG_LEVEL: 'info' }),
  );
  const pid = app.child.pid;
  if (pid === undefined) throw new Error('no pid');
  const sessionId = devin.addSession().session_id;
  const threadTs = await app.linkSession(slack, sessionId);
  const send = async (name: string, size: number) => {
    const file = slack.addFile({ name, size });
    const answer = await app.event(fixtureEvent('file-share', { thread_ts: threadTs, text: name, files: [file] }));
    expect(answer.status).toBe(200);
  };

  // The same path once before measuring, with a file large enough that the heap and the buffers of a transfer in
  // full flow are in use already: what is measured then is what the larger file adds.
  await send('warm-up.bin', 10 * MB);
  await devin.waitForDelivered(sessionId, 1, 20_000);

  const started = Date.now();
  const measured = await peakRssDelta(pid, async () => {
    await send('big.bin', FILE_BYTES);
    return devin.waitForDelivered(sessionId, 2, 60_000);
  });
  const ms = Date.now() - started;
  const [, big] = devin.uploads;
  expect(big?.size).toBe(FILE_BYTES);
  expect(big?.sha256).toBe(await patternSha256(FILE_BYTES));
  expect(measured.result[1]).toContain(`ATTACHMENT:"${big?.url}"`);

  recordFigure('50 MB file from Slack to Devin', ms, {
    rssBeforeMb: +(measured.before / MB).toFixed(1),
    peakRssDeltaMb: +(measured.delta / MB).toFixed(1),
    exact: measured.exact,
  });
  expect(measured.delta).toBeLessThan(PEAK_BOUND);
});
