/** What a session is doing, in the words people in the thread care about. */
export type SessionState = 'working' | 'waiting' | 'asleep' | 'finished' | 'expired' | 'error';

/**
 * What the state leaves out when it matters to people: waiting for an approval rather than a reply; asleep for want
 * of quota or credits, so that a reply does not wake it (`reason`: Devin's word for it, such as `out_of_credits`;
 * `words`: the same in plain words, when Devin's side could say).
 */
export type StateDetail = { kind: 'approval' } | { kind: 'quota'; reason: string; words?: string };

/** The same detail, the same key: `approval`, `quota:out_of_credits`; '' for none. */
export function detailKey(detail: StateDetail | undefined): string {
  if (!detail) return '';
  return detail.kind === 'quota' ? `quota:${detail.reason}` : detail.kind;
}

/** Finished, expired and failed sessions change no more: they are polled one last time, then left alone. */
export function isFinal(state: SessionState | undefined): boolean {
  return state === 'finished' || state === 'expired' || state === 'error';
}
