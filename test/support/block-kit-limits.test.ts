import { blockKitProblems } from './block-kit-limits';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, extra: object = {}) => ({
  type: 'button',
  action_id: 'a',
  text: { type: 'plain_text', text },
  ...extra,
});

describe('blockKitProblems', () => {
  it('accepts a message within the limits', () => {
    const message = { text: 'hi', blocks: [section('hi'), { type: 'actions', elements: [button('Resend')] }] };
    expect(blockKitProblems(message, 'message')).toEqual([]);
  });

  it('counts blocks per surface: 50 in a message, 100 in a view', () => {
    const blocks = Array.from({ length: 51 }, () => section('x'));
    expect(blockKitProblems({ text: 'x', blocks }, 'message')).toEqual(['51 blocks (at most 50 in a message)']);
    expect(blockKitProblems({ type: 'home', blocks }, 'home')).toEqual([]);
    const many = Array.from({ length: 101 }, () => section('x'));
    expect(blockKitProblems({ type: 'home', blocks: many }, 'home')).toEqual(['101 blocks (at most 100 in a home)']);
  });

  it('finds a section over 3,000 characters, a button over 75 and a confirm dialog over its limits', () => {
    const problems = blockKitProblems(
      {
        text: 'x',
        blocks: [
          section('x'.repeat(3001)),
          {
            type: 'actions',
            elements: [
              button('b'.repeat(76), {
                confirm: {
                  title: { type: 'plain_text', text: 't'.repeat(101) },
                  text: { type: 'plain_text', text: 'x' },
                  confirm: { type: 'plain_text', text: 'End session' },
                  deny: { type: 'plain_text', text: 'Keep it' },
                },
              }),
            ],
          },
        ],
      },
      'message',
    );
    expect(problems).toEqual([
      'block 0 (section) text: 3001 characters (at most 3000)',
      'block 1 (actions) element 0 text: 76 characters (at most 75)',
      'block 1 (actions) element 0 confirm title: 101 characters (at most 100)',
    ]);
  });

  it('finds a select with too many options, one too long, and a modal title over 24 characters', () => {
    const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });
    const options = Array.from({ length: 101 }, (_, i) => option(`o${i}`, `v${i}`));
    options[0] = option('o'.repeat(76), 'v0');
    const problems = blockKitProblems(
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'A title that is far too long' },
        submit: { type: 'plain_text', text: 'Send' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Session' },
            element: { type: 'static_select', action_id: 's', options },
          },
        ],
      },
      'modal',
    );
    expect(problems).toEqual([
      'modal title: 28 characters (at most 24)',
      'block 0 (input) element: 1 to 100 options, not 101',
      'block 0 (input) element option text: 76 characters (at most 75)',
    ]);
  });
});
