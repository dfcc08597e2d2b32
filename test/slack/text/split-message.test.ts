import { markdownToMrkdwn } from '../../../src/slack/text/devin-markdown';
import { splitForSlack } from '../../../src/slack/text/split-message';

const words = (count: number, word = 'word') => Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');
const codeLines = (count: number) =>
  Array.from({ length: count }, (_, i) => `  line ${i}: const v${i} = f(${i}) &amp;&amp; g &lt; ${i};`).join('\n');
const fenceLines = (chunk: string) => chunk.split('\n').filter((line) => line.startsWith('```')).length;
/** Content without whitespace or fences: what must survive the split. */
const content = (text: string) => text.replace(/```/g, '').replace(/\s+/g, '');

function expectWellFormed(text: string, chunks: string[], limit: number): void {
  for (const chunk of chunks) {
    expect(chunk.length).toBeLessThanOrEqual(limit);
    expect(chunk.trim()).not.toBe('');
    expect(fenceLines(chunk) % 2).toBe(0);
  }
  expect(content(chunks.join(''))).toBe(content(text));
}

describe('splitForSlack', () => {
  it('returns a short message as one chunk', () => {
    expect(splitForSlack('hello *world*')).toEqual(['hello *world*']);
  });

  it('returns a message of exactly the limit as one chunk', () => {
    const text = 'x'.repeat(3500);
    expect(splitForSlack(text)).toEqual([text]);
  });

  it('returns no chunks for empty or blank text', () => {
    expect(splitForSlack('')).toEqual([]);
    expect(splitForSlack('\n\n')).toEqual([]);
    expect(splitForSlack('   ')).toEqual([]);
  });

  it('rejects a limit too small to hold a reopened code block', () => {
    expect(() => splitForSlack('text', 8)).toThrow(RangeError);
    expect(() => splitForSlack('text', Number.NaN)).toThrow(RangeError);
  });

  it('prefers paragraph breaks', () => {
    const text = `${'a'.repeat(30)}\nb\n\n${'c'.repeat(30)} d`;
    expect(splitForSlack(text, 40)).toEqual([`${'a'.repeat(30)}\nb`, `${'c'.repeat(30)} d`]);
  });

  it('then line breaks', () => {
    const text = `${'a'.repeat(20)} b\n${'c'.repeat(20)} d`;
    expect(splitForSlack(text, 30)).toEqual([`${'a'.repeat(20)} b`, `${'c'.repeat(20)} d`]);
  });

  it('then spaces', () => {
    expect(splitForSlack('aaaa bbbb cccc dddd eeee ffff', 16)).toEqual(['aaaa bbbb cccc', 'dddd eeee ffff']);
  });

  it('cuts a long word where it must and loses nothing', () => {
    const text = 'x'.repeat(10_000);
    const chunks = splitForSlack(text, 3500);
    expect(chunks.map((c) => c.length)).toEqual([3500, 3500, 3000]);
    expect(chunks.join('')).toBe(text);
  });

  it('splits a single line longer than the limit at spaces', () => {
    const text = words(2000);
    const chunks = splitForSlack(text, 1000);
    expect(chunks.length).toBeGreaterThan(10);
    expectWellFormed(text, chunks, 1000);
    expect(chunks.join(' ')).toBe(text);
  });

  it('does not cut inside a link', () => {
    const text = Array.from({ length: 200 }, (_, i) => `<https://example.com/${i}|link number ${i}>`).join(' ');
    const chunks = splitForSlack(text, 100);
    for (const chunk of chunks) {
      expect(chunk.split('<').length).toBe(chunk.split('>').length);
      expect(chunk.length).toBeLessThanOrEqual(100);
    }
    expect(chunks.join(' ')).toBe(text);
  });

  it('does not cut inside an entity or a surrogate pair', () => {
    const entities = 'a&amp;b&lt;'.repeat(500);
    for (const chunk of splitForSlack(entities, 97)) expect(chunk).not.toMatch(/&[a-z]*$/);
    const emoji = '😀'.repeat(500);
    const chunks = splitForSlack(emoji, 101);
    expect(chunks.join('')).toBe(emoji);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(101);
    for (const chunk of chunks) expect(chunk).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('closes and reopens a code block that straddles the cut', () => {
    const text = `${words(300, 'intro')}\n\n\`\`\`\n${codeLines(200)}\n\`\`\`\n\n${words(300, 'outro')}`;
    expect(text.length).toBeGreaterThan(10_000);
    const chunks = splitForSlack(text);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expectWellFormed(text, chunks, 3500);
    const inner = chunks.filter((c) => c.includes('line '));
    expect(inner.length).toBeGreaterThanOrEqual(2);
    expect(inner[0].endsWith('\n```')).toBe(true);
    expect(inner[1].startsWith('```\n  line ')).toBe(true);
  });

  it('splits a code block longer than several chunks', () => {
    const text = `Here:\n\`\`\`\n${codeLines(300)}\n\`\`\`\nDone.`;
    const chunks = splitForSlack(text, 1000);
    expect(chunks.length).toBeGreaterThan(10);
    expectWellFormed(text, chunks, 1000);
    for (const chunk of chunks.slice(1, -1)) {
      expect(chunk.startsWith('```\n')).toBe(true);
      expect(chunk.endsWith('\n```')).toBe(true);
    }
  });

  it('keeps fences within the limit when a code line is longer than a chunk', () => {
    const text = `\`\`\`\n${'y'.repeat(5000)}\n\`\`\``;
    const chunks = splitForSlack(text, 500);
    expectWellFormed(text, chunks, 500);
    expect(chunks.every((c) => c.startsWith('```') && c.endsWith('```'))).toBe(true);
  });

  it('never leaves an empty code block at a cut', () => {
    const text = `${'a'.repeat(40)}\n\`\`\`\n${'b'.repeat(40)}\n\`\`\`\n${'c'.repeat(40)}`;
    for (let limit = 16; limit < text.length; limit++) {
      const chunks = splitForSlack(text, limit);
      expectWellFormed(text, chunks, limit);
      for (const chunk of chunks) expect(chunk).not.toMatch(/```\s*```/);
    }
  });

  it('splits a converted 10,000-character Devin message', () => {
    const markdown = [
      '## Summary',
      words(250, 'summary'),
      '- first point with **bold**\n- second point with [a link](https://example.com/a?b=1&c=2)',
      `\`\`\`ts\n${Array.from({ length: 150 }, (_, i) => `const value${i} = a < b && c > ${i};`).join('\n')}\n\`\`\``,
      words(300, 'closing'),
    ].join('\n\n');
    const mrkdwn = markdownToMrkdwn(markdown);
    expect(mrkdwn.length).toBeGreaterThan(10_000);
    const chunks = splitForSlack(mrkdwn);
    expect(chunks.length).toBeGreaterThan(2);
    expectWellFormed(mrkdwn, chunks, 3500);
    expect(chunks.some((c) => c.startsWith('```\nconst value'))).toBe(true);
  });

  it('keeps its promises on generated mrkdwn at many limits', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const pieces = ['word ', 'long-word-without-spaces ', '\n', '\n\n', '<https://x.com/a|a label> ', '&amp; ', '😀 '];
    for (let round = 0; round < 30; round++) {
      let text = '';
      while (text.length < 3000) {
        if (random(10) === 0)
          text += `\n\`\`\`\n${pieces
            .slice(0, 4)
            .join('')
            .repeat(random(40) + 1)}\n\`\`\`\n`;
        else text += pieces[random(pieces.length)];
      }
      const limit = 16 + random(400);
      expectWellFormed(text, splitForSlack(text, limit), limit);
    }
  });

  it('splits 100 KB', () => {
    const text = `${words(5000)}\n\n\`\`\`\n${codeLines(1500)}\n\`\`\`\n\n${words(5000)}`;
    expect(text.length).toBeGreaterThan(100_000);
    const chunks = splitForSlack(text);
    expectWellFormed(text, chunks, 3500);
  });
});
