import fc from 'fast-check';
import { markdownToMrkdwn } from '../../../src/slack/text/devin-markdown';
import { type NameDirectory, toPlainText } from '../../../src/slack/text/incoming-text';
import { escapeSlackText } from '../../../src/slack/text/outgoing-text';
import { relayedText } from '../../../src/slack/text/relayed-text';
import { quoteBlock } from '../../../src/slack/text/slack-fit';
import { splitForSlack } from '../../../src/slack/text/split-message';
import { fuzzRuns } from '../../support/fuzz';
import { relayedWords } from '../../support/relayed-words';

// ---------------------------------------------------------------------------------------------------------------
// What the output must never hold

/** Slack's control sequences: broadcasts, user and channel mentions, user groups, and any other `<!command>`. */
const CONTROL = /<(?:!|@|#)[^<>]*>/;
/** Every `<...>` Slack would read as markup. */
const TOKENS = /<[^<>]*>/g;
/** A Slack link the app may send: a web or mail target, optionally with a label. */
const LINK = /^<((?:https?:\/\/|mailto:)[^<>|\s]+)(?:\|([^<>]*))?>$/;
/** Addresses a reader takes a label for: URLs, `www.` hosts, bare domains, e-mail addresses. */
const ADDRESS =
  /(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9._%+-]+@)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?![a-z0-9-])(?:[/?#][^\s]*)?/gi;

function hostOf(address: string): string {
  const withoutScheme = address.replace(/^[a-z][a-z0-9+.-]*:(?:\/\/)?/i, '');
  const host = withoutScheme.replace(/^[^@/]*@/, '').split(/[/?#:]/)[0] ?? '';
  return host.toLowerCase().replace(/^www\./, '');
}

/**
 * A link misleads when its label names an address other than where it goes: each address in the label must be on
 * the target's host (a file name such as `README.md` is fine when the target's path ends with it).
 */
function misleadingLabel(target: string, label: string): string | undefined {
  const targetHost = hostOf(target);
  const decodedTarget = decodeURIComponent(target.replace(/&amp;/g, '&')).toLowerCase();
  for (const [address] of label.replace(/&amp;/g, '&').matchAll(ADDRESS)) {
    const host = hostOf(address);
    const sameHost = host === targetHost || targetHost.endsWith(`.${host}`);
    const named = /^[a-z][a-z0-9+.-]*:|^www\.|@/i.test(address);
    const inPath = !named && decodedTarget.includes(`/${address.toLowerCase()}`);
    if (!sameHost && !inPath) return address;
  }
  return undefined;
}

/** Every piece of markup in Slack mrkdwn, checked: a link to the web or mail, whose label does not mislead. */
function expectSafeMrkdwn(mrkdwn: string): void {
  expect(mrkdwn).not.toMatch(CONTROL);
  for (const [token] of mrkdwn.matchAll(TOKENS)) {
    const link = LINK.exec(token);
    expect({ token, isLink: link !== null }).toEqual({ token, isLink: true });
    const [, target = '', label = ''] = link ?? [];
    expect({ token, misleads: misleadingLabel(target, label) }).toEqual({ token, misleads: undefined });
  }
}

/** The characters that carry meaning, in order: what splitting may not lose (cuts drop blanks, reopen fences). */
const meaningful = (text: string) => text.replace(/[\s`]/g, '');

// ---------------------------------------------------------------------------------------------------------------
// Generators

const SPECIAL = ['<', '>', '&', '|', '!', '@', '#', '^', '*', '_', '~', '`', '[', ']', '(', ')', ':', '/', '.', '\\'];
const ODD = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\r',
  '\t',
  '\n',
  '😀',
  '👩‍💻',
  'é',
  'ß',
  '中',
];
/** Text heavy in what means something to Slack or Markdown, with control characters and unicode. */
const markupText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'x', 'here', 'channel', 'U1', 'C1', 'http', ' ', '  ') },
    { weight: 2, arbitrary: fc.constantFrom(...ODD) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  ),
  maxLength: 60,
});
const userId = fc.stringMatching(/^[UW][A-Z0-9]{2,10}$/).filter((id) => id !== 'UBOT');
const channelId = fc.stringMatching(/^[CG][A-Z0-9]{2,10}$/);
const addressLike = fc.constantFrom(
  'https://good.example',
  'https://good.example/login',
  'good.example',
  'www.good.example',
  'http://evil.example',
  'someone@good.example',
  'README.md',
  'src/app.ts',
  'the docs',
  'click here',
);
const target = fc.constantFrom(
  'https://evil.example/login',
  'https://good.example/login',
  'https://sub.good.example/x',
  'https://github.com/o/r/blob/main/README.md',
  'mailto:someone@good.example',
  'mailto:other@evil.example',
  'javascript:alert(1)',
  'README.md',
  'https://evil.example/x|<!channel>',
  'https://evil.example/<!here>',
);
const label = fc.oneof(
  addressLike,
  markupText,
  fc.tuple(markupText, addressLike).map(([a, b]) => `${a} ${b}`),
);

// Slack markup as Slack sends it: what people typed has & < > escaped; the rest are tokens.
type Part =
  | { kind: 'text'; typed: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  | { kind: 'special'; name: string; label?: string }
  | { kind: 'link'; url: string; label?: string };

const tokenLabel = fc.option(
  markupText.map((s) => s.replace(/[<>\n|]/g, '')),
  { nil: undefined },
);
const slackPart = (typed: fc.Arbitrary<string>): fc.Arbitrary<Part> =>
  fc.oneof(
    { weight: 3, arbitrary: typed.map((t) => ({ kind: 'text' as const, typed: t })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('user' as const), id: userId, label: tokenLabel }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('channel' as const), id: channelId, label: tokenLabel }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('special' as const),
        name: fc.constantFrom('here', 'channel', 'everyone', 'subteam^S123', 'date^1392734382^{date}', 'unknown'),
        label: tokenLabel,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('link' as const),
        url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constant('mailto:a@b.example')),
        label: fc.option(
          label.map((s) => s.replace(/[<>\n|]/g, '')),
          { nil: undefined },
        ),
      }),
    },
  );

