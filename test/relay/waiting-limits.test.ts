import type { AuditEntry } from '../../src/relay/ports/audit';
import { WaitingLimits } from '../../src/relay/waiting-limits';
import { quietLog, THREAD, threadReply } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';

describe('WaitingLimits', () => {
  it('records a reply within the caps of its author and its session', () => {
    const limits = new WaitingLimits({
      caps: { perSession: 500, perPerson: 100 },
      feedback: new RecordingFeedback(),
      log: quietLog(),
    });
    expect(limits.capsFor('U1')).toEqual({ perSession: 500, perAuthor: 100, author: 'U1' });
    expect(new WaitingLimits({ feedback: new RecordingFeedback(), log: quietLog() }).capsFor('U1')).toBeUndefined();
  });

  it('never drops a thread reply in silence: a receipt, a private notice with the limit, and an audit line', () => {
    const feedback = new RecordingFeedback();
    const audited: AuditEntry[] = [];
    const limits = new WaitingLimits({
      caps: { perSession: 500, perPerson: 100 },
      feedback,
      log: quietLog(),
      audit: { record: (entry) => void audited.push(entry) },
    });
    limits.refused(threadReply(1, { draft: { user: 'U1', text: 'x' } }), 'author-full', 'steer');
    expect(feedback.of('receipt').map((t) => t.receipt)).toEqual(['refused']);
    expect(feedback.of('tell-privately').map((t) => [t.thread, t.userId, t.notice])).toEqual([
      [THREAD, 'U1', { kind: 'over-cap', scope: 'person', limit: 100 }],
    ]);
    expect(audited).toEqual([
      expect.objectContaining({ action: 'steer', outcome: 'limited', reason: 'author-full', user_id: 'U1' }),
    ]);
  });

  it('leaves the answer to a command or a shortcut to its caller', () => {
    const feedback = new RecordingFeedback();
    const limits = new WaitingLimits({ caps: { perSession: 1, perPerson: 1 }, feedback, log: quietLog() });
    limits.refused(threadReply(1), 'session-full', 'say');
    expect(feedback.told).toEqual([]);
  });
});
