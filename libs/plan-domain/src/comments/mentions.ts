/**
 * `@user` mentions in comment text. A mention is an `@` at the start of the text or after a
 * character that cannot end a word or an address (so `ana@example.com` mentions nobody),
 * followed by a user id: letters, digits, `_`, `.` and `-`, not ending in `.` or `-` (the
 * sentence's full stop in "thanks @bob." is not part of the id).
 *
 *   parseMentions('@ana please check with @raj.') → ['ana', 'raj']
 */

const MENTION = /(^|[^\p{L}\p{N}_@.])@([\p{L}\p{N}_][\p{L}\p{N}_.-]*)/gu;

/** At most this many users are notified by one comment; more is a broadcast, not a mention. */
export const MAX_MENTIONS = 50;

/** Distinct user ids mentioned in `text`, in order of first mention. */
export function parseMentions(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const userId = match[2].replace(/[.-]+$/, '');
    if (userId !== '' && !found.includes(userId)) found.push(userId);
    if (found.length === MAX_MENTIONS) break;
  }
  return found;
}
