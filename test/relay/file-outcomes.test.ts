import { attachedUrls, withFileProblems } from '../../src/relay/file-outcomes';

const outcomes = [
  { key: 'F1', name: 'a.log', url: 'https://storage.devin.ai/attachments/1/a.log' },
  { key: 'F2', name: 'big"\nname.bin', problem: 'over the 25 MB limit' },
  { key: 'F3', name: 'b.log', url: 'https://storage.devin.ai/attachments/3/b.log' },
];

describe('the words and files of a message with files', () => {
  it('adds a line for each file that could not be attached, its name kept to one plain line', () => {
    expect(withFileProblems('see the logs', outcomes)).toBe(
      'see the logs\n(Could not attach "big\' name.bin": over the 25 MB limit.)',
    );
  });

  it('keeps the words as they are without problems, and gives no empty first line to a message of files alone', () => {
    expect(withFileProblems('see the logs', outcomes.slice(0, 1))).toBe('see the logs');
    expect(withFileProblems('', [outcomes[1] as (typeof outcomes)[1]])).toBe(
      '(Could not attach "big\' name.bin": over the 25 MB limit.)',
    );
    expect(withFileProblems('words', undefined)).toBe('words');
  });

  it('sends the attached files beside the words, in the message order', () => {
    expect(attachedUrls(outcomes)).toEqual([
      'https://storage.devin.ai/attachments/1/a.log',
      'https://storage.devin.ai/attachments/3/b.log',
    ]);
    expect(attachedUrls(undefined)).toEqual([]);
  });
});
