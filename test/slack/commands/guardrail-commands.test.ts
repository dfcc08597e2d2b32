import { parseDevinCommand } from '../../../src/slack/commands/devin-command';

describe('the guardrail subcommands', () => {
  it.each([
    ['cost', { kind: 'cost', period: 'today' }],
    ['COST Week', { kind: 'cost', period: 'week' }],
    ['digest on', { kind: 'digest', on: true }],
    ['digest on 9:05', { kind: 'digest', on: true, at: '09:05' }],
    ['digest OFF', { kind: 'digest', on: false }],
    ['config budget', { kind: 'budget' }],
    ['config budget 200', { kind: 'budget', acus: 200 }],
    ['config Budget off', { kind: 'budget', acus: 'off' }],
  ])('parses %j', (text, parsed) => {
    expect(parseDevinCommand(text)).toEqual(parsed);
  });

  it.each([
    ['cost month', '`/devin cost` takes'],
    ['cost today week', '`/devin cost` takes'],
    ['digest', '`/devin digest` takes'],
    ['digest on 24:00', '`/devin digest` takes'],
    ['digest off 09:00', '`/devin digest` takes'],
    ['digest on 9:5', '`/devin digest` takes'],
    ['config budget 0', '`/devin config budget` takes'],
    ['config budget -3', '`/devin config budget` takes'],
    ['config budget 1.5', '`/devin config budget` takes'],
    ['config budget 5 6', '`/devin config budget` takes'],
  ])('explains %j', (text, problem) => {
    const parsed = parseDevinCommand(text);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.problem).toContain(problem);
  });

  it('leaves the rest of /devin config to its own parser', () => {
    expect(parseDevinCommand('config').kind).toBe('config');
  });
});
