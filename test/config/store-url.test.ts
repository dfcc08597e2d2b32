import { describeStore, storePassword } from '../../src/config/store-url';

describe('describeStore', () => {
  it('shows a Redis URL without its password or user name', () => {
    expect(describeStore('redis://:secret@127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(describeStore('rediss://app:s3cr%40t@cache.example.com:6380/2')).toBe('rediss://cache.example.com:6380/2');
    expect(describeStore('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('shows SQLite with its path, and memory as it is', () => {
    expect(describeStore('sqlite://./data/devin-slack.sqlite')).toBe('sqlite://./data/devin-slack.sqlite');
    expect(describeStore('memory://')).toBe('memory://');
  });

  it('never repeats a Redis URL it cannot read', () => {
    expect(describeStore('redis://:secret@[bad')).toBe('redis://(unreadable URL)');
  });
});

describe('storePassword', () => {
  it('finds the password of a Redis URL, decoded, and nothing elsewhere', () => {
    expect(storePassword('redis://:secret@127.0.0.1:6379')).toBe('secret');
    expect(storePassword('rediss://app:s3cr%40t@cache:6380')).toBe('s3cr@t');
    expect(storePassword('redis://127.0.0.1:6379')).toBeUndefined();
    expect(storePassword('sqlite://./data/devin-slack.sqlite')).toBeUndefined();
  });
});
