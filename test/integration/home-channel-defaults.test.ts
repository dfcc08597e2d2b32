import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';
import { appHomeOpened, type Json } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

async function configure(text: string, channel: string): Promise<void> {
  const name = `config-${channel}-${text.length}`;
  await h.command(text, { channel_id: channel, response_url: h.slack.responseUrl(name) });
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(String(answer.body.text)).toMatch(/^Saved\./);
}

async function openHome(user: string): Promise<Json> {
  const before = h.slack.callsTo('views.publish').length;
  await h.event(appHomeOpened({ user }));
  const published = await h.slack.waitForCount('views.publish', before + 1);
  expectWithinBlockKit(published.at(-1)?.view, 'home');
  return published.at(-1)?.view;
}

const sectionTexts = (view: Json): string[] =>
  view.blocks.filter((b: Json) => b.type === 'section').map((b: Json) => String(b.text.text));

describe('App Home: channel defaults', () => {
  it("lists the defaults of the person's channels only, with hostile values escaped and cut", async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    h.slack.members.set('C1', ['U1', 'U2']);
    h.slack.members.set('C2', ['U2']);
    const hostile = `<!channel>&*bold* ${'долгий-тег-🚀 '.repeat(60)}`;
    h.devin.playbooks.push({ playbook_id: 'playbook-long', title: hostile, macro: '!long' });
    await configure('config repo:acme/web tag:<!here>&x playbook:!long mode:fast', 'C1');
    await configure('config acu:5', 'C2');
    const alice = await openHome('U1');
    const line = sectionTexts(alice).find((t) => t.startsWith('• <#C1>'));
    expect(line).toContain('repo `acme/web`');
    expect(line).toContain('playbook `&lt;!channel&gt;&amp;*bold* долгий');
    expect(line).toContain('tag `&lt;!here&gt;&amp;x`');
    expect(line).not.toContain('<!');
    expect(line?.length).toBeLessThan(800);
    expect(line).toContain('mode fast');
    expect(JSON.stringify(alice)).not.toContain('<#C2>');
    const bob = await openHome('U2');
    expect(sectionTexts(bob).join('\n')).toContain('• <#C2> defaults: up to 5 ACUs');
  });

  it('shows no such section when no channel has defaults', async () => {
    h = await Harness.start();
    expect(JSON.stringify(await openHome('U1'))).not.toContain('Channel defaults');
  });
});
