import type { Reply, ReplyState } from '../../relay/model/replies';
import {
  type RecordOptions,
  type RecordResult,
  type ReplyCaps,
  type ReplyChange,
  type ReplyClaims,
  type ReplyCounts,
  type ReplyQueue,
  type Revision,
  scoreOf,
  type Withdrawal,
} from '../../relay/ports/reply-queue';
import { REDIS_QUEUE } from '../../relay/ports/store-keys';
import { COUNTS, READ, RECORD, REMOVE, REVISE, SET_STATES, TO_SEND, UPDATE, WITHDRAW } from './redis-queue-scripts';
import type { RedisStore } from './redis-store';

/**
 * The reply queue on Redis: a hash per reply and a sorted set per session (scored by the reply's order), plus the set
 * of sessions with replies waiting. Each change is one script, so it is atomic and one round trip.
 */
export class RedisReplyQueue implements ReplyQueue {
  constructor(private readonly store: RedisStore) {}

  async record(
    reply: Reply,
    claims?: ReplyClaims,
    caps?: ReplyCaps,
    options: RecordOptions = {},
  ): Promise<RecordResult> {
    const body = {
      order: reply.order,
      origin: reply.origin,
      receivedAt: reply.receivedAt,
      ...(reply.draft ? { draft: reply.draft } : {}),
    };
    const fields = [
      'session',
      reply.sessionId,
      'state',
      reply.state,
      'attempts',
      String(reply.attempts),
      'text',
      reply.text,
      'body',
      JSON.stringify(body),
      ...(reply.attachments ? ['attachments', JSON.stringify(reply.attachments)] : []),
    ];
    const claimKeys = (claims?.keys ?? []).map((key) => this.store.claimKey(key));
    const answer = await this.script('record', reply.id, RECORD, {
      keys: [
        this.replyKey(reply.id),
        this.queueKey(reply.sessionId),
        this.sessionsKey(),
        this.authorsKey(reply.sessionId),
        this.stuckKey(reply.sessionId),
        ...claimKeys,
      ],
      arguments: [
        reply.id,
        reply.sessionId,
        String(scoreOf(reply.order)),
        claims?.owner ?? '-',
        String(claims?.ttlMs ?? 0),
        String(caps?.perSession ?? 0),
        String(caps?.perAuthor ?? 0),
        caps?.author ?? '',
        options.wake ? this.replyKey('') : '',
        ...fields,
      ],
    });
    return RECORDED[Number(answer)] ?? 'duplicate';
  }

  async head(sessionId: string): Promise<Reply | undefined> {
    return (await this.read(sessionId, 1))[0];
  }

  list(sessionId: string): Promise<Reply[]> {
    return this.read(sessionId, 0);
  }

  async update(id: string, change: ReplyChange, revisions?: number): Promise<boolean> {
    const fields: string[] = [];
    if (change.text !== undefined) fields.push('text', change.text);
    if (change.attempts !== undefined) fields.push('attempts', String(change.attempts));
    if (change.uncertain !== undefined) fields.push('uncertain', change.uncertain ? '1' : '0');
    if (change.firstAttemptAt !== undefined) fields.push('firstAttemptAt', String(change.firstAttemptAt));
    if (change.attachments !== undefined) fields.push('attachments', JSON.stringify(change.attachments));
    const expected = revisions === undefined ? '' : String(revisions);
    const answer = await this.script('update', id, UPDATE, {
      keys: [this.replyKey(id)],
      arguments: [expected, ...fields],
    });
    return answer === 1;
  }

  async setStates(sessionId: string, from: ReplyState[], to: ReplyState, problem?: string): Promise<Reply[]> {
    const answer = await this.script('set states', sessionId, SET_STATES, {
      keys: [this.queueKey(sessionId), this.stuckKey(sessionId)],
      arguments: [this.replyKey(''), to, problem ?? '', ...from],
    });
    const moved = toReplies(answer);
    // The script walks an unordered set when only held and failed replies can move.
    return moved.sort((a, b) => scoreOf(a.order) - scoreOf(b.order) || (a.id < b.id ? -1 : 1));
  }

  async remove(sessionId: string, id: string, delivered?: ReplyClaims): Promise<void> {
    const claimKeys = (delivered?.keys ?? []).map((key) => this.store.claimKey(key));
    await this.script('remove', id, REMOVE, {
      keys: [...this.replyKeys(sessionId, id), ...claimKeys],
      arguments: [id, sessionId, delivered?.owner ?? '-', String(delivered?.ttlMs ?? 0)],
    });
  }

  async withdraw(sessionId: string, id: string): Promise<Withdrawal> {
    const [code, fields] = (await this.script('withdraw', id, WITHDRAW, {
      keys: this.replyKeys(sessionId, id),
      arguments: [id, sessionId],
    })) as [number, string[] | undefined];
    if (Number(code) === 0 || !fields) return { kind: 'absent' };
    const reply = toReply(id, hashOf(fields));
    return Number(code) === 2
      ? { kind: 'in-flight', reply: { ...reply, withdrawn: true } }
      : { kind: 'withdrawn', reply };
  }