function encode(part: Part): string {
  const bar = (l: string | undefined) => (l === undefined ? '' : `|${escapeSlackText(l)}`);
  switch (part.kind) {
    case 'text':
      return escapeSlackText(part.typed);
    case 'user':
      return `<@${part.id}${bar(part.label)}>`;
    case 'channel':
      return `<#${part.id}${bar(part.label)}>`;
    case 'special':
      return `<!${part.name}${bar(part.label)}>`;
    case 'link':
      return `<${part.url.replace(/&/g, '&amp;')}${bar(part.label)}>`;
  }
}

const names: NameDirectory = {
  userName: async (id) => (id.endsWith('0') ? undefined : `name-of-${id}`),
  channelName: async (id) => (id.endsWith('0') ? undefined : `chan-of-${id}`),
};

/** Markdown as Devin might write it, with Slack markup and hostile links mixed in. */
const markdownPiece = fc.oneof(
  { weight: 4, arbitrary: markupText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '<!here>',
      '<!channel>',
      '<!everyone>',
      '<@U123ABC>',
      '<#C123|general>',
      '<!subteam^S1|@devs>',
      '&lt;!here&gt;',
      '&amp;lt;@U1&amp;gt;',
      '<https://evil.example|https://good.example>',
    ),
  },
  { weight: 3, arbitrary: fc.tuple(label, target).map(([l, t]) => `[${l}](${t})`) },
  { weight: 1, arbitrary: fc.tuple(label, target).map(([l, t]) => `![${l}](${t})`) },
  { weight: 1, arbitrary: target.map((t) => `<${t}>`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('https://good.example/a?b=1&c=2', 'someone@good.example', 'www.good.example'),
  },
  { weight: 1, arbitrary: markupText.map((t) => `\`${t}\``) },
  { weight: 1, arbitrary: markupText.map((t) => `\n\`\`\`\n${t}\n\`\`\`\n`) },
  { weight: 1, arbitrary: markupText.map((t) => `\n- ${t}\n  1. ${t}\n`) },
  { weight: 1, arbitrary: markupText.map((t) => `\n> ${t}\n`) },
  { weight: 1, arbitrary: markupText.map((t) => `\n## ${t}\n`) },
  { weight: 1, arbitrary: markupText.map((t) => `\n| a | ${t} |\n|---|---|\n| ${t} | [x](https://evil.example) |\n`) },
  { weight: 1, arbitrary: markupText.map((t) => `<div>${t}</div>`) },
  { weight: 1, arbitrary: fc.constantFrom('**', '__', '~~', '\n', '\n\n', '    ', '\\', '[', ']') },
);
const markdown = fc.array(markdownPiece, { maxLength: 25 }).map((pieces) => pieces.join(''));

// ---------------------------------------------------------------------------------------------------------------
// Slack markup into plain text for Devin

