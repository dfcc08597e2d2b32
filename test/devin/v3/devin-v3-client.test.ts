import { Readable } from 'node:stream';
import { endpointOf } from '../../../src/devin/http/devin-http';
import { withAttachmentLines } from '../../../src/devin/shared/attachment-lines';
import { DevinV3Client } from '../../../src/devin/v3/devin-v3-client';
import { promptTag } from '../../../src/devin/v3/prompt-tag';
import { DevinApiError } from '../../../src/relay/ports/devin-errors';
import { FakeDevin } from '../../support/fake-devin';
import { DEVIN_ORG, DEVIN_V3_TOKEN } from '../../support/harness';

const WEB = 'https://app.devin.ai';
let devin: FakeDevin;
let client: DevinV3Client;
beforeEach(async () => {
  devin = await FakeDevin.start({ apiKey: DEVIN_V3_TOKEN, version: 'v3', orgId: DEVIN_ORG });
  client = new DevinV3Client({
    apiUrl: devin.url,
    apiKey: DEVIN_V3_TOKEN,
    timeoutMs: 2000,
    webUrl: WEB,
    attachmentHosts: ['storage.devin.ai'],
  });
});
afterEach(() => devin.close());

const ORG = `/v3/organizations/${DEVIN_ORG}`;
const messageReads = () => devin.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages'));

function sessionWith(count: number): string {
  const session = devin.addSession();
  for (let i = 0; i < count; i += 1) devin.say(session.session_id, `m${i}`, `message ${i}`);
  return session.session_id;
}

