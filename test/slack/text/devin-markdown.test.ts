import { markdownToMrkdwn } from '../../../src/slack/text/devin-markdown';

describe('markdownToMrkdwn', () => {
  describe('inline formatting', () => {
    it('turns bold into single asterisks', () => {
      expect(markdownToMrkdwn('a **bold** and __strong__ word')).toBe('a *bold* and *strong* word');
    });

    it('turns italics into underscores', () => {
      expect(markdownToMrkdwn('an *italic* and _emphasis_ word')).toBe('an _italic_ and _emphasis_ word');
    });

    it('nests bold and italics', () => {
      expect(markdownToMrkdwn('***both*** and **bold _it_**')).toBe('_*both*_ and *bold _it_*');
    });

    it('turns strikethrough into single tildes', () => {
      expect(markdownToMrkdwn('~~gone~~ stays')).toBe('~gone~ stays');
    });

    it('keeps inline code in backticks without formatting its content', () => {
      expect(markdownToMrkdwn('run `npm test -- **/*.ts` now')).toBe('run `npm test -- **/*.ts` now');
    });

    it('escapes & < > inside inline code', () => {
      expect(markdownToMrkdwn('`a && b < c > d`')).toBe('`a &amp;&amp; b &lt; c &gt; d`');
    });

    it('replaces backticks inside inline code so the span cannot end early', () => {
      expect(markdownToMrkdwn('``a`b``')).toBe('`aˋb`');
    });

    it('turns hard and soft breaks into newlines', () => {
      expect(markdownToMrkdwn('one  \ntwo\\\nthree\nfour')).toBe('one\ntwo\nthree\nfour');
    });

    it('keeps backslash-escaped characters as plain text', () => {
      expect(markdownToMrkdwn('not \\*bold\\* here')).toBe('not *bold* here');
    });
  });

  describe('links and images', () => {
    it('turns links into Slack links', () => {
      expect(markdownToMrkdwn('see [the PR](https://github.com/o/r/pull/1)')).toBe(
        'see <https://github.com/o/r/pull/1|the PR>',
      );
    });

    it('escapes the label and the ampersands of the URL', () => {
      expect(markdownToMrkdwn('[a < b & c](https://x.com/?a=1&b=2)')).toBe(
        '<https://x.com/?a=1&amp;b=2|a &lt; b &amp; c>',
      );
    });

    it('flattens a formatted label to plain text', () => {
      expect(markdownToMrkdwn('[**bold** `code`](https://x.com)')).toBe('<https://x.com|bold code>');
    });

    it('links http, https and mailto URLs', () => {
      expect(markdownToMrkdwn('[a](http://x.com) [b](mailto:me@x.com)')).toBe('<http://x.com|a> <mailto:me@x.com|b>');
    });

    it('shows links with other schemes, or relative ones, as text', () => {
      expect(markdownToMrkdwn('[file](ftp://x.com/f) [readme](README.md)')).toBe(
        'file (ftp://x.com/f) readme (README.md)',
      );
    });

    it('never links javascript: URLs', () => {
      const out = markdownToMrkdwn('[click](javascript:alert(1))');
      expect(out).not.toContain('<');
      expect(out).toContain('click');
    });

    it('uses the bare URL when the label is the URL or empty', () => {
      expect(markdownToMrkdwn('[https://x.com](https://x.com) [](https://y.com)')).toBe(
        '<https://x.com> <https://y.com>',
      );
    });

    it('links bare URLs', () => {
      expect(markdownToMrkdwn('open https://example.com/a?b=1 now')).toBe('open <https://example.com/a?b=1> now');
    });

    it('links autolinks and e-mail addresses', () => {
      expect(markdownToMrkdwn('<https://x.com/a> or me@example.com')).toBe(
        '<https://x.com/a> or <mailto:me@example.com|me@example.com>',
      );
    });

    it('does not turn file names into links', () => {
      expect(markdownToMrkdwn('edit README.md and main.rs')).toBe('edit README.md and main.rs');
    });

    it('turns images into links labelled with the alt text', () => {
      expect(markdownToMrkdwn('![a diagram](https://x.com/d.png)')).toBe('<https://x.com/d.png|a diagram>');
    });

    it('shows images without a web URL as their alt text', () => {
      expect(markdownToMrkdwn('![local](./d.png)')).toBe('local');
    });

    // Found by the text properties: Slack showed one address and opened another.
    it.each([
      [
        'an image',
        '![https://good.example](https://evil.example/login)',
        'https://good.example (<https://evil.example/login>)',
      ],
      [
        'a link',
        '[https://good.example](https://evil.example/login)',
        'https://good.example (<https://evil.example/login>)',
      ],
      ['a www. host', '[www.good.example](http://evil.example)', 'www.good.example (<http://evil.example>)'],
      [
        'a bare domain',
        '[log in at good.example](https://evil.example)',
        'log in at good.example (<https://evil.example>)',
      ],
      ['an e-mail', '[a@good.example](mailto:b@evil.example)', 'a@good.example (<mailto:b@evil.example>)'],
    ])('shows the real target of %s whose label names another address', (_, markdown, expected) => {
      expect(markdownToMrkdwn(markdown)).toBe(expected);
    });

    it.each([
      [
        'its own host',
        '[good.example/docs](https://good.example/docs)',
        '<https://good.example/docs|good.example/docs>',
      ],
      ['a subdomain', '[good.example](https://docs.good.example/x)', '<https://docs.good.example/x|good.example>'],
      [
        'a file the path ends with',
        '[README.md](https://github.com/o/r/blob/main/README.md)',
        '<https://github.com/o/r/blob/main/README.md|README.md>',
      ],
      ['its own e-mail address', '[me@x.example](mailto:me@x.example)', '<mailto:me@x.example|me@x.example>'],
    ])('keeps a label that names %s', (_, markdown, expected) => {
      expect(markdownToMrkdwn(markdown)).toBe(expected);
    });
  });

  describe('blocks', () => {
    it('separates paragraphs with one blank line', () => {
      expect(markdownToMrkdwn('one\n\n\n\ntwo')).toBe('one\n\ntwo');
    });

    it('turns headings into bold lines', () => {
      expect(markdownToMrkdwn('# Title\n\n## Sub **part**\ntext')).toBe('*Title*\n\n*Sub part*\n\ntext');
    });

    it('keeps links and code inside headings', () => {
      expect(markdownToMrkdwn('### See [docs](https://x.com) for `cfg`')).toBe('*See <https://x.com|docs> for `cfg`*');
    });

    it('drops empty headings', () => {
      expect(markdownToMrkdwn('#\n\ntext')).toBe('text');
    });

    it('turns fenced code into a ``` block without the language tag', () => {
      expect(markdownToMrkdwn('```ts\nconst a = 1;\n  **not bold**\n```')).toBe(
        '```\nconst a = 1;\n  **not bold**\n```',
      );
    });

    it('escapes only & < > in code blocks', () => {
      expect(markdownToMrkdwn('```\nif (a < b && c > d) *x* _y_\n```')).toBe(
        '```\nif (a &lt; b &amp;&amp; c &gt; d) *x* _y_\n```',
      );
    });

    it('turns indented code into a ``` block', () => {
      expect(markdownToMrkdwn('text\n\n    indented();\n      more();')).toBe(
        'text\n\n```\nindented();\n  more();\n```',
      );
    });

    it('keeps a ``` inside a code block from closing it', () => {
      const out = markdownToMrkdwn('~~~md\n```js\nx\n```\n~~~');
      expect(out.match(/```/g)).toHaveLength(2);
      expect(out).toBe('```\n``\u200b`js\nx\n``\u200b`\n```');
    });

    it('drops empty code blocks', () => {
      expect(markdownToMrkdwn('a\n\n```\n```\n\nb')).toBe('a\n\nb');
    });

    it('turns bullet lists into bullets', () => {
      expect(markdownToMrkdwn('- one\n- two\n* three')).toBe('• one\n• two\n\n• three');
    });

    it('indents nested lists by four spaces with their own bullets', () => {
      expect(markdownToMrkdwn('- a\n  - b\n    - c\n- d')).toBe('• a\n    ◦ b\n        ▪ c\n• d');
    });

    it('numbers ordered lists from their start', () => {
      expect(markdownToMrkdwn('1. one\n2. two')).toBe('1. one\n2. two');
      expect(markdownToMrkdwn('3) three\n4) four')).toBe('3. three\n4. four');
    });

    it('nests bullets in ordered lists', () => {
      expect(markdownToMrkdwn('1. step\n   - detail\n2. next')).toBe('1. step\n    ◦ detail\n2. next');
    });

    it('indents further paragraphs of a list item, but not its code', () => {
      expect(markdownToMrkdwn('- item\n\n  more\n\n  ```\n  code\n  ```')).toBe('• item\n    more\n```\ncode\n```');
    });

    it('prefixes block quotes', () => {
      expect(markdownToMrkdwn('> quoted *text*\n> more\n>\n> second')).toBe('> quoted _text_\n> more\n>\n> second');
    });

    it('turns horizontal rules into a dash line', () => {
      expect(markdownToMrkdwn('a\n\n---\n\nb')).toBe('a\n\n———\n\nb');
    });

    it('shows tables as a code block of aligned rows', () => {
      expect(markdownToMrkdwn('| Name | Value |\n|---|:-:|\n| a & b | `1` |\n| c | 22 |')).toBe(
        ['```', '| Name  | Value |', '|-------|-------|', '| a &amp; b | 1     |', '| c     | 22    |', '```'].join(
          '\n',
        ),
      );
    });
  });

  describe('safety', () => {
    it.each([
      ['<!channel>', '&lt;!channel&gt;'],
      ['<!here>', '&lt;!here&gt;'],
      ['<!everyone>', '&lt;!everyone&gt;'],
      ['<@U123>', '&lt;@U123&gt;'],
      ['<#C123|general>', '&lt;#C123|general&gt;'],
      ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ])('escapes %s so it cannot ping', (input, expected) => {
      expect(markdownToMrkdwn(`hey ${input} look`)).toBe(`hey ${expected} look`);
    });

    it('cannot forge a labelled link', () => {
      const out = markdownToMrkdwn('click <https://evil.example|innocent> please');
      expect(out).not.toContain('|innocent>');
      expect(out).toBe('click <https://evil.example%7Cinnocent> please');
    });

    it('keeps the | and > of a link URL from reaching Slack', () => {
      const out = markdownToMrkdwn('[safe](https://evil.example/x|<!channel>)');
      expect(out).not.toContain('<!');
      expect(out.match(/[<>]/g)).toEqual(['<', '>']);
    });

    it('escapes raw HTML instead of interpreting it', () => {
      expect(markdownToMrkdwn('<script>alert("x")</script>')).toBe('&lt;script&gt;alert("x")&lt;/script&gt;');
      expect(markdownToMrkdwn('<div>\n<b>hi</b>\n</div>')).toBe('&lt;div&gt;\n&lt;b&gt;hi&lt;/b&gt;\n&lt;/div&gt;');
    });

    it('escapes entities that decode to mention syntax', () => {
      expect(markdownToMrkdwn('&lt;!channel&gt; &#60;!here&#62;')).toBe('&lt;!channel&gt; &lt;!here&gt;');
    });

    it('escapes ampersands', () => {
      expect(markdownToMrkdwn('Q&A &amp; more')).toBe('Q&amp;A &amp; more');
    });

    it('escapes mention syntax in every kind of text', () => {
      const out = markdownToMrkdwn(
        [
          '# <!channel>',
          '- <!here> **<@U1>** _<!everyone>_ ~~<!channel>~~ `<!here>`',
          '> <@U2>',
          '```\n<!channel>\n```',
          '| <!here> |\n|---|\n| <@U3> |',
          '[<!channel>](https://x.com) ![<!here>](https://x.com/i.png)',
        ].join('\n\n'),
      );
      expect(out).not.toMatch(/<[!@#]/);
    });

    it('leaves @channel, @here and @everyone as plain text', () => {
      const out = markdownToMrkdwn('@channel @here @everyone');
      expect(out).toBe('@channel @here @everyone');
      expect(out).not.toContain('<');
    });
  });

  describe('robustness', () => {
    it('returns an empty string for empty or blank input', () => {
      expect(markdownToMrkdwn('')).toBe('');
      expect(markdownToMrkdwn('  \n\t\n')).toBe('');
    });

    it('does not throw on odd input', () => {
      const odd = ['**', '[', '](', '![', '`', '```', '> ', '- ', '1.', '|', '\u0000', '\ud800', '<', '&', '~~~'];
      for (const input of odd) expect(() => markdownToMrkdwn(input)).not.toThrow();
      expect(() => markdownToMrkdwn(undefined as unknown as string)).not.toThrow();
    });

    it('formats moderately nested blocks', () => {
      expect(markdownToMrkdwn(`${'> '.repeat(10)}deep`)).toBe(`${'> '.repeat(10)}deep`);
    });

    it('keeps every word of pathologically nested blocks, as escaped text', () => {
      const out = markdownToMrkdwn(`${'> '.repeat(500)}deep <!channel>\n\n${'- '.repeat(500)}deeper\n\nlast`);
      expect(out).toContain('deep &lt;!channel&gt;');
      expect(out).toContain('deeper');
      expect(out).toContain('last');
    });

    it('converts 100 KB of Markdown', () => {
      const section = [
        '## Heading **with** `code`',
        'Text with [a link](https://example.com/?q=1&r=2), <!channel> and https://example.org/x.',
        '- item _one_\n  - nested ~~two~~\n1. first\n2. second',
        '```ts\nconst x = a < b && c > d;\n```',
        '> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      ].join('\n\n');
      const input = `${section}\n\n`.repeat(Math.ceil(100_000 / section.length));
      expect(input.length).toBeGreaterThan(100_000);
      const out = markdownToMrkdwn(input);
      expect(out.length).toBeGreaterThan(50_000);
      expect(out).not.toContain('<!');
    });

    it('converts 100 KB of pathological emphasis and brackets', () => {
      for (const unit of ['*a ', '**[', '`<', '_*~', '[](', '<!']) {
        expect(typeof markdownToMrkdwn(unit.repeat(100_000 / unit.length))).toBe('string');
      }
    });
  });

  it('converts a realistic Devin message', () => {
    const message = [
      "## Summary\n\nI've opened a PR that fixes the **login redirect** bug: [PR #42](https://github.com/acme/app/pull/42).",
      '### Changes',
      '- Updated `src/auth/redirect.ts` to validate the `next` param\n- Added tests:\n  - `redirect.test.ts`\n  - `login.e2e.ts`',
      '```ts\nexport function safeNext(next: string): string {\n  return next.startsWith("/") && !next.startsWith("//") ? next : "/";\n}\n```',
      '1. Review the PR\n2. Merge when CI is green',
      'Let me know if you have questions! CI: https://ci.example.com/runs/7?tab=log&line=3',
    ].join('\n\n');
    expect(markdownToMrkdwn(message)).toBe(
      [
        "*Summary*\n\nI've opened a PR that fixes the *login redirect* bug: <https://github.com/acme/app/pull/42|PR #42>.",
        '*Changes*',
        '• Updated `src/auth/redirect.ts` to validate the `next` param\n• Added tests:\n    ◦ `redirect.test.ts`\n    ◦ `login.e2e.ts`',
        '```\nexport function safeNext(next: string): string {\n  return next.startsWith("/") &amp;&amp; !next.startsWith("//") ? next : "/";\n}\n```',
        '1. Review the PR\n2. Merge when CI is green',
        'Let me know if you have questions! CI: <https://ci.example.com/runs/7?tab=log&amp;line=3>',
      ].join('\n\n'),
    );
  });
});
