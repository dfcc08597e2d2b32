import { escapeSlackText } from '../../../src/slack/text/outgoing-text';

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
