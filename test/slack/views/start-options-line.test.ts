import { channelDefaultsText } from '../../../src/slack/views/channel-defaults-text';
import { homeChannelDefaultsBlocks } from '../../../src/slack/views/home-channel-defaults';
import { OPTIONS_LINE_LIMIT, startOptionsLine } from '../../../src/slack/views/start-options-line';
import { expectWithinBlockKit } from '../../support/block-kit-limits';

const HOSTILE = `<!channel> *bold* \`code\` &amp; <https://evil.example|click> ${'長い名前🚀'.repeat(400)}\n> quote`;

describe('startOptionsLine', () => {
  it('shows nothing for no options', () => {
    expect(startOptionsLine(undefined)).toBeUndefined();
    expect(startOptionsLine({})).toBeUndefined();
  });

  it('shows every option, values in code, in order', () => {
    expect(
      startOptionsLine({
        playbook: { id: 'playbook-1', name: 'Fix CI' },
        repos: ['acme/web', 'acme/api'],
        tags: ['ci'],
        mode: 'fast',
        snapshot: { id: 'snapshot-1' },
        maxAcu: 10,
      }),
    ).toBe(
      'Options: playbook `Fix CI` (`playbook-1`) · repo `acme/web`, `acme/api` · tag `ci` · mode fast · ' +
        'snapshot `snapshot-1` · up to 10 ACUs',
    );
  });

  it('escapes and cuts hostile values, on one line, within its limit', () => {
    const line = startOptionsLine({
      playbook: { id: HOSTILE, name: HOSTILE },
      tags: Array.from({ length: 20 }, () => HOSTILE),
      repos: [HOSTILE],
    });
    expect(line?.length).toBeLessThanOrEqual(OPTIONS_LINE_LIMIT);
    expect(line).not.toMatch(/<[!h]|\n/);
    expect(line).toContain('&lt;!channel&gt;');
  });

  it("fits the App Home's section and a channel's answer", () => {
    const defaults = { playbook: { id: 'playbook-1', name: HOSTILE }, tags: [HOSTILE, HOSTILE] };
    const blocks = homeChannelDefaultsBlocks(Array.from({ length: 30 }, (_, i) => ({ channel: `C${i}`, defaults })));
    expectWithinBlockKit({ type: 'home', blocks }, 'home');
    expect(channelDefaultsText(defaults).length).toBeLessThan(1000);
  });
});
