import { v1Message, v1Snapshot } from '../../../src/devin/v1/v1-convert';
import { session } from '../../../src/devin/v1/v1-schemas';

const isAttachment = (url: string) => url.startsWith('https://storage.devin.ai/attachments/');
const at = '2024-01-01T00:00:00Z';

describe('an API v1 session in the domain’s words', () => {
  it('has a state from status_enum (else status), Devin’s own words, and its one pull request as a list', () => {
    const read = session.parse({
      session_id: 'devin-1',
      status: 'running',
      status_enum: 'blocked',
      title: 'Fix login',
      pull_request: { url: 'https://github.com/o/r/pull/1' },
      messages: [],
    });
    expect(v1Snapshot(read, isAttachment)).toEqual({
      id: 'devin-1',
      state: 'waiting',
      status: 'blocked / running',
      title: 'Fix login',
      pullRequests: [{ url: 'https://github.com/o/r/pull/1' }],
      messages: [],
      malformedMessages: 0,
    });
  });

  it('counts the messages that could not be read, and keeps an unknown status unknown', () => {
    const read = session.parse({ session_id: 'devin-1', status: 'pondering', messages: [{ type: 'x' }, 'junk'] });
    expect(v1Snapshot(read, isAttachment)).toMatchObject({ status: 'pondering', messages: [], malformedMessages: 2 });
    expect(v1Snapshot(read, isAttachment).state).toBeUndefined();
  });

  it("tells Devin's messages from people's, and names a person when Devin does", () => {
    const base = { event_id: 'e1', message: 'hi', timestamp: at };
    expect(v1Message({ ...base, type: 'devin_message' }, isAttachment)).toMatchObject({ from: 'devin', id: 'e1' });
    expect(v1Message({ ...base, type: 'user_message', username: 'Ada' }, isAttachment)).toMatchObject({
      from: 'person',
      author: 'Ada',
    });
    expect(v1Message({ ...base, type: 'user_message', username: null }, isAttachment).author).toBeUndefined();
    expect(v1Message({ ...base, type: 'initial_user_message' }, isAttachment).from).toBe('other');
    expect(v1Message({ ...base, type: 'constructor' }, isAttachment).from).toBe('other');
  });

  it("takes a message's files out of its words: its ATTACHMENT: lines become its attachments", () => {
    const text = 'Here is the patch.\nATTACHMENT:"https://storage.devin.ai/attachments/u1/fix.patch"';
    expect(v1Message({ type: 'devin_message', event_id: 'e1', message: text, timestamp: at }, isAttachment)).toEqual({
      id: 'e1',
      from: 'devin',
      text: 'Here is the patch.',
      at,
      attachments: ['https://storage.devin.ai/attachments/u1/fix.patch'],
    });
  });
});
