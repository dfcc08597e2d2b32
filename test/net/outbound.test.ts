import { DevinAttachments } from '../../src/devin/shared/devin-attachments';
import { isLinkableUrl, isPublicAddress, isWebUrl, parseUrl, redirectRefusal } from '../../src/net/outbound';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '52.95.110.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'admits %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('redirectRefusal', () => {
  const configured = new Set(['http://127.0.0.1:4000']);
  const refusal = (url: string) => redirectRefusal(parseUrl(url) as URL, configured);

  it('follows https to a name (its addresses are checked as it connects) and the configured origin as configured', () => {
    expect(refusal('https://bucket.s3.amazonaws.com/x?sig=1')).toBeUndefined();
    expect(refusal('http://127.0.0.1:4000/presigned/1')).toBeUndefined();
  });

  it('refuses plain http, other schemes and https to an address that is not public', () => {
    expect(refusal('http://bucket.example/x')).toMatch(/https only/);
    expect(refusal('ftp://bucket.example/x')).toMatch(/https only/);
    expect(refusal('http://127.0.0.1:4001/x')).toMatch(/https only/);
    expect(refusal('https://127.0.0.1:4000/x')).toMatch(/not a public address/);
    expect(refusal('https://[::1]/x')).toMatch(/not a public address/);
    expect(refusal('https://169.254.169.254/latest')).toMatch(/not a public address/);
  });
});

describe("which links get Devin's key", () => {
  const attachments = new DevinAttachments({
    apiUrl: 'https://api.devin.ai',
    storageHosts: ['storage.devin.ai'],
  });
  const keyed = (url: string) => attachments.isAttachment(url);

  it('are attachment paths, anchored, at the exact API origin or over https on a storage host', () => {
    expect(keyed('https://api.devin.ai/attachments/u1/a.png')).toBe(true);
    expect(keyed('https://api.devin.ai/v1/attachments/u1/a.png')).toBe(true);
    expect(keyed('https://storage.devin.ai/attachments/u1/a.png')).toBe(true);
  });

  it('are not links with another scheme or port, elsewhere in the path, with credentials, or on a storage host over http', () => {
    expect(keyed('http://api.devin.ai/attachments/u1/a.png')).toBe(false);
    expect(keyed('https://api.devin.ai:8443/attachments/u1/a.png')).toBe(false);
    expect(keyed('https://api.devin.ai/uploads/attachments/u1/a.png')).toBe(false);
    expect(keyed('https://api.devin.ai/attachments/u1/a.png/more')).toBe(false);
    expect(keyed('https://api.devin.ai/v1/sessions/attachments/u1')).toBe(false);
    expect(keyed('https://me:pw@api.devin.ai/attachments/u1/a.png')).toBe(false);
    expect(keyed('http://storage.devin.ai/attachments/u1/a.png')).toBe(false);
    expect(keyed('https://storage.devin.ai.evil.example/attachments/u1/a.png')).toBe(false);
    expect(keyed('https://evil.example/attachments/u1/a.png')).toBe(false);
  });

  it('keep the API path of DEVIN_API_URL when it has one', () => {
    const prefixed = new DevinAttachments({
      apiUrl: 'https://gateway.example/devin',
      storageHosts: [],
    });
    expect(prefixed.isAttachment('https://gateway.example/devin/attachments/u1/a.png')).toBe(true);
    expect(prefixed.isAttachment('https://gateway.example/attachments/u1/a.png')).toBe(false);
  });
});

describe('which addresses go into a Slack link as they are', () => {
  it('are plain web addresses of a sane length', () => {
    expect(isLinkableUrl('https://github.com/acme/app/pull/7')).toBe(true);
    expect(isLinkableUrl('http://example.com/a?b=c&d=e#f')).toBe(true);
    expect(isLinkableUrl(`https://example.com/${'a'.repeat(1000)}`)).toBe(false);
    expect(isLinkableUrl(`https://example.com/${'a'.repeat(1000)}`, 3000)).toBe(true);
  });

  it('are never another scheme, nor anything that could end the link or start another', () => {
    for (const url of [
      'javascript:alert(1)',
      'mailto:someone@example.com',
      'ftp://example.com/x',
      'https://example.com/x|<!channel>',
      'https://example.com/<!here>',
      'https://example.com/a b',
      'https://example.com/a\nb',
      '',
    ]) {
      expect(isLinkableUrl(url)).toBe(false);
    }
  });

  it('tells a web address that parses from anything else', () => {
    expect(isWebUrl('https://hooks.slack.com/commands/T1/2/abc')).toBe(true);
    expect(isWebUrl('http://127.0.0.1:3000/x')).toBe(true);
    expect(isWebUrl('https://')).toBe(false);
    expect(isWebUrl('file:///etc/passwd')).toBe(false);
    expect(isWebUrl(undefined)).toBe(false);
    expect(isWebUrl(42)).toBe(false);
  });
});
