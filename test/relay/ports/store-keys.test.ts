import * as keys from '../../../src/relay/ports/store-keys';

const thread = { team: 'T1', channel: 'C1', threadTs: '1.0' };
const message = { team: 'T1', channel: 'C1', ts: '2.0' };
const prefix = (key: string) => key.split(':')[0];

describe('the store keys', () => {
  const storeKeys = [
    keys.watchKey('s'),
    keys.postProgressKey('s'),
    keys.heldWaitingKey('s'),
    keys.LEGACY_WATCH_INDEX,
    keys.startKey('x'),
    keys.endClaimKey('s'),
    keys.sessionEndKey('s'),
    keys.lastSteererKey('s'),
    keys.shortcutDraftKey('d'),
    keys.shortcutTakenKey('d'),
    keys.leaseKey('name'),
    keys.threadKey(thread),
    keys.sessionThreadsKey('s'),
    keys.seenEventKey('E1'),
    keys.seenMessageKey(message),
    keys.deliveredMessageKey(message),
    keys.changeToldKey(message),
    keys.openNoticeKey(thread),
    keys.outcomeShownKey(message),
    keys.refusalToldKey({ ...thread, userId: 'U1' }),
    keys.legacyOutboxKey('s'),
    keys.lockKey('name'),
    keys.doctorProbeKey('id'),
  ];

  it('give every concept a prefix of its own, so that no two concepts can share a key', () => {
    const prefixes = storeKeys.map(prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('name every index, and every lease, apart', () => {
    const indexes = [
      keys.POLL_DUE_INDEX,
      keys.relayedIndex('s'),
      keys.STARTS_INDEX,
      keys.startsByPersonIndex('T1', 'U1'),
      keys.startsByTeamIndex('T1'),
      keys.personSessionsIndex('T1', 'U1'),
      keys.sessionPeopleIndex('s'),
      keys.SHORTCUT_DRAFTS_INDEX,
    ].map(prefix);
    expect(new Set(indexes).size).toBe(indexes.length);
    const leases = [keys.pollLeaseName('s'), keys.startLeaseName('x'), keys.deliverLeaseName('s')].map(prefix);
    expect(new Set(leases).size).toBe(leases.length);
    expect(keys.leaseKey(keys.pollLeaseName('s'))).toBe('lease:poll:s');
    expect(keys.leaseKey('x').startsWith(keys.LEASE_PREFIX)).toBe(true);
  });

  it('spell a thread, a message and a person the same way in every key that names them', () => {
    expect(keys.threadKey(thread)).toBe('thread:T1:C1:1.0');
    expect(keys.openNoticeKey(thread)).toBe('notice:T1:C1:1.0');
    expect(keys.seenMessageKey(message)).toBe('seen-message:T1:C1:2.0');
    expect(keys.deliveredMessageKey(message)).toBe('delivered-message:T1:C1:2.0');
    expect(keys.threadReplyId(message)).toBe('T1:C1:2.0');
    expect(keys.refusalToldKey({ ...thread, userId: 'U1' })).toBe('refusal-told:T1:C1:1.0:U1');
  });

  it('lay the Redis reply queue out under keys of its own', () => {
    const layout = [
      keys.REDIS_QUEUE.reply('r'),
      keys.REDIS_QUEUE.queue('s'),
      keys.REDIS_QUEUE.stuck('s'),
      keys.REDIS_QUEUE.authors('s'),
      keys.REDIS_QUEUE.sessions,
      keys.redisIndexKey('i'),
      keys.redisClaimKey('k'),
    ].map(prefix);
    expect(new Set(layout).size).toBe(layout.length);
  });
});
