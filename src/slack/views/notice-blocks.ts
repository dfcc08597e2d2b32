import { isLinkableUrl } from '../../net/outbound';
import type { AttributionFallback } from '../../relay/model/acting';
import type { Notice } from '../../relay/model/notices';
import { escapeSlackText, slackLink } from '../text/outgoing-text';
import { fitEscaped, fitMessage, quoteBlock, type WholeAt, wholeLink } from '../text/slack-fit';
import { sectionMessage as plain, type RenderedMessage } from './rendered-message';
import { sessionActionWords } from './session-action-notices';
import { acus } from './spend-meter';
import { spendNoticeWords } from './spend-notices';
import { startLimitedWords } from './start-limited-words';
import { plainReason } from './status-text';
import { usageText } from './usage-text';

export const RESEND_ACTION = 'resend_held';

/** A Slack user id, as it may be mentioned (`<@U0123>`). */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** How much of Devin's own words (a reason, a detail) a notice shows; the rest is cut, with a link to the session. */
const DETAIL_LIMIT = 1000;
/** How much of a file's name and of why it could not be attached a notice shows. */
const FILE_NAME_LIMIT = 120;
const FILE_PROBLEM_LIMIT = 200;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const link = slackLink;
/** A URL from Devin becomes a link only when it is a plain web address of a sane length; anything else is text. */
const safeUrl = (url: string) => (isLinkableUrl(url) ? `<${url}>` : fitEscaped(url, 300));

/**
 * The words and buttons of each notice, within Slack's limits whatever Devin said: its own text is escaped so it
 * cannot ping anyone, and cut where a line or word ends, with a link to the session.
 */
export function renderNotice(notice: Notice): RenderedMessage {
  return fitMessage(noticeWords(notice), wholeOf(notice)) as RenderedMessage;
}

/** What a thread reads when Slack refused a notice's full form: one line, with the link to the session. */
export function minimalNotice(notice: Notice): RenderedMessage {
  const link = wholeLink(wholeOf(notice));
  return {
    text: link
      ? `:information_source: Slack would not show this notice in full; ${link} shows where things stand.`
      : ':information_source: Slack would not show this notice in full.',
    blocks: [],
  };
}

function wholeOf(notice: Notice): WholeAt | undefined {
  return 'sessionUrl' in notice ? { url: notice.sessionUrl, label: 'the Devin session' } : undefined;
}

