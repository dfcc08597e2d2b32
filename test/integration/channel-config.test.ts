import { Harness } from '../support/harness';
import { freshRedisUrl } from '../support/redis-test-url';
import { appMentionEvent } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

const creates = () => h.devin.requests.filter((r) => r.method === 'POST' && /\/sessions$/.test(r.path));
let counter = 0;

/** `/devin <text>` (as U1 in C1 unless overridden); resolves with the private answer. */
async function command(text: string, overrides: Record<string, string> = {}): Promise<string> {
  counter += 1;
  const name = `config-${counter}`;
  const res = await h.command(text, { response_url: h.slack.responseUrl(name), ...overrides });
  expect(res.status).toBe(200);
  const immediate = res.body ? (JSON.parse(res.body) as { text?: string }).text : undefined;
  if (immediate) return immediate;
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(answer.body.response_type).toBe('ephemeral');
  return String(answer.body.text);
}

async function mention(text: string, channel = 'C1'): Promise<string[]> {
  const event = appMentionEvent({ text: `<@UBOT> ${text}`, channel });
  expect((await h.event(event)).status).toBe(200);
  await h.idle();
  return h.posted(String(event.event.ts));
}

describe.each(['v1', 'v3'] as const)('/devin config on API %s', (version) => {
  beforeEach(async () => {
    h = await Harness.start({ devinVersion: version, env: { DEVIN_MAX_ACU_LIMIT: '30' } });
    h.devin.playbooks.push({ playbook_id: 'playbook-fixci', title: 'Fix CI' });
  });

  it('shows that a channel has no defaults, sets some, and shows them', async () => {
    expect(await command('config')).toMatch(/^This channel has no defaults for Devin sessions; set some with `/);
    const saved = await command('config playbook:"Fix CI" tag:team acu:10');
    expect(saved).toBe(
      'Saved. Defaults for sessions started in this channel: playbook `Fix CI` (`playbook-fixci`) · tag `team` · ' +
        'up to 10 ACUs\nOptions given at a start win over them; `/devin config clear [key]` removes them.',
    );
    expect(await command('config')).toContain('playbook `Fix CI`');
  });

  it('applies the defaults to starts in that channel only; options at a start win', async () => {
    await command('config playbook:"Fix CI" tag:team acu:10');
    await mention('fix one');
    await mention('fix two tag:mine acu:4');
    await mention('fix three', 'C2');
    const [one, two, three] = creates().map((c) => c.body);
    expect(one).toMatchObject({ playbook_id: 'playbook-fixci', max_acu_limit: 10 });
    expect(one?.tags).toContain('team');
    expect(two).toMatchObject({ playbook_id: 'playbook-fixci', max_acu_limit: 4 });
    expect(two?.tags).toContain('mine');
    expect(two?.tags).not.toContain('team');
    expect(three?.playbook_id).toBeUndefined();
    expect(three?.max_acu_limit).toBe(30);
  });

  it('clears one key, then all', async () => {
    await command('config playbook:"Fix CI" tag:team');
    expect(await command('config clear tag')).toMatch(
      /^Cleared\. Defaults for sessions started in this channel: playbook `Fix CI`/,
    );
    expect(await command('config clear')).toMatch(/^Cleared\. This channel has no defaults/);
    await mention('fix it');
    expect(creates()[0]?.body.playbook_id).toBeUndefined();
  });

  it.each([
    ['config playbook:nothing', /^No playbook matches `nothing`\. .* Nothing was changed\.$/],
    ['config acu:99', /more than the 30 ACUs .* Nothing was changed\.$/],
    ['config mode:slow', /`mode:` takes `fast` or `normal`, not `slow`\. Nothing was changed\./],
    ['config hello', /^`\/devin config` takes start options such as `.*`\. `hello` is not one of them\.$/],
    ['config clear colour', /^`\/devin config clear` takes one of `playbook`, .* not `colour`\.$/],
  ])('answers %s with a clear sentence and changes nothing', async (text, sentence) => {
    expect(await command(text)).toMatch(sentence);
    expect(await command('config')).toMatch(/^This channel has no defaults/);
  });
});

describe("who may change a channel's defaults", () => {
  it('with ADMIN_USER_IDS, only admins: others get one sentence, and may still look', async () => {
    h = await Harness.start({ env: { ADMIN_USER_IDS: 'UADMIN' } });
    expect(await command('config tag:x')).toBe(
      "Only admins can change this channel's Devin settings; nothing was changed.",
    );
    expect(await command('config clear')).toBe(
      "Only admins can change this channel's Devin settings; nothing was changed.",
    );
    expect(await command('config')).toMatch(/^This channel has no defaults/);
    expect(await command('config tag:x', { user_id: 'UADMIN' })).toMatch(/^Saved\./);
  });

  it('without admins, whoever may use Devin in the channel; a channel outside the allowlist is refused', async () => {
    h = await Harness.start({ env: { ALLOWED_CHANNEL_IDS: 'C1' } });
    expect(await command('config tag:x')).toMatch(/^Saved\./);
    expect(await command('config tag:x', { channel_id: 'C9' })).toBe(
      'Devin is not enabled in this channel, so nothing was sent to Devin.',
    );
  });

  it('a v1 channel refuses defaults API v1 cannot carry', async () => {
    h = await Harness.start({ devinVersion: 'v1' });
    expect(await command('config repo:acme/web')).toMatch(
      /^Devin's API v1 takes no `repo:` at a session's start.*Nothing was changed\.$/,
    );
  });
});

describe('channel defaults on Redis', () => {
  it('are kept in the shared store: a second replica applies them', async () => {
    const storeUrl = await freshRedisUrl(7);
    h = await Harness.start({ storeUrl });
    const other = await Harness.start({ storeUrl, slack: h.slack, devin: h.devin });
    try {
      await command('config tag:shared acu:6');
      const event = appMentionEvent({ text: '<@UBOT> fix it' });
      await other.event(event);
      await other.idle();
      expect(creates()[0]?.body).toMatchObject({ tags: ['shared'], max_acu_limit: 6 });
    } finally {
      await other.stopApp();
    }
  });
});
