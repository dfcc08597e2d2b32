import { BLOCK_KIT_LIMITS, blockKitProblems, payloadProblems } from './block-kit-limits';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'a',
  text: { type: 'plain_text', text: 'Go' },
  ...extra,
});

describe('blockKitProblems', () => {
  it('accepts a message within every limit', () => {
    expect(
      blockKitProblems({ text: 'hi', blocks: [section('hi'), { type: 'actions', elements: [button()] }] }),
    ).toEqual([]);
  });

  it('counts blocks per message and per view', () => {
    const blocks = Array.from({ length: 51 }, () => section('x'));
    expect(blockKitProblems({ blocks })).toEqual(['51 blocks > 50']);
    expect(blockKitProblems({ blocks }, 'view')).toEqual([]);
    expect(blockKitProblems({ blocks: [...blocks, ...blocks] }, 'view')).toEqual(['102 blocks > 100']);
  });

  it.each([
    ['section text', { blocks: [section('x'.repeat(3001))] }],
    ['header text', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }],
    ['a header in mrkdwn', { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }],
    [
      'button text',
      { blocks: [{ type: 'actions', elements: [button({ text: { type: 'plain_text', text: 'x'.repeat(76) } })] }] },
    ],
    ['action_id', { blocks: [{ type: 'actions', elements: [button({ action_id: 'x'.repeat(256) })] }] }],
    ['value', { blocks: [{ type: 'actions', elements: [button({ value: 'x'.repeat(2001) })] }] }],
    ['url', { blocks: [{ type: 'actions', elements: [button({ url: 'javascript:alert(1)' })] }] }],
    ['elements per actions', { blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, () => button()) }] }],
    [
      'confirm title',
      {
        blocks: [
          {
            type: 'actions',
            elements: [
              button({
                confirm: {
                  title: { type: 'plain_text', text: 'x'.repeat(101) },
                  text: { type: 'plain_text', text: 'ok' },
                },
              }),
            ],
          },
        ],
      },
    ],
    [
      'confirm text',
      {
        blocks: [
          { type: 'actions', elements: [button({ confirm: { text: { type: 'plain_text', text: 'x'.repeat(301) } } })] },
        ],
      },
    ],
    ['message text', { text: 'x'.repeat(BLOCK_KIT_LIMITS.messageText + 1) }],
    ['an unknown block', { blocks: [{ type: 'carousel' }] }],
  ])('finds a payload over the limit of its %s', (_, payload) => {
    expect(blockKitProblems(payload)).toHaveLength(1);
  });

  it('checks the messages and views in recorded calls and response_url answers', () => {
    const calls = [
      { method: 'chat.postMessage', args: { text: 'ok', blocks: [section('x'.repeat(3001))] } },
      { method: 'views.publish', args: { view: { type: 'home', blocks: [section('x'.repeat(3001))] } } },
      { method: 'reactions.add', args: { name: 'x'.repeat(5000) } },
    ];
    expect(
      payloadProblems(calls, [{ body: { text: 'x', blocks: [{ type: 'divider', block_id: 'x'.repeat(256) }] } }]),
    ).toHaveLength(3);
  });
});
