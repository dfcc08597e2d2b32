import { parseSessionRef, sessionWebUrl } from '../../../src/devin/shared/session-ref';

const HEX = '0123456789abcdef0123456789abcdef';
const ID = `devin-${HEX}`;

describe('parseSessionRef', () => {
  it('accepts a devin- session id', () => {
    expect(parseSessionRef(ID)).toBe(ID);
  });

  it('lower-cases the id', () => {
    expect(parseSessionRef(`DEVIN-${HEX.toUpperCase()}`)).toBe(ID);
  });

  it('adds the devin- prefix to a bare hex id', () => {
    expect(parseSessionRef(HEX)).toBe(ID);
  });

  it.each([16, 64])('accepts a bare hex id of %i characters', (length) => {
    const hex = 'a'.repeat(length);
    expect(parseSessionRef(hex)).toBe(`devin-${hex}`);
  });

  it.each([15, 65])('rejects a hex id of %i characters', (length) => {
    expect(parseSessionRef('a'.repeat(length))).toBeUndefined();
    expect(parseSessionRef(`devin-${'a'.repeat(length)}`)).toBeUndefined();
  });

  it('ignores surrounding whitespace', () => {
    expect(parseSessionRef(`  ${ID}\n`)).toBe(ID);
  });

  it.each([
    `https://app.devin.ai/sessions/${HEX}`,
    `https://app.devin.ai/sessions/${HEX}/`,
    `https://app.devin.ai/sessions/${HEX}?tab=shell`,
    `https://app.devin.ai/sessions/${HEX}#event-3`,
    `https://app.devin.ai/sessions/${HEX}/?a=1&b=2#x`,
    `https://staging.devin.ai/sessions/${HEX}`,
    `https://APP.DEVIN.AI/sessions/${HEX.toUpperCase()}`,
    `https://app.devin.ai/sessions/${ID}`,
  ])('accepts the session URL %s', (url) => {
    expect(parseSessionRef(url)).toBe(ID);
  });

  it.each([
    `<https://app.devin.ai/sessions/${HEX}>`,
    `<https://app.devin.ai/sessions/${HEX}|my session>`,
    `<https://app.devin.ai/sessions/${HEX}?a=1&amp;b=2|label>`,
    `<${ID}>`,
  ])('accepts a Slack-wrapped reference %s', (input) => {
    expect(parseSessionRef(input)).toBe(ID);
  });

  it.each([
    ['plain http', `http://app.devin.ai/sessions/${HEX}`],
    ['a foreign host', `https://example.com/sessions/${HEX}`],
    ['a look-alike host', `https://app.devin.ai.evil.com/sessions/${HEX}`],
    ['a host merely ending in devin.ai', `https://evildevin.ai/sessions/${HEX}`],
    ['another path', `https://app.devin.ai/settings/${HEX}`],
    ['a nested session path', `https://app.devin.ai/sessions/${HEX}/extra`],
    ['a non-hex session', 'https://app.devin.ai/sessions/not-a-session-id-at-all'],
    ['a session URL without an id', 'https://app.devin.ai/sessions/'],
    ['a javascript URL', `javascript:alert('${HEX}')`],
    ['a non-hex id', `devin-${'g'.repeat(32)}`],
    ['an id with a different prefix', `session-${HEX}`],
    ['an id with trailing text', `${ID} please`],
    ['an empty string', ''],
    ['whitespace', '   '],
    ['empty brackets', '<>'],
    ['an unclosed bracket', `<https://app.devin.ai/sessions/${HEX}`],
    ['a very long input', `${ID}${' '.repeat(5000)}`],
  ])('rejects %s', (_, input) => {
    expect(parseSessionRef(input)).toBeUndefined();
  });

  it('rejects non-strings at runtime', () => {
    expect(parseSessionRef(undefined as unknown as string)).toBeUndefined();
    expect(parseSessionRef(42 as unknown as string)).toBeUndefined();
  });
});

describe('sessionWebUrl', () => {
  const WEB = 'https://app.devin.ai';

  it('builds the app URL without the devin- prefix', () => {
    expect(sessionWebUrl(ID, WEB)).toBe(`https://app.devin.ai/sessions/${HEX}`);
  });

  it('uses a custom web base and tolerates a trailing slash on it', () => {
    expect(sessionWebUrl(ID, 'https://devin.example.com/')).toBe(`https://devin.example.com/sessions/${HEX}`);
  });

  it('accepts an id without the prefix', () => {
    expect(sessionWebUrl(HEX, WEB)).toBe(`https://app.devin.ai/sessions/${HEX}`);
  });

  it('round-trips through parseSessionRef', () => {
    expect(parseSessionRef(sessionWebUrl(ID, WEB))).toBe(ID);
  });

  it('round-trips through parseSessionRef on another web app (DEVIN_WEB_URL), and only on that one', () => {
    const own = 'http://devin.internal.example:8080';
    expect(parseSessionRef(sessionWebUrl(ID, own), own)).toBe(ID);
    expect(parseSessionRef(sessionWebUrl(ID, own))).toBeUndefined();
    expect(parseSessionRef(sessionWebUrl(ID, 'http://elsewhere.example:8080'), own)).toBeUndefined();
  });

  it('encodes characters that would change the URL path', () => {
    expect(sessionWebUrl('devin-a/b?c', WEB)).toBe('https://app.devin.ai/sessions/a%2Fb%3Fc');
  });
});