  async revise(_sessionId: string, id: string, text: string): Promise<Revision> {
    const [code, fields] = (await this.script('revise', id, REVISE, {
      keys: [this.replyKey(id)],
      arguments: [text],
    })) as [number, string[] | undefined];
    if (Number(code) === 2) return { kind: 'in-flight' };
    if (Number(code) !== 1 || !fields) return { kind: 'absent' };
    return { kind: 'revised', reply: toReply(id, hashOf(fields)) };
  }

  async sessionsToSend(): Promise<string[]> {
    const answer = await this.script('sessions to send', this.sessionsKey(), TO_SEND, {
      keys: [this.sessionsKey()],
      arguments: [this.queueKey(''), this.stuckKey('')],
    });
    return (answer as unknown[]).map(String);
  }

  async counts(): Promise<ReplyCounts> {
    const answer = (await this.script('counts', this.sessionsKey(), COUNTS, {
      keys: [this.sessionsKey()],
      arguments: [this.queueKey(''), this.stuckKey(''), this.replyKey('')],
    })) as number[];
    const [all = 0, held = 0, failed = 0] = answer.map(Number);
    return { queued: all - held - failed, held, failed };
  }

  private async read(sessionId: string, count: number): Promise<Reply[]> {
    const answer = await this.script('read', sessionId, READ, {
      keys: [this.queueKey(sessionId)],
      arguments: [this.replyKey(''), String(count)],
    });
    return toReplies(answer);
  }

  private script(what: string, key: string, script: string, options: { keys: string[]; arguments: string[] }) {
    return this.store.run(`queue ${what}`, key, () => this.store.client.eval(script, options));
  }

  private replyKey(id: string): string {
    return this.store.key(REDIS_QUEUE.reply(id));
  }

  private queueKey(sessionId: string): string {
    return this.store.key(REDIS_QUEUE.queue(sessionId));
  }

  private stuckKey(sessionId: string): string {
    return this.store.key(REDIS_QUEUE.stuck(sessionId));
  }

  /** How many replies each author has waiting in the session (`ReplyCaps.perAuthor`). */
  private authorsKey(sessionId: string): string {
    return this.store.key(REDIS_QUEUE.authors(sessionId));
  }

  /** What removing one reply touches. */
  private replyKeys(sessionId: string, id: string): string[] {
    return [
      this.replyKey(id),
      this.queueKey(sessionId),
      this.stuckKey(sessionId),
      this.sessionsKey(),
      this.authorsKey(sessionId),
    ];
  }

  private sessionsKey(): string {
    return this.store.key(REDIS_QUEUE.sessions);
  }
}

const RECORDED: Record<number, RecordResult> = { 0: 'duplicate', 1: 'recorded', 2: 'session-full', 3: 'author-full' };

/** `[field, value, ...]` as a hash. */
function hashOf(list: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let j = 0; j + 1 < list.length; j += 2) hash[String(list[j])] = String(list[j + 1]);
  return hash;
}

/** `[id, [field, value, ...], id, [...], ...]` as replies. */
function toReplies(answer: unknown): Reply[] {
  const flat = (answer ?? []) as Array<string | string[]>;
  const replies: Reply[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    replies.push(toReply(String(flat[i]), hashOf(flat[i + 1] as string[])));
  }
  return replies;
}

function toReply(id: string, hash: Record<string, string>): Reply {
  const body = JSON.parse(hash.body ?? '{}') as Pick<Reply, 'order' | 'origin' | 'receivedAt' | 'draft'>;
  const draft = body.draft && hash.revision !== undefined ? { ...body.draft, text: hash.revision } : body.draft;
  return {
    id,
    sessionId: hash.session ?? '',
    text: hash.text ?? '',
    ...body,
    ...(draft ? { draft } : {}),
    state: (hash.state ?? 'queued') as ReplyState,
    attempts: Number(hash.attempts ?? 0),
    ...(hash.uncertain === '1' ? { uncertain: true } : {}),
    ...(hash.firstAttemptAt ? { firstAttemptAt: Number(hash.firstAttemptAt) } : {}),
    ...(hash.wasHeld === '1' ? { wasHeld: true } : {}),
    ...(hash.problem ? { problem: hash.problem } : {}),
    // Absent on hashes written before files were forwarded, and until a file of this reply was dealt with.
    ...(hash.attachments ? { attachments: JSON.parse(hash.attachments) as Reply['attachments'] } : {}),
    ...(hash.withdrawn === '1' ? { withdrawn: true } : {}),
    ...(Number(hash.revisions) > 0 ? { revisions: Number(hash.revisions) } : {}),
  };
}
