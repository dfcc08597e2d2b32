import type { SessionState } from '../../relay/model/session-state';

/** Each state as a status line shows it: its emoji, then its words. */
export const STATE_LABEL: Record<SessionState, string> = {
  working: ':large_green_circle: working',
  waiting: ':speech_balloon: waiting for you',
  asleep: ':zzz: asleep',
  finished: ':checkered_flag: finished',
  expired: ':hourglass: expired',
  error: ':x: ended with an error',
};
