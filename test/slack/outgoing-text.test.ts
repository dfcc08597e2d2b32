import { escapeSlackText, quoteBlock } from '../../src/slack/outgoing-text';

describe('escapeSlackText', () => {
  it('escapes ampersands and angle brackets', () => {
    expect(escapeSlackText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });

  it('keeps mention syntax from pinging anyone', () => {
    expect(escapeSlackText('<!channel> <!here> <@U1> <#C1|x>')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U1&gt; &lt;#C1|x&gt;',
    );
  });

  it('escapes existing entities again so they render literally', () => {
    expect(escapeSlackText('&lt;')).toBe('&amp;lt;');
  });

  it('leaves other text, including markdown, unchanged', () => {
    expect(escapeSlackText('*bold* _it_ `code` "q" \'s\'\nnext')).toBe('*bold* _it_ `code` "q" \'s\'\nnext');
  });

  it('returns an empty string for empty input', () => {
    expect(escapeSlackText('')).toBe('');
  });
});

describe('quoteBlock', () => {
  it('prefixes each line with a quote marker', () => {
    expect(quoteBlock('one\ntwo\n\nfour', 100)).toBe('> one\n> two\n> \n> four');
  });

  it('treats Windows and old Mac line endings as line breaks', () => {
    expect(quoteBlock('a\r\nb\rc', 100)).toBe('> a\n> b\n> c');
  });

  it('returns the whole quote when it fits exactly', () => {
    expect(quoteBlock('hello', 7)).toBe('> hello');
  });

  it('truncates to maxChars with an ellipsis', () => {
    const quoted = quoteBlock('hello world', 8);
    expect(quoted).toBe('> hello…');
    expect(quoted.length).toBeLessThanOrEqual(8);
  });

  it('never exceeds maxChars for long multi-line text', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    for (const max of [1, 2, 3, 10, 99, 1000]) {
      const quoted = quoteBlock(text, max);
      expect(quoted.length).toBeLessThanOrEqual(max);
      expect(quoted.endsWith('…')).toBe(true);
    }
  });

  it('does not end a truncated quote with an empty quote line', () => {
    expect(quoteBlock('abc\ndef', 7)).toBe('> abc…');
    expect(quoteBlock('abc\ndef', 8)).toBe('> abc…');
  });

  it('does not split a surrogate pair when truncating', () => {
    const quoted = quoteBlock('ab😀cd', 6);
    expect(quoted).toBe('> ab…');
  });

  it('returns an empty string for empty text', () => {
    expect(quoteBlock('', 10)).toBe('');
  });

  it.each([0, -5, Number.NaN])('returns an empty string when maxChars is %p', (max) => {
    expect(quoteBlock('hello', max)).toBe('');
  });

  it('rounds a fractional maxChars down', () => {
    expect(quoteBlock('hello world', 8.9)).toBe('> hello…');
  });

  it('does not truncate when maxChars is infinite', () => {
    expect(quoteBlock('hello', Number.POSITIVE_INFINITY)).toBe('> hello');
  });
});
