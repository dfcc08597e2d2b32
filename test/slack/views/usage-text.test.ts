import { parseDevinCommand } from '../../../src/slack/commands/devin-command';
import { usageText } from '../../../src/slack/views/usage-text';

describe('usageText', () => {
  const decoded = usageText().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  it.each([
    '/devin new <task>',
    '/devin link <session id | session URL>',
    '/devin say <session id | session URL | thread permalink> <message>',
    '/devin status <session id | session URL | thread permalink>',
    '/devin help',
    '/devin list',
    '/devin config [options | clear [key]]',
  ])('lists %s', (syntax) => {
    expect(decoded).toContain(`\`${syntax}\``);
  });

  it('gives an example for each subcommand', () => {
    for (const name of ['new', 'link', 'say', 'status', 'config', 'help']) {
      expect(decoded).toMatch(new RegExp(`e\\.g\\. \`/devin ${name}[^\`]*\``));
    }
  });

  it('gives examples that parse', () => {
    const examples = [...decoded.matchAll(/e\.g\. `\/devin ([^`]*)`/g)].map((match) => match[1] ?? '');
    expect(examples).toHaveLength(12);
    // A person picked with @ reaches the app as Slack's escaped mention.
    const asSlackSendsIt = (example: string) => example.replace(/@(\w+)$/, '<@U0123|$1>');
    for (const example of examples) expect(parseDevinCommand(asSlackSendsIt(example)).kind).not.toBe('usage');
  });

  it('escapes angle brackets so Slack does not read them as links', () => {
    expect(usageText()).not.toMatch(/[<>]/);
  });

  it('names the start options, with an example, and archive', () => {
    expect(decoded).toContain('`playbook:<title or id>`');
    expect(decoded).toContain('`@Devin fix the flaky test playbook:"Fix CI" tag:ci acu:10`');
    expect(decoded).toContain('`archive`');
  });

  it('names the Send to Devin shortcut and the Home tab', () => {
    expect(decoded).toContain('*Send to Devin*');
    expect(decoded).toContain('*Home* tab');
  });

  it('explains thread replies and asides', () => {
    expect(decoded).toMatch(/reach Devin directly/);
    expect(decoded).toContain('`(aside)`');
    expect(decoded).toContain('`!aside`');
  });
});