describe('toPlainText (Slack markup to the words Devin reads)', () => {
  it('leaves no Slack markup: mentions, broadcasts and channels become names, links show where they go', async () => {
    const typed = markupText.map((s) => s.replace(/[<>]/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(slackPart(typed), { maxLength: 20 }), async (parts) => {
        const text = await toPlainText(parts.map(encode).join(''), names);

        expect(text).not.toMatch(/[<>]/);
        for (const part of parts) {
          if (part.kind === 'user' && !part.label)
            expect(text).toContain(`@${part.id.endsWith('0') ? part.id : `name-of-${part.id}`}`);
          if (part.kind === 'link' && part.label && part.label !== part.url)
            expect(text).toContain(part.url.replace(/^mailto:/, ''));
        }
      }),
      fuzzRuns(800),
    );
  });

  it("passes on people's own words exactly, whatever they typed (a literal <!here> included)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(slackPart(markupText), { maxLength: 20 }), async (parts) => {
        const text = await toPlainText(parts.map(encode).join(''), names);

        let from = 0;
        for (const part of parts) {
          if (part.kind !== 'text') continue;
          const at = text.indexOf(part.typed, from);
          expect({ typed: part.typed, found: at >= 0 }).toEqual({ typed: part.typed, found: true });
          from = at + part.typed.length;
        }
      }),
      fuzzRuns(800),
    );
  });

  it('turns any string into text without throwing, and never into more than the names it looked up add', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(markupText, fc.string({ unit: 'binary', maxLength: 200 })), async (raw) => {
        const text = await toPlainText(raw, names);
        const tokens = raw.match(/<[^<>\n]*>/g)?.length ?? 0;
        expect(text.length).toBeLessThanOrEqual(raw.length + tokens * 40);
      }),
      fuzzRuns(800),
    );
  });

  it('relays the words of a message with the app mention taken off and no Slack markup left', async () => {
    const typed = markupText.map((s) => s.replace(/[<>]/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(slackPart(typed), { maxLength: 12 }), fc.boolean(), async (parts, mentionFirst) => {
        const text = parts.map(encode).join('');
        const relayed = await relayedText(
          { id: 'U1', realName: 'Alice', handle: 'alice' },
          `${mentionFirst ? '<@UBOT> ' : ''}${text}`,
          names,
          {
            botUserId: 'UBOT',
          },
        );

        if (relayed === '') return;
        // Words of several lines come quoted (`> `), every line of them, below the author line.
        const [authorLine = '', ...below] = relayed.split('\n');
        expect(authorLine.startsWith('Alice (@alice, U1) via Slack:')).toBe(true);
        for (const line of below) expect(line.startsWith('> ')).toBe(true);
        expect(relayedWords(relayed)).not.toMatch(/[<>]/);
        const words = (await toPlainText(text, names)).trim();
        expect(relayedWords(relayed)).toBe(words.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).join('\n'));
      }),
      fuzzRuns(600),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Devin's Markdown into Slack mrkdwn

describe("markdownToMrkdwn (Devin's Markdown to what Slack shows)", () => {
  it('never lets a broadcast, a mention or a channel through, and every link is honest about where it goes', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        expectSafeMrkdwn(markdownToMrkdwn(text));
      }),
      fuzzRuns(3000),
    );
  });
});

describe('escapeSlackText', () => {
  it('leaves no markup and loses nothing: unescaping gives the text back', () => {
    fc.assert(
      fc.property(fc.oneof(markupText, fc.string({ unit: 'binary' })), (text) => {
        const escaped = escapeSlackText(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(text);
      }),
      fuzzRuns(1000),
    );
  });
});

describe('quoteBlock', () => {
  it("quotes escaped text within its limit (a section block's 3,000 characters at most), making no markup", () => {
    fc.assert(
      fc.property(
        fc.oneof(markupText, fc.string({ unit: 'grapheme', maxLength: 4000 })),
        fc.integer({ min: 1, max: 3000 }),
        (text, max) => {
          const quoted = quoteBlock(escapeSlackText(text), max);
          expect(quoted.length).toBeLessThanOrEqual(max);
          // Of < and >, only the quote marks are left: one at the start of each line.
          expect(quoted.replace(/^>/gm, '')).not.toMatch(/[<>]/);
          if (quoted !== '' && !quoted.endsWith('…')) {
            expect(meaningful(quoted.replace(/^> ?/gm, ''))).toBe(meaningful(escapeSlackText(text)));
          }
        },
      ),
      fuzzRuns(1000),
    );
  });
});

describe('splitForSlack', () => {
  it("cuts Devin's messages into chunks within the limit, losing no text and making no markup", () => {
    fc.assert(
      fc.property(markdown, fc.integer({ min: 16, max: 400 }), (text, limit) => {
        const mrkdwn = markdownToMrkdwn(text);
        const chunks = splitForSlack(mrkdwn, limit);

        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect(chunk.trim()).not.toBe('');
          expect(chunk).not.toMatch(CONTROL);
          for (const [token] of chunk.matchAll(TOKENS)) expect(token).toMatch(LINK);
        }
        expect(meaningful(chunks.join(''))).toBe(meaningful(mrkdwn));
      }),
      fuzzRuns(1200),
    );
  });

  it('keeps long messages within the default limit of 3,500 characters, in order', () => {
    const longText = fc
      .array(fc.oneof(markdownPiece, fc.string({ unit: 'grapheme', minLength: 200, maxLength: 3000 })), {
        minLength: 5,
        maxLength: 40,
      })
      .map((pieces) => pieces.join('\n'));
    fc.assert(
      fc.property(longText, (text) => {
        const chunks = splitForSlack(markdownToMrkdwn(text));
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3500);
        expect(meaningful(chunks.join(''))).toBe(meaningful(markdownToMrkdwn(text)));
      }),
      fuzzRuns(120),
    );
  });
});
