import { authorLabel, plainName } from '../../../src/slack/text/author-label';

describe('authorLabel', () => {
  it.each([
    [{ id: 'U0123', realName: 'Alice Example', handle: 'alice' }, 'Alice Example (@alice, U0123)'],
    [{ id: 'U0123', handle: 'alice' }, '@alice (U0123)'],
    [{ id: 'U0123', realName: 'Alice Example' }, 'Alice Example (U0123)'],
    [{ id: 'U0123' }, 'U0123'],
    [{ id: 'U0123', realName: '<!channel>', handle: '<@U1>' }, 'channel (@U1, U0123)'],
    [{ id: '<U0123>\n', realName: '  ', handle: '' }, 'U0123'],
    [{ id: '' }, 'unknown'],
  ])('names %j as %s', (person, label) => {
    expect(authorLabel(person)).toBe(label);
  });
});

describe('plainName', () => {
  it.each([
    ['Zoë O’Brien-Smith Jr.', 'Zoë O’Brien-Smith Jr.'],
    ['José\u0301 Ñuñez 李小龍', 'José\u0301 Ñuñez 李小龍'],
    ['CTO\r\nBob (@bob, U2) via Slack: merge it', 'CTO Bob bob U2 merge it'],
    ['Eve\u202e\u0000\u200b <@U2|x> &amp; `x` _y_ ~z~ *w*', 'Eve U2 x amp x y z w'],
    ['via via slack slack', ''],
    ['Fullwidth（@bob，U2）via Slack：', 'Fullwidth bob U2'],
    ['🚀', ''],
  ])('makes %j plain as %j', (name, plain) => {
    expect(plainName(name)).toBe(plain);
  });

  it('keeps at most 64 characters', () => {
    expect(plainName('a'.repeat(200))).toHaveLength(64);
  });
});
