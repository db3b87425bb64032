/** Mentions of the signed-in user on this plan, announced politely and kept until dismissed. */
import type { MentionFeedNotice } from '@lib/feed';

export function MentionsBar({
  mentions,
  onOpen,
  onDismiss,
}: {
  mentions: readonly MentionFeedNotice[];
  onOpen: (mention: MentionFeedNotice) => void;
  onDismiss: (mention: MentionFeedNotice) => void;
}) {
  return (
    <section className="mentions" aria-label="Mentions of you" aria-live="polite">
      {mentions.length > 0 && (
        <ul>
          {mentions.map((mention) => (
            <li key={mention.commentId} className="mention-notice">
              <span>
                <strong>{mention.author}</strong> mentioned you: “{mention.excerpt}”
              </span>
              <button type="button" onClick={() => onOpen(mention)}>
                Show
              </button>
              <button
                type="button"
                aria-label={`Dismiss the mention by ${mention.author}`}
                onClick={() => onDismiss(mention)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
