import { MessageClaims } from '../../src/relay/message-claims';
import type { Store } from '../../src/relay/ports/store';
import { createStore } from '../../src/store/create-store';

const message = { team: 'T1', channel: 'C1', ts: '1.0' };

describe('MessageClaims', () => {
  let store: Store;
  let claims: MessageClaims;
  beforeEach(async () => {
    store = await createStore('memory://');
    claims = new MessageClaims(store);
  });
  afterEach(() => store.close());

  it('lets only the first delivery of a message through, whichever event brought it', async () => {
    expect(await claims.claim({ ...message, eventId: 'Ev1' })).toBe(true);
    expect(await claims.claim({ ...message, eventId: 'Ev1' })).toBe(false);
    expect(await claims.claim({ ...message, eventId: 'Ev2' })).toBe(false);
    expect(await claims.claim({ ...message, ts: '2.0', eventId: 'Ev3' })).toBe(true);
  });

  it("tells Slack's retry of one event from the same message as a second event", async () => {
    await claims.take({ ...message, eventId: 'Ev1' });
    expect(await claims.duplicateOf({ ...message, eventId: 'Ev1' })).toBe('event_id');
    expect(await claims.duplicateOf({ ...message, eventId: 'Ev2' })).toBe('message');
    expect(await claims.duplicateOf({ ...message, ts: '9.0' })).toBeUndefined();
  });

  it('remembers that a message reached Devin, and tells of a late change once', async () => {
    const mark = claims.deliveredMark(message);
    expect(await store.claim(mark.keys[0] as string, mark.owner, mark.ttlMs)).toBe(true);
    expect(await claims.wasDelivered(message)).toBe(true);
    expect(await claims.wasDelivered({ ...message, ts: '2.0' })).toBe(false);
    expect(await claims.firstChangeTold(message)).toBe(true);
    expect(await claims.firstChangeTold(message)).toBe(false);
  });
});

describe("a reply's claims", () => {
  it('are its event and its message, taken with its record', () => {
    const claims = new MessageClaims({} as Store);
    expect(claims.forReply({ ...message, eventId: 'Ev1' }).keys).toEqual(['seen-event:Ev1', 'seen-message:T1:C1:1.0']);
    expect(claims.forReply(message)).toMatchObject({ keys: ['seen-message:T1:C1:1.0'], owner: 'reply' });
  });
});