describe('reading a session', () => {
  it('converts the session into the domain: status, detail, pull requests, cost, and messages by kind', async () => {
    const session = devin.addSession({
      messages: [
        { type: 'initial_user_message', event_id: 'p', message: 'the task', timestamp: new Date().toISOString() },
      ],
      pull_requests: [{ pr_url: 'https://github.com/o/r/pull/1', pr_state: 'open' }],
      acus_consumed: 1.5,
    });
    devin.say(session.session_id, 'd1', 'On it');
    devin.setState(session.session_id, 'waiting');
    const read = await client.getSession(session.session_id);
    expect(read).toMatchObject({
      id: session.session_id,
      state: 'waiting',
      status: 'running / waiting_for_user',
      pullRequests: [{ url: 'https://github.com/o/r/pull/1', state: 'open' }],
      acusConsumed: 1.5,
      malformedMessages: 0,
    });
    expect(read?.messages.map((m) => [m.from, m.id, m.text])).toEqual([
      ['person', 'p', 'the task'],
      ['devin', 'd1', 'On it'],
    ]);
    expect(Date.parse(read?.messages[1]?.at ?? '')).not.toBeNaN();
    expect(await client.getSession('devin-0123456789abcdef0123')).toBeUndefined();
    expect(await client.listMessages('devin-0123456789abcdef0123')).toBeUndefined();
    expect((await client.listMessages(session.session_id))?.messages.map((m) => m.id)).toEqual(['p', 'd1']);
  });

  it.each([
    [0, 1, { at: 0 }],
    [1, 1, { at: 0 }],
    [2, 2, { at: 1 }],
    [200, 2, { at: 199 }],
    [201, 2, { at: 200 }],
    [450, 4, { at: 449 }],
  ])(
    'reads a session of %i messages in %i requests and starts the next read before the last one',
    async (count, requests, at) => {
      const id = sessionWith(count);
      const read = await client.getSession(id);
      expect(read?.messages).toHaveLength(count);
      expect(read?.messagesRead?.next.at).toBe(at.at);
      expect(messageReads()).toHaveLength(requests);
      expect(messageReads().every((r) => Number(r.query?.get('first')) <= 200)).toBe(true);

      // Idle: the next read lists only the last message.
      const again = await client.getSession(id, read?.messagesRead?.next);
      expect(again?.messages.map((m) => m.id)).toEqual(count === 0 ? [] : [`m${count - 1}`]);
      expect(again?.messagesRead?.from).toEqual(read?.messagesRead?.next);
    },
  );

  it('lists what came after the cursor, at its positions, and moves the next start to the new last message', async () => {
    const id = sessionWith(3);
    const first = await client.getSession(id);
    devin.say(id, 'm3', 'message 3');
    devin.say(id, 'm4', 'message 4');
    const second = await client.getSession(id, first?.messagesRead?.next);
    expect(second?.messages.map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
    expect(second?.messagesRead).toEqual({ from: first?.messagesRead?.next, next: expect.objectContaining({ at: 4 }) });
  });

  it('keeps an unreadable message in its place, as one without an id, and counts it', async () => {
    const id = sessionWith(1);
    devin.script('GET', `${ORG}/sessions/${id}/messages`, [
      {
        body: {
          items: [{ event_id: 'a', message: 'fine', source: 'devin', created_at: 1 }, { event_id: 7 }, 'junk'],
          has_next_page: false,
          end_cursor: null,
        },
      },
    ]);
    const read = await client.getSession(id);
    expect(read?.messages.map((m) => m.id)).toEqual(['a', '', '']);
    expect(read?.malformedMessages).toBe(2);
  });

  it('reads the organization from /v3/self once, and again only after a failure', async () => {
    devin.script('GET', '/v3/self', [{ status: 503, body: { detail: 'down' } }]);
    await expect(client.listSessions(1)).rejects.toBeInstanceOf(DevinApiError);
    await client.listSessions(1);
    await client.listSessions(1);
    expect(devin.requests.filter((r) => r.path === '/v3/self')).toHaveLength(2);
  });

  it('says to set DEVIN_ORG_ID when the token names no organization', async () => {
    if (devin.v3) devin.v3.selfOrgId = null;
    await expect(client.listSessions(1)).rejects.toThrow(/set DEVIN_ORG_ID/);
  });
});

describe('sending a message', () => {
  it.each([
    ['working', { kind: 'delivered' }, true],
    ['waiting', { kind: 'delivered' }, true],
    ['asleep', { kind: 'delivered', woke: true }, true],
    ['quota', { kind: 'not-running', detail: expect.stringContaining('out of credits (out_of_credits)') }, false],
    ['expired', { kind: 'not-running', detail: expect.stringContaining('has ended') }, false],
    ['error', { kind: 'not-running', detail: expect.stringContaining('ended with an error') }, false],
  ] as const)('to a session %s: %o', async (state, result, delivered) => {
    const id = sessionWith(0);
    devin.setState(id, state);
    expect(await client.sendMessage(id, 'hello')).toEqual(result);
    expect(devin.delivered(id)).toEqual(delivered ? ['hello'] : []);
  });

  it('reads the session again when the answer says suspended, and counts a read that fails as a wake (Devin took it)', async () => {
    const id = sessionWith(0);
    const suspended = { session_id: id, status: 'suspended' };
    devin.script('POST', `${ORG}/sessions/${id}/messages`, [{ body: suspended }, { body: suspended }]);
    expect(await client.sendMessage(id, 'one')).toEqual({ kind: 'delivered', woke: true });
    devin.script('GET', `${ORG}/sessions/${id}`, [{ status: 503, body: { detail: 'down' } }]);
    expect(await client.sendMessage(id, 'two')).toEqual({ kind: 'delivered', woke: true });
  });

  it('sends files as attachment_urls and the person as message_as_user_id; an unknown session is said so', async () => {
    const id = sessionWith(0);
    await client.sendMessage(id, 'see', { attachmentUrls: ['https://x/a'], asUserId: 'user-1' });
    const sent = devin.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(sent?.body).toEqual({ message: 'see', attachment_urls: ['https://x/a'], message_as_user_id: 'user-1' });
    expect(await client.sendMessage('devin-0123456789abcdef0123', 'hello')).toEqual({ kind: 'unknown-session' });
  });

  it('names ImpersonateOrgSessions when sending as someone is refused, ManageOrgSessions otherwise', async () => {
    const id = sessionWith(0);
    devin.v3?.permissions.delete('ImpersonateOrgSessions');
    const asSomeone = await client.sendMessage(id, 'x', { asUserId: 'user-1' }).catch((e: DevinApiError) => e);
    expect(asSomeone).toMatchObject({ status: 403, permission: 'ImpersonateOrgSessions', unauthorized: true });
    devin.v3?.permissions.delete('ManageOrgSessions');
    const plain = await client.sendMessage(id, 'x').catch((e: DevinApiError) => e);
    expect(plain).toMatchObject({ status: 403, permission: 'ManageOrgSessions' });
    expect((plain as Error).message).toBe(
      "Devin's API v3 refused to send a message (HTTP 403): the service user in DEVIN_API_KEY needs the ManageOrgSessions permission",
    );
  });
});

describe('creating a session', () => {
  it('tags an idempotent create with its prompt and returns the session that tag finds instead of a second one', async () => {
    devin.v3?.members.push({ user_id: 'user-1', email: 'a@b.c' });
    const first = await client.createSession('fix it', { idempotent: true, maxAcuLimit: 10, asUserId: 'user-1' });
    expect(first).toEqual({ sessionId: expect.stringMatching(/^devin-/), url: expect.any(String), isNewSession: true });
    const again = await client.createSession('fix it', { idempotent: true });
    expect(again).toEqual({ ...first, isNewSession: false });
    const other = await client.createSession('fix it differently', { idempotent: true });
    expect(other.sessionId).not.toBe(first.sessionId);
    expect(devin.sessions.get(first.sessionId)?.tags).toEqual([promptTag('fix it')]);
    const created = devin.requests.filter((r) => r.method === 'POST' && r.path === `${ORG}/sessions`);
    expect(created[0]?.body).toMatchObject({ max_acu_limit: 10, create_as_user_id: 'user-1' });
  });
});

describe('creating a session with files', () => {
  it('sends the files as attachment_urls beside the prompt, and tags it as earlier versions tagged its words', async () => {
    const url = 'https://storage.devin.ai/attachments/u1/log.txt';
    const created = await client.createSession('read the log', { idempotent: true, attachmentUrls: [url] });
    const sent = devin.requests.find((r) => r.method === 'POST' && r.path === `${ORG}/sessions`);
    expect(sent?.body).toMatchObject({ prompt: 'read the log', attachment_urls: [url] });
    const tag = promptTag('read the log', [url]);
    expect(tag).toBe(promptTag(withAttachmentLines('read the log', [url])));
    expect(tag).not.toBe(promptTag('read the log'));
    expect(devin.sessions.get(created.sessionId)?.tags).toEqual([tag]);
  });
});

describe('members, uploads and termination', () => {
  it('finds a member by email, whatever its case, and nobody for an unknown one', async () => {
    devin.v3?.members.push({ user_id: 'user-ada', email: 'Ada@Example.com' });
    expect(await client.findMember('ada@example.com')).toBe('user-ada');
    expect(await client.findMember('grace@example.com')).toBeUndefined();
    devin.v3?.permissions.delete('ViewOrgMembership');
    await expect(client.findMember('ada@example.com')).rejects.toMatchObject({ permission: 'ViewOrgMembership' });
  });

  it('streams an upload of unknown size as multipart, and answers the file URL', async () => {
    async function* chunks() {
      yield Buffer.from('part one, ');
      yield new TextEncoder().encode('part two');
    }
    const url = await client.uploadAttachment({ name: 'notes.md', source: chunks() }, AbortSignal.timeout(5000));
    const [stored] = devin.v3?.attachments ?? [];
    expect(stored).toMatchObject({ url, name: 'notes.md', contentType: 'application/octet-stream' });
    expect(stored?.content.toString()).toBe('part one, part two');
    devin.v3?.permissions.delete('UseDevinSessions');
    const refused = client.uploadAttachment({ name: 'x', source: Readable.from(['y']) }, AbortSignal.timeout(5000));
    await expect(refused).rejects.toMatchObject({ permission: 'UseDevinSessions' });
  });

  it('terminates a session with DELETE', async () => {
    const id = sessionWith(0);
    expect(await client.terminateSession(id)).toEqual({ kind: 'terminated' });
    expect(devin.sessions.get(id)?.status).toBe('exit');
    expect(devin.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `${ORG}/sessions/${id}` });
    expect(await client.terminateSession('devin-unknown')).toEqual({ kind: 'unknown-session' });
  });
});

