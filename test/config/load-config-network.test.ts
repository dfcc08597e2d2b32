import { loadConfig } from '../../src/config/load-config';
import { problemsOf, VALID } from '../support/config-problems';

describe('HTTPS_PROXY, HTTP_PROXY, NO_PROXY', () => {
  it('goes direct when none is set', () => {
    expect(loadConfig(VALID).proxy).toEqual({});
  });

  it('takes the upper-case variables before the lower-case ones', () => {
    const config = loadConfig({
      ...VALID,
      HTTPS_PROXY: 'http://proxy.example.com:3128',
      https_proxy: 'http://ignored.example.com:3128',
      http_proxy: 'http://plain.example.com:8080',
      no_proxy: 'localhost,.internal.example',
    });
    expect(config.proxy).toEqual({
      httpsProxy: 'http://proxy.example.com:3128',
      httpProxy: 'http://plain.example.com:8080',
      noProxy: 'localhost,.internal.example',
    });
  });

  it('refuses a proxy that is no URL, saying what one looks like', () => {
    expect(problemsOf({ ...VALID, HTTPS_PROXY: 'proxy.example.com:3128' })).toEqual([
      'HTTPS_PROXY must be a proxy URL such as http://proxy.example.com:3128',
    ]);
  });

  it("counts a proxy's password among the secrets", () => {
    const config = loadConfig({ ...VALID, HTTPS_PROXY: 'http://app:pr0xy-s3cret@proxy.example.com:3128' });
    expect(config.secrets).toContain('pr0xy-s3cret');
  });
});

describe('DEVIN_WEB_URL', () => {
  it("is Devin's own web app unless set, without a trailing slash when set", () => {
    expect(loadConfig(VALID).devin.webUrl).toBe('https://app.devin.ai');
    expect(loadConfig({ ...VALID, DEVIN_WEB_URL: 'https://devin.example.com/' }).devin.webUrl).toBe(
      'https://devin.example.com',
    );
  });

  it('refuses a value that is no URL', () => {
    expect(problemsOf({ ...VALID, DEVIN_WEB_URL: 'app.devin.ai' })).toEqual([
      'DEVIN_WEB_URL must be a URL such as https://app.devin.ai',
    ]);
  });
});
