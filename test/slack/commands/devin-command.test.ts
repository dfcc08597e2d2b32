import { type DevinCommand, parseDevinCommand } from '../../../src/slack/commands/devin-command';

function problemOf(command: DevinCommand): string {
  if (command.kind !== 'usage') throw new Error(`expected usage, got ${command.kind}`);
  return command.problem;
}

const ID = 'devin-0123456789abcdef0123456789abcdef';
const URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';
const PERMALINK = 'https://acme.slack.com/archives/C123ABC/p1358546515000008';

describe('parseDevinCommand', () => {
  describe('help', () => {
    it.each(['', '   ', '\n\t', 'help', 'HELP', ' Help me please '])('shows help for %j', (text) => {
      expect(parseDevinCommand(text)).toEqual({ kind: 'help' });
    });

    it('shows help for a non-string at runtime', () => {
      expect(parseDevinCommand(undefined as unknown as string)).toEqual({ kind: 'help' });
    });
  });

  describe('new', () => {
    it('takes the rest of the text as the task', () => {
      expect(parseDevinCommand('new fix the flaky login test')).toEqual({
        kind: 'new',
        task: 'fix the flaky login test',
      });
    });

    it('keeps newlines and internal spacing in the task but trims its ends', () => {
      expect(parseDevinCommand('  new   fix  this:\n\n  - a\n  - b  \n')).toEqual({
        kind: 'new',
        task: 'fix  this:\n\n  - a\n  - b',
      });
    });

    it('asks for a task when only options were given', () => {
      expect(parseDevinCommand('new acu:5 tag:x')).toEqual({
        kind: 'usage',
        problem: expect.stringContaining('`/devin new` needs a task'),
      });
      expect(parseDevinCommand('new fix it acu:5')).toEqual({ kind: 'new', task: 'fix it acu:5' });
    });

    it('accepts a newline between the subcommand and the task', () => {
      expect(parseDevinCommand('new\nfix it')).toEqual({ kind: 'new', task: 'fix it' });
    });

    it('matches the subcommand case-insensitively and keeps the task case', () => {
      expect(parseDevinCommand('NeW Fix README')).toEqual({ kind: 'new', task: 'Fix README' });
    });

    it('does not treat a longer word as the subcommand', () => {
      expect(parseDevinCommand('newer task').kind).toBe('usage');
    });

    it('explains that a task is needed', () => {
      expect(problemOf(parseDevinCommand('new  '))).toBe(
        '`/devin new` needs a task, for example `/devin new fix the flaky login test`.',
      );
    });
  });

  describe('link', () => {
    it.each([ID, URL, `<${URL}>`, `<${URL}|my session>`])('returns the raw reference %j', (ref) => {
      expect(parseDevinCommand(`link ${ref}`)).toEqual({ kind: 'link', ref });
    });

    it('does not validate the reference', () => {
      expect(parseDevinCommand('LINK whatever')).toEqual({ kind: 'link', ref: 'whatever' });
    });

    it('explains that a session is needed', () => {
      expect(problemOf(parseDevinCommand('link'))).toMatch(/^`\/devin link` needs a session ID or URL/);
    });

    it('refuses extra text after the reference', () => {
      expect(problemOf(parseDevinCommand(`link ${ID} and say hi`))).toMatch(/^`\/devin link` takes only/);
    });
  });

  describe('say', () => {
    it.each([ID, URL, PERMALINK, `<${PERMALINK}>`, `<${PERMALINK}|the thread>`])(
      'splits the target %j from the message',
      (target) => {
        expect(parseDevinCommand(`say ${target} please also update the changelog`)).toEqual({
          kind: 'say',
          target,
          message: 'please also update the changelog',
        });
      },
    );

    it('keeps newlines and internal spacing in the message', () => {
      expect(parseDevinCommand(`say ${ID}\n  first  line\n\nsecond\n`)).toEqual({
        kind: 'say',
        target: ID,
        message: 'first  line\n\nsecond',
      });
    });

    it('splits a wrapped target from a message that follows without a space', () => {
      expect(parseDevinCommand(`say <${URL}>hello`)).toEqual({ kind: 'say', target: `<${URL}>`, message: 'hello' });
    });

    it('explains what is missing when there is no target', () => {
      expect(problemOf(parseDevinCommand('say'))).toMatch(/^`\/devin say` needs a session or thread and a message/);
    });

    it('asks for a message when only a target is given', () => {
      expect(problemOf(parseDevinCommand(`Say ${ID}  `))).toMatch(/^`\/devin say` needs .* a message/);
      expect(problemOf(parseDevinCommand(`say <${URL}|label>`))).toMatch(/^`\/devin say` needs/);
    });
  });

  describe('list', () => {
    it.each(['list', 'LIST', ' list '])('lists the sessions for %j', (text) => {
      expect(parseDevinCommand(text)).toEqual({ kind: 'list' });
    });

    it('refuses words after it', () => {
      expect(problemOf(parseDevinCommand('list all of them'))).toMatch(/^`\/devin list` takes nothing after it/);
    });
  });

  describe('status', () => {
    it.each([ID, URL, PERMALINK, `<${PERMALINK}|thread>`])('returns the raw reference %j', (ref) => {
      expect(parseDevinCommand(`status ${ref}`)).toEqual({ kind: 'status', ref });
    });

    it('matches the subcommand case-insensitively', () => {
      expect(parseDevinCommand(`STATUS ${ID}`)).toEqual({ kind: 'status', ref: ID });
    });

    it('explains that a reference is needed', () => {
      expect(problemOf(parseDevinCommand('status'))).toMatch(/^`\/devin status` needs a session ID/);
    });

    it('refuses extra text after the reference', () => {
      expect(problemOf(parseDevinCommand(`status ${ID} now`))).toMatch(/^`\/devin status` takes only/);
    });
  });

  describe('unknown subcommands', () => {
    it('names the unknown subcommand', () => {
      expect(parseDevinCommand('frobnicate the widgets')).toEqual({
        kind: 'usage',
        problem: "I don't know `/devin frobnicate`.",
      });
    });

    it('treats a bare reference as an unknown subcommand', () => {
      expect(problemOf(parseDevinCommand(ID))).toBe(`I don't know \`/devin ${ID}\`.`);
    });

    it('cannot break out of the code span or ping anyone', () => {
      const problem = problemOf(parseDevinCommand('<!channel>`*boom*`'));
      expect(problem).toBe("I don't know `/devin @channel'*boom*'`.");
      expect(problem).not.toContain('<');
    });

    it('echoes an unknown subcommand as it was written, escaped once', () => {
      expect(problemOf(parseDevinCommand('fo&amp;o&lt;'))).toBe("I don't know `/devin fo&amp;o&lt;`.");
    });

    it('shortens a very long subcommand', () => {
      const problem = problemOf(parseDevinCommand('x'.repeat(10_000)));
      expect(problem.length).toBeLessThan(100);
      expect(problem).toContain('…');
    });
  });

  it('handles a very long message without trouble', () => {
    const message = 'word '.repeat(8_000).trim();
    expect(parseDevinCommand(`say ${ID} ${message}`)).toEqual({ kind: 'say', target: ID, message });
  });
});
