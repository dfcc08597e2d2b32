import { extractStartOptions } from '../../src/relay/start-options-text';

describe('extractStartOptions', () => {
  it('takes options out of the words wherever they stand, repeated ones in order', () => {
    expect(extractStartOptions('tag:a fix the build repo:acme/web tag:b ACU:5 mode:fast')).toEqual({
      text: 'fix the build',
      asked: { tags: ['a', 'b'], repos: ['acme/web'], acu: '5', mode: 'fast' },
    });
  });

  it('reads a quoted name, a link Slack rendered, and any characters but spaces', () => {
    expect(
      extractStartOptions('fix playbook:"Fix CI now" repo:<https://github.com/acme/web|acme/web> tag:<!here>&ü🚀'),
    ).toEqual({ text: 'fix', asked: { playbook: 'Fix CI now', repos: ['acme/web'], tags: ['<!here>&ü🚀'] } });
  });

  it('keeps other word: tokens, options glued to words, and options inside code', () => {
    const text = 'see note:this and https://x.y/acu:5 xacu:3 `acu:2` ```mode:fast```';
    expect(extractStartOptions(text)).toEqual({ text, asked: {} });
  });

  it('the last of a single option counts; an empty value is kept as asked (to be answered)', () => {
    expect(extractStartOptions('acu:5 acu:7 playbook:""').asked).toEqual({ acu: '7', playbook: '' });
  });

  it('leaves the line breaks of the task alone', () => {
    expect(extractStartOptions('fix this\nand that tag:x').text).toBe('fix this\nand that');
  });
});