function noticeWords(notice: Notice): RenderedMessage {
  const whole = wholeOf(notice);
  switch (notice.kind) {
    case 'paused':
      return withResend(
        notice.sessionId,
        `:double_vertical_bar: Devin's session is asleep, so ${plural(notice.held, 'message')} from this thread ` +
          `${notice.held === 1 ? 'was' : 'were'} not delivered and ${notice.held === 1 ? 'is' : 'are'} held.\n` +
          `${quoteBlock(escapeSlackText(notice.detail || 'The session is not running.'), 500)}\n` +
          `Wake it in ${link(notice.sessionUrl, 'the Devin session')}, then press *Resend*; held messages are sent in order.`,
      );
    case 'failed':
      return withResend(
        notice.sessionId,
        `:warning: ${plural(notice.held, 'message')} from this thread could not be delivered to ` +
          `${link(notice.sessionUrl, 'the Devin session')}: ${fitEscaped(notice.reason, DETAIL_LIMIT, whole)}. ` +
          'They are kept; press *Resend* to try again.',
      );
    case 'misconfigured':
      return withResend(
        notice.sessionId,
        `:no_entry: Devin's API refused this app's API key, so ${plural(notice.held, 'message')} could not be delivered. ` +
          (notice.permission
            ? `An admin needs to give the service user in \`DEVIN_API_KEY\` the \`${fitEscaped(notice.permission, 100)}\` permission; `
            : 'An admin needs to check `DEVIN_API_KEY`; ') +
          'the messages are kept, press *Resend* once it is fixed.',
      );
    case 'gone':
      return plain(
        `:x: ${link(notice.sessionUrl, 'This Devin session')} no longer exists, so replies here cannot reach it. ` +
          'Start a new one with `/devin new <task>` or by mentioning @Devin.',
      );
    case 'rejected':
      return plain(
        `:warning: Devin's API rejected that message to ${link(notice.sessionUrl, 'the Devin session')}: ` +
          `${fitEscaped(notice.detail || 'no reason given', DETAIL_LIMIT, whole)}.`,
      );
    case 'held-delivered':
      return plain(
        `:white_check_mark: Delivered ${plural(notice.count, 'held message')} to ${link(notice.sessionUrl, 'the Devin session')}, in order.`,
      );
    case 'not-recorded':
      return plain(":warning: I couldn't record that reply, so it did not reach Devin. Please send it again.");
    case 'waiting': {
      const people = (notice.mention ?? []).filter((id) => SLACK_USER_ID.test(id)).map((id) => `<@${id}> `);
      return plain(
        notice.approval
          ? `:raised_hand: ${people.join('')}Devin is waiting for an approval in ${link(notice.sessionUrl, 'the session')}; approve it there, or answer here.`
          : `:speech_balloon: ${people.join('')}Devin is waiting for your reply in ${link(notice.sessionUrl, 'the session')}; answer here.`,
      );
    }
    case 'asleep':
      if (notice.quota) {
        return plain(
          `:no_entry_sign: ${link(notice.sessionUrl, 'The Devin session')} is suspended because ` +
            `${fitEscaped(notice.quotaWords ?? plainReason(notice.quota), 200)} (\`${fitEscaped(notice.quota, 100)}\`), and a reply does not ` +
            'wake it: replies here are held until it runs again.',
        );
      }
      return plain(
        notice.replyWakes
          ? `:zzz: ${link(notice.sessionUrl, 'The Devin session')} is asleep. A reply here wakes it.`
          : `:zzz: ${link(notice.sessionUrl, 'The Devin session')} is asleep. Replies here are held and delivered when it wakes.`,
      );
    case 'finished':
      return plain(
        `:checkered_flag: Devin finished ${link(notice.sessionUrl, 'the session')}` +
          (notice.acusConsumed === undefined ? '.' : ` (${acus(notice.acusConsumed)}).`) +
          (notice.pullRequestUrl ? ` Pull request: ${safeUrl(notice.pullRequestUrl)}` : ''),
      );
    case 'expired':
      return plain(
        `:hourglass: ${link(notice.sessionUrl, 'The Devin session')} expired; replies here can no longer reach it.`,
      );
    case 'woke':
      return plain(`:sunrise: Your reply woke ${link(notice.sessionUrl, 'the Devin session')}.`);
    case 'acting-as-service-user':
      return plain(
        `:bust_in_silhouette: Devin sees messages from <@${escapeSlackText(notice.userId)}> as sent by this app's ` +
          `service user, not by them: ${fallbackWords(notice.reason)}. Their name still heads each message.`,
      );
    case 'errored':
      return plain(
        `:x: ${link(notice.sessionUrl, 'The Devin session')} ended with an error; replies here can no longer reach it.`,
      );
    case 'pull-request':
      return plain(`:link: Devin opened a pull request: ${safeUrl(notice.url)}`);
    case 'files-not-attached': {
      const which = notice.files.map(
        (f) => `*${fitEscaped(f.name, FILE_NAME_LIMIT)}*: ${fitEscaped(f.problem, FILE_PROBLEM_LIMIT)}`,
      );
      const one = notice.files.length === 1;
      return plain(
        `:paperclip: I couldn't attach ${one ? 'a file' : `${notice.files.length} files`} for Devin; ` +
          `the words of the message were delivered, with a line saying so.\n${which.map((w) => `• ${w}`).join('\n')}`,
      );
    }
    case 'ended':
    case 'end-confirm':
    case 'archive-confirm':
    case 'archive-unavailable':
    case 'archived':
      return sessionActionWords(notice);
    case 'help':
      return plain(usageText());
    case 'muted':
      return plain(
        ":mute: Muted: Devin's messages will not be posted in this thread (its status still updates). Say `unmute` to resume.",
      );
    case 'over-cap': {
      const replies = `${notice.limit} ${notice.limit === 1 ? 'reply' : 'replies'}`;
      return plain(
        `:no_entry_sign: Your reply was not recorded, so it will not reach Devin: ${replies}${
          notice.scope === 'session' ? '' : ' of yours'
        } already wait for this session, the most that may. Send it again once they have gone out ` +
          '(`/devin status` shows what waits).',
      );
    }
    case 'held-cleared':
      return plain(
        `:wastebasket: The held messages were deleted in Slack, so nothing from this thread waits for ${link(notice.sessionUrl, 'the Devin session')} any more.`,
      );
    case 'too-late': {
      const has = notice.maybe ? 'may already have' : 'already has';
      const what = notice.change === 'edited' ? 'your edit was not sent' : 'deleting it here does not take it back';
      return plain(
        `:pencil2: Devin ${has} your original message, so ${what}. To correct it, reply in this thread saying ` +
          `what changed (it reaches ${link(notice.sessionUrl, 'the Devin session')} like any reply).`,
      );
    }
    case 'cap-near':
    case 'cap-raise':
    case 'closing-summary':
      return spendNoticeWords(notice);
    case 'start-limited':
      return plain(startLimitedWords(notice));
    case 'unmuted':
      return plain(
        ":loud_sound: Unmuted: Devin's messages will be posted in this thread again." +
          (notice.skipped
            ? ` ${plural(notice.skipped, 'message')} from Devin ${notice.skipped === 1 ? 'was' : 'were'} not posted while muted; ` +
              `read ${notice.skipped === 1 ? 'it' : 'them'} in ${link(notice.sessionUrl, 'the session')}.`
            : ''),
      );
  }
}

function fallbackWords(reason: AttributionFallback): string {
  switch (reason.kind) {
    case 'no-email':
      return 'Slack gave no email address for them (the app needs the `users:read.email` scope)';
    case 'not-a-member':
      return "Devin's organization has no member with their Slack email";
    case 'missing-permission':
      return reason.permission === 'ImpersonateOrgSessions'
        ? 'Devin refused to act as them (the service user needs the `ImpersonateOrgSessions` permission, and they ' +
            'need `UseDevinSessions`)'
        : 'the service user lacks the `ViewOrgMembership` permission it needs to find them in Devin';
  }
}

/** A message whose text is followed by the Resend button for the session's held and failed replies. */
export function withResend(sessionId: string, text: string): RenderedMessage {
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: RESEND_ACTION,
            text: { type: 'plain_text', text: 'Resend' },
            style: 'primary',
            value: sessionId,
          },
        ],
      },
    ],
  };
}
