import type { StateDetail } from '../../relay/model/session-state';
import type { SendResult } from '../../relay/ports/devin';
import { v3Session } from './v3-schemas';

/**
 * What a v3 answer to a message says happened. The answer is the session, with no flag: a session that ended,
 * errored or is archived did not take it (held, as v1's `{detail}`); one still suspended is read again (`readDetail`),
 * since only a read tells why (out of quota or credits: it does not wake, so held). An answer that cannot be read was
 * still a 200: Devin took it, and sending it again would make a second copy.
 */
export async function sendOutcome(
  body: unknown,
  readDetail: () => Promise<StateDetail | undefined>,
): Promise<SendResult> {
  const parsed = v3Session.safeParse(body);
  if (!parsed.success) return { kind: 'delivered' };
  const session = parsed.data;
  if (session.is_archived) return notRunning('the session is archived and takes no more messages');
  if (session.status === 'exit') return notRunning('the session has ended (status exit) and takes no more messages');
  if (session.status === 'error') return notRunning('the session ended with an error and takes no more messages');
  if (session.status === 'resuming') return { kind: 'delivered', woke: true };
  if (session.status !== 'suspended') return { kind: 'delivered' };
  const detail = await readDetail().catch(() => undefined);
  if (detail?.kind === 'quota') {
    const words = detail.words ?? detail.reason;
    return notRunning(`Devin suspended the session because ${words} (${detail.reason}), and a reply does not wake it`);
  }
  return { kind: 'delivered', woke: true };
}

function notRunning(detail: string): SendResult {
  return { kind: 'not-running', detail };
}