describe('metric labels of v3 endpoints', () => {
  it('names v3 endpoints by pattern, never by organization or session', () => {
    expect(endpointOf('GET', '/v3/organizations/org-1/sessions/devin-abc/messages?first=200&after=xyz')).toBe(
      'GET /v3/organizations/:org/sessions/:id/messages',
    );
    expect(endpointOf('GET', '/v3beta1/organizations/org-1/members/users?email=a')).toBe(
      'GET /v3beta1/organizations/:org/members/users',
    );
  });

  it('adds one ATTACHMENT line per file to a v1 message', () => {
    expect(withAttachmentLines('see', ['https://a', 'https://b'])).toBe(
      'see\nATTACHMENT:"https://a"\nATTACHMENT:"https://b"',
    );
    expect(withAttachmentLines('see', [])).toBe('see');
  });
});

describe('listing the sessions that changed', () => {
  const seconds = (id: string) => Math.floor(Date.parse(devin.mustGet(id).updated_at) / 1000);
  const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

  it('asks for the sessions updated after the mark, in Unix seconds, and reads each page, newest first', async () => {
    const old = devin.addSession({ updated_at: at(3600) }).session_id;
    const changed = Array.from({ length: 230 }, (_, i) => devin.addSession({ updated_at: at(100 + i) }).session_id);
    const mark = seconds(old) * 1000;
    const listed = await client.listChangedSessions(mark, 10);
    expect(listed.complete).toBe(true);
    expect(listed.sessions.map((s) => s.sessionId)).toEqual(changed);
    expect(listed.sessions[0]?.updatedAt).toBe(seconds(changed[0] as string) * 1000);
    const lists = devin.requests.filter((r) => r.path === `${ORG}/sessions`);
    expect(lists.map((r) => r.query?.get('updated_after'))).toEqual([String(seconds(old)), String(seconds(old))]);
    expect(lists.map((r) => r.query?.get('first'))).toEqual(['200', '200']);
    expect(lists[1]?.query?.get('after')).toBeTruthy();
  });

  it('says the list is incomplete when it goes on past the pages it may read', async () => {
    for (let i = 0; i < 230; i += 1) devin.addSession({ updated_at: at(100 + i) });
    const listed = await client.listChangedSessions(Date.now() - 3_600_000, 1);
    expect(listed).toMatchObject({ complete: false });
    expect(listed.sessions).toHaveLength(200);
  });

  it('stops at the mark when Devin lists older sessions (a filter not applied), and reads one page without a mark', async () => {
    const older = devin.addSession({ updated_at: at(3600) }).session_id;
    const newer = devin.addSession({ updated_at: at(10) }).session_id;
    const view = (id: string) => devin.v3?.view(devin.mustGet(id));
    devin.script('GET', `${ORG}/sessions`, [
      { body: { items: [view(newer), view(older)], has_next_page: true, end_cursor: 'next' } },
    ]);
    const listed = await client.listChangedSessions((seconds(older) + 60) * 1000, 10);
    expect(listed).toEqual({ complete: true, sessions: [{ sessionId: newer, updatedAt: seconds(newer) * 1000 }] });
    const first = await client.listChangedSessions(undefined, 10);
    expect(first.sessions.map((s) => s.sessionId)).toEqual([newer, older]);
    expect(devin.requests.at(-1)?.query?.has('updated_after')).toBe(false);
  });
});
