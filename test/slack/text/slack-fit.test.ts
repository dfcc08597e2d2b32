import type { types } from '@slack/bolt';
import {
  fitEscaped,
  fitMessage,
  fitMrkdwn,
  fitPlainText,
  fitView,
  quoteBlock,
  SLACK_LIMITS,
} from '../../../src/slack/text/slack-fit';
import { blockKitProblems } from '../../support/block-kit-limits';
import { limitBreach } from '../../support/slack-limits';
import type { Json } from '../../support/slack-signing';

const WHOLE = { url: 'https://app.devin.ai/sessions/abc', label: 'the rest in Devin' };
const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('fitMrkdwn', () => {
  it('leaves text that fits alone', () => {
    expect(fitMrkdwn('short', 5)).toBe('short');
  });

  it('cuts at a line break, else at a space, with an ellipsis', () => {
    expect(fitMrkdwn('first line\nsecond line here', 16)).toBe('first line…');
    expect(fitMrkdwn('first line\nsecond line here', 20)).toBe('first line\nsecond…');
    expect(fitMrkdwn('one two three four', 12)).toBe('one two…');
  });

  it('cuts anywhere when no boundary is near (a long word), never splitting a surrogate pair', () => {
    expect(fitMrkdwn('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
    const cut = fitMrkdwn('😀'.repeat(10), 6);
    expect(cut).toBe('😀😀…');
    expect(cut.length).toBeLessThanOrEqual(6);
  });

  it('never cuts inside a link or an entity', () => {
    const text = `see <https://example.com/a/very/long/path|the whole thing> now`;
    expect(fitMrkdwn(text, 30)).toBe('see…');
    expect(fitMrkdwn('aaaa&amp;&amp;&amp;', 10)).toBe('aaaa&amp;…');
  });

  it('links the whole after the cut when there is room for it, and only a web address', () => {
    const cut = fitMrkdwn('word '.repeat(200), 200, WHOLE);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith('… <https://app.devin.ai/sessions/abc|the rest in Devin>')).toBe(true);
    expect(fitMrkdwn('word '.repeat(200), 200, { url: 'javascript:x', label: 'x' }).endsWith('word…')).toBe(true);
    // No room for the link: the ellipsis alone.
    expect(fitMrkdwn('word '.repeat(20), 40, WHOLE)).toMatch(/word…$/);
  });

  it("counts UTF-16 code units, as the stricter reading of Slack's limits", () => {
    const cut = fitMrkdwn('本番 🚀 '.repeat(1000), 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
  });
});

describe('fitEscaped', () => {
  it('counts the escaping once it is applied: 1,000 of <, > and & fit 3,000 characters', () => {
    const fitted = fitEscaped('<>&'.repeat(334).slice(0, 1000), 3000);
    expect(fitted.length).toBeLessThanOrEqual(3000);
    expect(fitted).toMatch(/^(&lt;|&gt;|&amp;)+…$/);
  });
});

describe('fitPlainText', () => {
  it('cuts plain_text (nothing escaped) at a space', () => {
    expect(fitPlainText('Fix the <flaky> login test', 20)).toBe('Fix the <flaky>…');
  });
});

describe('fitMessage', () => {
  it('keeps a message within every limit of a status edit, whatever its parts', () => {
    const blocks: types.KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(400) } },
      ...Array.from({ length: 70 }, () => section('word '.repeat(1000))),
    ];
    const fitted = fitMessage({ text: 'word '.repeat(2000), blocks }, WHOLE);
    expect(limitBreach('chat.update', fitted as Json)).toBeUndefined();
    expect(fitted.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    expect(fitted.blocks?.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
    expect(JSON.stringify(fitted.blocks?.at(-1))).toContain('more parts left out');
  });
});

describe('fitView', () => {
  it('keeps a view within 100 blocks and 250 kB', () => {
    const blocks = Array.from({ length: 150 }, () => section('本'.repeat(2900)));
    const view = fitView<types.HomeView>({ type: 'home', blocks });
    expect(limitBreach('views.publish', { view } as Json)).toBeUndefined();
    expect(blockKitProblems(view as Json, 'home')).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(view))).toBeLessThanOrEqual(250_000);
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
