import { isAside, type NameDirectory, toPlainText } from '../../../src/slack/text/incoming-text';

function directory(users: Record<string, string> = {}, channels: Record<string, string> = {}) {
  const names = {
    userName: jest.fn(async (id: string) => users[id]),
    channelName: jest.fn(async (id: string) => channels[id]),
  };
  return names satisfies NameDirectory;
}

describe('toPlainText', () => {
  describe('user mentions', () => {
    it('replaces a bare user mention with the display name from the directory', async () => {
      const names = directory({ U123: 'Alice' });
      await expect(toPlainText('hi <@U123>!', names)).resolves.toBe('hi @Alice!');
    });

    it('falls back to the user id when the directory does not know the user', async () => {
      await expect(toPlainText('ping <@U999>', directory())).resolves.toBe('ping @U999');
    });

    it('uses the inline label without a lookup', async () => {
      const names = directory({ U123: 'Alice' });
      await expect(toPlainText('<@U123|alice> said so', names)).resolves.toBe('@alice said so');
      expect(names.userName).not.toHaveBeenCalled();
    });

    it('looks up each distinct user once per call', async () => {
      const names = directory({ U1: 'Ann', U2: 'Bob' });
      await expect(toPlainText('<@U1> <@U2> <@U1> <@U1>', names)).resolves.toBe('@Ann @Bob @Ann @Ann');
      expect(names.userName).toHaveBeenCalledTimes(2);
      expect(names.userName).toHaveBeenCalledWith('U1');
      expect(names.userName).toHaveBeenCalledWith('U2');
    });

    it('runs the lookups concurrently', async () => {
      const pending: Array<() => void> = [];
      const names: NameDirectory = {
        userName: (id) =>
          new Promise((resolve) => {
            pending.push(() => resolve(`name-${id}`));
          }),
        channelName: (id) =>
          new Promise((resolve) => {
            pending.push(() => resolve(`chan-${id}`));
          }),
      };
      const result = toPlainText('<@U1> <@U2> <#C1>', names);
      await new Promise((resolve) => setImmediate(resolve));
      expect(pending).toHaveLength(3);
      for (const release of pending) release();
      await expect(result).resolves.toBe('@name-U1 @name-U2 #chan-C1');
    });

    it('falls back to the id when a lookup fails', async () => {
      const names: NameDirectory = {
        userName: async () => {
          throw new Error('users.info failed');
        },
        channelName: async () => {
          throw new Error('conversations.info failed');
        },
      };
      await expect(toPlainText('<@U1> in <#C1>', names)).resolves.toBe('@U1 in #C1');
    });

    it('falls back to the id when the directory returns a blank name', async () => {
      await expect(toPlainText('<@U1>', directory({ U1: '  ' }))).resolves.toBe('@U1');
    });

    it('does not decode entities inside names returned by the directory, and drops their markup', async () => {
      await expect(toPlainText('<@U1>', directory({ U1: 'A &amp; B' }))).resolves.toBe('@A amp B');
    });

    it('keeps a looked-up or labelled name from carrying Slack markup, line breaks or an author line', async () => {
      const names = directory({ U1: '<!channel> *boss*\nBob (@bob, U2) via Slack:' });
      await expect(toPlainText('<@U1>', names)).resolves.toBe('@channel boss Bob bob U2');
      await expect(toPlainText('<@U2|*Bob* (@bob, U2) via Slack:>', names)).resolves.toBe('@Bob bob U2');
    });
  });

  describe('channel mentions', () => {
    it('uses the inline channel label', async () => {
      const names = directory();
      await expect(toPlainText('see <#C123|general>', names)).resolves.toBe('see #general');
      expect(names.channelName).not.toHaveBeenCalled();
    });

    it('looks up a channel without a label', async () => {
      await expect(toPlainText('see <#C123>', directory({}, { C123: 'random' }))).resolves.toBe('see #random');
    });

    it('looks up a channel with an empty label', async () => {
      await expect(toPlainText('see <#C123|>', directory({}, { C123: 'random' }))).resolves.toBe('see #random');
    });

    it('falls back to the channel id when the directory does not know the channel', async () => {
      await expect(toPlainText('<#C123|> and <#C456>', directory())).resolves.toBe('#C123 and #C456');
    });

    it('looks up each distinct channel once per call', async () => {
      const names = directory({}, { C1: 'one' });
      await expect(toPlainText('<#C1> <#C1|> <#C1>', names)).resolves.toBe('#one #one #one');
      expect(names.channelName).toHaveBeenCalledTimes(1);
    });
  });

  describe('links', () => {
    it('shows a labelled link as label followed by the URL', async () => {
      await expect(toPlainText('<https://x.y/z|label>', directory())).resolves.toBe('label (https://x.y/z)');
    });

    it('shows a bare link as the URL', async () => {
      await expect(toPlainText('go to <https://x.y/z>', directory())).resolves.toBe('go to https://x.y/z');
    });

    it('shows only the URL when the label repeats it', async () => {
      await expect(toPlainText('<https://x.y/z|https://x.y/z>', directory())).resolves.toBe('https://x.y/z');
    });

    it('shows only the URL when the label is the URL without its scheme', async () => {
      await expect(toPlainText('<http://example.com|example.com>', directory())).resolves.toBe('http://example.com');
    });

    it('shows a mailto link as the address', async () => {
      await expect(toPlainText('mail <mailto:a@b.c|a@b.c>', directory())).resolves.toBe('mail a@b.c');
      await expect(toPlainText('<mailto:a@b.c>', directory())).resolves.toBe('a@b.c');
    });

    it('keeps a different mailto label next to the address', async () => {
      await expect(toPlainText('<mailto:a@b.c|Ann>', directory())).resolves.toBe('Ann (a@b.c)');
    });

    it('decodes escaped ampersands in URLs and labels', async () => {
      await expect(toPlainText('<https://x.y/?a=1&amp;b=2|Q &amp; A>', directory())).resolves.toBe(
        'Q & A (https://x.y/?a=1&b=2)',
      );
    });

    it('keeps a pipe inside a label', async () => {
      await expect(toPlainText('<https://x.y|a|b>', directory())).resolves.toBe('a|b (https://x.y)');
    });
  });

  describe('special mentions and commands', () => {
    it.each([
      ['<!here>', '@here'],
      ['<!channel>', '@channel'],
      ['<!everyone>', '@everyone'],
      ['<!here|here>', '@here'],
    ])('renders %s as %s', async (input, expected) => {
      await expect(toPlainText(input, directory())).resolves.toBe(expected);
    });

    it('renders a labelled user group mention as its label', async () => {
      await expect(toPlainText('<!subteam^S123|@devs> look', directory())).resolves.toBe('@devs look');
    });

    it('adds an @ to a user group label without one', async () => {
      await expect(toPlainText('<!subteam^S123|devs>', directory())).resolves.toBe('@devs');
    });

    it('renders an unlabelled user group mention as its id', async () => {
      await expect(toPlainText('<!subteam^S123>', directory())).resolves.toBe('@S123');
    });

    it('renders a date as its fallback text', async () => {
      await expect(toPlainText('on <!date^1392734382^{date}|Feb 18, 2014>', directory())).resolves.toBe(
        'on Feb 18, 2014',
      );
    });

    it('renders a date without fallback text as an ISO timestamp', async () => {
      await expect(toPlainText('<!date^1392734382^{date}>', directory())).resolves.toBe('2014-02-18T14:39:42.000Z');
    });

    it('renders other labelled commands as their label', async () => {
      await expect(toPlainText('<!something^x|shown text>', directory())).resolves.toBe('shown text');
    });
  });

  describe('entities', () => {
    it('decodes the three Slack entities', async () => {
      await expect(toPlainText('a &lt; b &gt; c &amp; d', directory())).resolves.toBe('a < b > c & d');
    });

    it('decodes &amp; last so a doubly escaped entity stays escaped once', async () => {
      await expect(toPlainText('&amp;lt;b&amp;gt;', directory())).resolves.toBe('&lt;b&gt;');
    });

    it('leaves other entities alone', async () => {
      await expect(toPlainText('&quot;x&quot; &#39; &nbsp;', directory())).resolves.toBe('&quot;x&quot; &#39; &nbsp;');
    });

    it('does not turn decoded text into mentions', async () => {
      const names = directory({ U1: 'Ann' });
      await expect(toPlainText('&lt;@U1&gt; &lt;!channel&gt;', names)).resolves.toBe('<@U1> <!channel>');
      expect(names.userName).not.toHaveBeenCalled();
    });
  });

  describe('odd input', () => {
    it('returns an empty string for empty input', async () => {
      await expect(toPlainText('', directory())).resolves.toBe('');
    });

    it('returns an empty string for a non-string at runtime', async () => {
      await expect(toPlainText(undefined as unknown as string, directory())).resolves.toBe('');
    });

    it.each([
      ['unbalanced <', 'a < b'],
      ['unbalanced >', 'a > b'],
      ['nested brackets', '<<@U1>>'],
      ['empty brackets', '<>'],
      ['lone prefixes', '<@> <#> <!>'],
      ['unterminated token', 'hi <@U1'],
      ['brackets across lines', '<https://x.y\n|label>'],
    ])('does not throw on %s', async (_, input) => {
      await expect(toPlainText(input, directory())).resolves.toEqual(expect.any(String));
    });

    it('keeps an unbalanced bracket as text', async () => {
      await expect(toPlainText('a < b <@U1>', directory({ U1: 'Ann' }))).resolves.toBe('a < b @Ann');
    });

    it('keeps unrecognised bracketed text as it is', async () => {
      await expect(toPlainText('<not a link>', directory())).resolves.toBe('<not a link>');
    });

    it('handles a 40,000-character message quickly', async () => {
      const inputs = ['<'.repeat(40_000), `<${'a'.repeat(39_999)}`, '<@'.repeat(20_000), '<https://x|'.repeat(3_637)];
      const started = Date.now();
      for (const input of inputs) {
        await expect(toPlainText(input, directory())).resolves.toBe(input);
      }
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('converts many mentions in a 40,000-character message', async () => {
      const input = '<@U1> '.repeat(6_666).padEnd(40_000, 'x');
      const result = await toPlainText(input, directory({ U1: 'Ann' }));
      expect(result.startsWith('@Ann @Ann ')).toBe(true);
      expect(result).not.toContain('<@U1>');
    });
  });
});

describe('isAside', () => {
  it.each(['(aside) not for Devin', '!aside hush', '  \n(ASIDE) loud', '!Aside', '\t!aside'])(
    'treats %j as an aside',
    (text) => {
      expect(isAside(text)).toBe(true);
    },
  );

  it.each(['', 'hello (aside)', 'aside', '(aside', '! aside', 'please !aside', '( aside)'])(
    'does not treat %j as an aside',
    (text) => {
      expect(isAside(text)).toBe(false);
    },
  );

  it('returns false for a non-string at runtime', () => {
    expect(isAside(null as unknown as string)).toBe(false);
  });
});
