import { expectWithinBlockKit } from '../support/block-kit-limits';
import { Harness } from '../support/harness';
import { type Json, messageShortcut, nextTs, viewSubmission } from '../support/slack-signing';

let h: Harness;
afterEach(() => h?.close());

const creates = () => h.devin.requests.filter((r) => r.method === 'POST' && /\/sessions$/.test(r.path));

async function configure(text: string): Promise<void> {
  const name = `config-${nextTs()}`;
  await h.command(text, { response_url: h.slack.responseUrl(name) });
  const answer = await h.slack.waitForResponse((r) => r.name === name);
  expect(String(answer.body.text)).toMatch(/^Saved\./);
}

/** Uses the shortcut (as U2) on a message in C1; resolves with the filled form and its draft. */
async function openForm(): Promise<{ draftId: string; form: Json }> {
  const responseUrl = h.slack.responseUrl(`shortcut-${nextTs()}`);
  await h.action(
    messageShortcut({ ts: nextTs(), user: 'U1', text: 'the login test is flaky' }, { response_url: responseUrl }),
  );
  const [opened] = await h.slack.waitForCount('views.open', 1);
  const [updated] = await h.slack.waitForCount('views.update', 1);
  expectWithinBlockKit(updated?.view, 'modal');
  return { draftId: String(opened?.view.private_metadata), form: updated?.view };
}

/** The form's start option inputs: block id -> initial value (or option). */
function inputs(form: Json): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const block of form.blocks as Json[]) {
    if (block.type !== 'input' || !String(block.block_id).startsWith('option_')) continue;
    found[block.block_id] = block.element.initial_value ?? block.element.initial_option?.value ?? null;
  }
  return found;
}

/** A submission choosing a new session, with the inputs as the person left them. */
function submitted(draftId: string, values: Record<string, string | null>): Json {
  const state: Json = {};
  for (const [block, value] of Object.entries(values)) {
    state[block] =
      block === 'option_mode'
        ? { value: { type: 'static_select', selected_option: value ? { value } : null } }
        : { value: { type: 'plain_text_input', value } };
  }
  return viewSubmission(draftId, 'new', { view: { state: { values: state } } });
}

describe('Send to Devin: a new session with the channel defaults in its form', () => {
  it('v3: offers the defaults, and starts with what the person left (an emptied input asks nothing)', async () => {
    h = await Harness.start({ devinVersion: 'v3', env: { DEVIN_MAX_ACU_LIMIT: '40' } });
    h.devin.playbooks.push({ playbook_id: 'playbook-fixci', title: 'Fix CI' });
    await configure('config playbook:"Fix CI" repo:acme/web tag:team mode:fast acu:10');
    const { draftId, form } = await openForm();
    expect(inputs(form)).toEqual({
      option_playbook: 'Fix CI',
      option_repo: 'acme/web',
      option_tag: 'team',
      option_mode: 'fast',
      option_acu: '10',
    });
    const res = await h.action(
      submitted(draftId, {
        option_playbook: null,
        option_repo: 'acme/web acme/api',
        option_tag: 'team',
        option_mode: 'normal',
        option_acu: '12',
      }),
    );
    expect(res.status).toBe(200);
    await h.idle();
    const [create, ...more] = creates();
    expect(more).toEqual([]);
    expect(create?.body).toMatchObject({ repos: ['acme/web', 'acme/api'], devin_mode: 'normal', max_acu_limit: 12 });
    expect(create?.body.playbook_id).toBeUndefined();
    expect(create?.body.tags).toContain('team');
  });

  it('v1: offers only what API v1 carries', async () => {
    h = await Harness.start({ devinVersion: 'v1' });
    await configure('config tag:team acu:3');
    const { form } = await openForm();
    expect(inputs(form)).toEqual({ option_playbook: null, option_snapshot: null, option_tag: 'team', option_acu: '3' });
  });

  it('keeps the form open on a value Devin would refuse, naming it on its input; nothing starts', async () => {
    h = await Harness.start({ devinVersion: 'v3', env: { DEVIN_MAX_ACU_LIMIT: '40' } });
    const { draftId } = await openForm();
    for (const [values, block, words] of [
      [{ option_acu: '400' }, 'option_acu', 'acu:400 is more than the 40 ACUs'],
      [{ option_acu: 'lots' }, 'option_acu', 'acu: takes a whole number'],
      [{ option_repo: 'web' }, 'option_repo', 'repo: takes a repository as owner/name'],
    ] as const) {
      const res = await h.action(submitted(draftId, values));
      const body = JSON.parse(res.body);
      expect(body.response_action).toBe('errors');
      expect(body.errors[block]).toContain(words);
    }
    await h.idle();
    expect(creates()).toEqual([]);
  });

  it('tells the person when a playbook matches none, and starts nothing', async () => {
    h = await Harness.start({ devinVersion: 'v3' });
    const { draftId } = await openForm();
    await h.action(submitted(draftId, { option_playbook: 'nothing' }));
    await h.idle();
    expect(creates()).toEqual([]);
    const told = h.slack.callsTo('chat.postMessage').map((a) => String(a.text));
    expect(told.join('\n')).toContain("I couldn't start a Devin session: No playbook matches `nothing`.");
  });
});
