import { Harness } from '../support/harness';
import { withoutOrigin } from '../support/prompts';
import { appMentionEvent, messageEvent } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

const creates = () => h.devin.requests.filter((r) => r.method === 'POST' && /\/sessions$/.test(r.path));
let counter = 0;

/** `/devin <text>` as U1 in C1; resolves with the private answer on its response_url. */
async function command(text: string): Promise<string> {
  counter += 1;
  const name = `opt-${counter}`;
  const res = await h.command(text, { response_url: h.slack.responseUrl(name) });
  expect(res.status).toBe(200);
  const immediate = res.body ? (JSON.parse(res.body) as { text?: string }).text : undefined;
  if (immediate) return immediate;
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  return String(answer.body.text);
}

/** A mention in C1; resolves once the start settled, with the app's posts in its thread. */
async function mention(text: string): Promise<string[]> {
  const event = appMentionEvent({ text: `<@UBOT> ${text}` });
  expect((await h.event(event)).status).toBe(200);
  await h.idle();
  return h.posted(String(event.event.ts));
}

const PLAYBOOKS = [
  { playbook_id: 'playbook-fixci', title: 'Fix CI', macro: '!fixci' },
  { playbook_id: 'playbook-rel1', title: 'Release notes', macro: null },
  { playbook_id: 'playbook-rel2', title: 'Release checklist', macro: null },
];

describe.each(['v1', 'v3'] as const)('start options on API %s', (version) => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: version, env: { DEVIN_MAX_ACU_LIMIT: '20' } });
    h.devin.playbooks.push(...PLAYBOOKS);
  });

  it('takes playbook, tag and acu out of a mention, sends them to Devin, and shows them', async () => {
    const posts = await mention('fix the build playbook:"Fix CI" tag:ci tag:urgent acu:5 see: the log');
    const [create, ...more] = creates();
    expect(more).toEqual([]);
    expect(withoutOrigin(String(create?.body.prompt))).toBe('Alice (@alice, U1) via Slack: fix the build see: the log');
    expect(create?.body).toMatchObject({ playbook_id: 'playbook-fixci', max_acu_limit: 5 });
    expect(create?.body.tags).toEqual(expect.arrayContaining(['ci', 'urgent']));
    expect(posts[0]).toContain('Options: playbook `Fix CI` (`playbook-fixci`) · tag `ci`, `urgent` · up to 5 ACUs');
  });

  it('finds a playbook by its macro, and takes an id as it is', async () => {
    await mention('one playbook:!fixci');
    await mention('two playbook:playbook-other');
    expect(creates().map((c) => c.body.playbook_id)).toEqual(['playbook-fixci', 'playbook-other']);
  });

  it('lists the playbooks once within the cache time', async () => {
    await mention('one playbook:"fix ci"');
    await mention('two playbook:"Fix CI"');
    expect(h.devin.requests.filter((r) => r.path.endsWith('/playbooks'))).toHaveLength(1);
    expect(creates()).toHaveLength(2);
  });

  it.each([
    [
      'playbook:nothing',
      /^:warning: I couldn't start a Devin session: No playbook matches `nothing`\. Some there are: Fix CI \(playbook-fixci\), Release notes/,
    ],
    [
      'playbook:release',
      /Several playbooks match `release`: Release notes \(playbook-rel1\), Release checklist \(playbook-rel2\); give its full title or its id/,
    ],
    ['acu:50', /`acu:50` is more than the 20 ACUs a session may spend here; give at most `acu:20`\./],
    ['acu:ten', /`acu:` takes a whole number of ACUs above 0, such as `acu:10`, not `ten`\./],
    ['mode:turbo', /`mode:` takes `fast` or `normal`, not `turbo`\./],
    ['repo:not-a-repo', /`repo:` takes a repository as owner\/name, such as `repo:acme\/web`, not `not-a-repo`\./],
  ])('answers %s with one clear sentence and starts nothing', async (option, sentence) => {
    const posts = await mention(`fix the build ${option}`);
    expect(creates()).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(sentence);
  });

  it('keeps unknown word: tokens and options inside code in the task', async () => {
    await mention('fix note:this and `acu:3` url:https://x.y');
    const [create] = creates();
    expect(withoutOrigin(String(create?.body.prompt))).toContain('fix note:this and `acu:3` url:');
    expect(create?.body.max_acu_limit).toBe(20);
  });

  it('takes options in /devin new and in a direct message', async () => {
    expect(await command('new fix the build tag:cmd acu:7')).toContain('Started');
    await h.idle();
    const dm = messageEvent({ channel: 'D1', channel_type: 'im', text: 'fix it tag:dm' });
    await h.event(dm);
    await h.idle();
    const [first, second] = creates();
    expect(first?.body).toMatchObject({ max_acu_limit: 7 });
    expect(first?.body.tags).toContain('cmd');
    expect(second?.body.tags).toContain('dm');
    const posted = h.slack.calls.find((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    const root = h.rootUpdates(String(posted?.answer?.ts));
    expect(root.join('\n')).toContain('tag `cmd`');
  });
});

describe('options one API version cannot carry', () => {
  it('v1: repo and mode are answered, nothing started', async () => {
    h = await Harness.start({ devinVersion: 'v1' });
    const posts = await mention('fix repo:acme/web mode:fast');
    expect(creates()).toEqual([]);
    expect(posts[0]).toContain("Devin's API v1 takes no `repo:`, `mode:` at a session's start");
  });

  it('v1: a snapshot id is sent as snapshot_id; a name gets a sentence', async () => {
    h = await Harness.start({ devinVersion: 'v1' });
    await mention('fix snapshot:snapshot-abc123');
    expect(creates()[0]?.body.snapshot_id).toBe('snapshot-abc123');
    const posts = await mention('fix snapshot:"Base image"');
    expect(creates()).toHaveLength(1);
    expect(posts[0]).toContain("Devin's API offers no list of snapshots to look up `Base image` in");
  });

  it('v3: repo and mode reach Devin as repos and devin_mode; snapshot is answered', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    await mention('fix repo:acme/web repo:acme/api mode:fast');
    expect(creates()[0]?.body).toMatchObject({ repos: ['acme/web', 'acme/api'], devin_mode: 'fast' });
    const posts = await mention('fix snapshot:snapshot-abc123');
    expect(creates()).toHaveLength(1);
    expect(posts[0]).toContain("Devin's API v3 takes no `snapshot:` at a session's start");
  });
});

describe('playbook lookups on API v3', () => {
  it('reads every page of playbooks', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    for (let i = 0; i < 250; i += 1)
      h.devin.playbooks.push({ playbook_id: `playbook-${i}`, title: `Playbook number ${i}` });
    await mention('fix playbook:"Playbook number 249"');
    expect(creates()[0]?.body.playbook_id).toBe('playbook-249');
    expect(h.devin.requests.filter((r) => r.path.endsWith('/playbooks'))).toHaveLength(2);
  });

  it('names the permission the service user lacks, and starts nothing', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    h.devin.v3?.permissions.delete('ManageAccountPlaybooks');
    const posts = await mention('fix playbook:"Fix CI"');
    expect(creates()).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(/^:warning: I couldn't start a Devin session: .*ManageAccountPlaybooks/);
  });
});
