import { createHash } from 'node:crypto';
import type { DevinSessionMessage } from '../devin/devin-schemas';
import type { SessionWatch } from './session-watches';

/** A message of the session that the thread has not seen. */
export type SessionNews =
  | { eventId: string; kind: 'devin'; text: string }
  | { eventId: string; kind: 'person'; text: string; author: string }
  | { eventId: string; kind: 'echo'; fingerprint: string }
  | { eventId: string; kind: 'skip' };

/** A short, stable fingerprint of a text this app sent, to recognise it when the session lists it. */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 24);
}

/**
 * The session's messages the watch has not handled yet, in order: Devin's words; words a person wrote in Devin's
 * web app; and echoes of replies this app relayed (never posted back). Messages without an id are skipped.
 */
export function sessionNews(messages: DevinSessionMessage[], watch: SessionWatch): SessionNews[] {
  const seen = new Set(watch.seen);
  const relayed = [...watch.relayed];
  const news: SessionNews[] = [];
  for (const m of messages) {
    if (!m.event_id || seen.has(m.event_id)) continue;
    seen.add(m.event_id);
    if (m.type === 'devin_message') {
      news.push({ eventId: m.event_id, kind: 'devin', text: m.message });
    } else if (m.type === 'user_message') {
      const print = fingerprint(m.message);
      const echo = relayed.indexOf(print);
      if (echo >= 0) {
        relayed.splice(echo, 1);
        news.push({ eventId: m.event_id, kind: 'echo', fingerprint: print });
      } else {
        news.push({ eventId: m.event_id, kind: 'person', text: m.message, author: m.username || 'Someone' });
      }
    } else {
      news.push({ eventId: m.event_id, kind: 'skip' });
    }
  }
  return news;
}
