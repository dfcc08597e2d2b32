import { DevinV1Client } from '../../../src/devin/v1/devin-v1-client';
import { DevinApiError, DevinNetworkError } from '../../../src/relay/ports/devin-errors';
import { FakeDevin } from '../../support/fake-devin';

const WHERE = { webUrl: 'https://app.devin.ai', attachmentHosts: ['storage.devin.ai'] };
let devin: FakeDevin;
let client: DevinV1Client;

beforeEach(async () => {
  devin = await FakeDevin.start({ apiKey: 'apk_test_key' });
  client = new DevinV1Client({ apiUrl: devin.url, apiKey: 'apk_test_key', timeoutMs: 1000, ...WHERE });
});
afterEach(() => devin.close());

describe('terminateSession', () => {
  it('ends a session with DELETE /v1/sessions/{id}', async () => {
    const session = devin.addSession();
    await expect(client.terminateSession(session.session_id)).resolves.toEqual({ kind: 'terminated' });
    expect(devin.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v1/sessions/${session.session_id}`]);
    expect(devin.terminatedCount(session.session_id)).toBe(1);
    expect(session.status).toBe('exit');
  });

  it('says so when the session had already exited (400), without ending it again', async () => {
    const session = devin.addSession();
    await client.terminateSession(session.session_id);
    await expect(client.terminateSession(session.session_id)).resolves.toEqual({
      kind: 'already-ended',
      detail: 'Session has already exited',
    });
    expect(devin.terminatedCount(session.session_id)).toBe(1);
  });

  it('answers unknown-session for a session Devin does not know (404)', async () => {
    await expect(client.terminateSession('devin-0123456789abcdef')).resolves.toEqual({ kind: 'unknown-session' });
  });

  it('throws a DevinApiError with Devin detail on a 5xx or a refused key', async () => {
    const session = devin.addSession();
    devin.script('DELETE', '/v1/sessions/:id', [{ status: 500, body: { detail: 'internal trouble' } }]);
    const failed = client.terminateSession(session.session_id);
    await expect(failed).rejects.toBeInstanceOf(DevinApiError);
    await expect(failed).rejects.toMatchObject({ status: 500, detail: 'internal trouble' });
    const refused = new DevinV1Client({ apiUrl: devin.url, apiKey: 'apk_wrong', timeoutMs: 1000, ...WHERE });
    await expect(refused.terminateSession(session.session_id)).rejects.toMatchObject({ unauthorized: true });
    expect(devin.terminatedCount(session.session_id)).toBe(0);
  });

  it('throws a DevinNetworkError when Devin does not answer in time', async () => {
    const session = devin.addSession();
    devin.hangNext('DELETE', '/v1/sessions/:id');
    await expect(client.terminateSession(session.session_id)).rejects.toBeInstanceOf(DevinNetworkError);
  });
});
