/**
 * Feedback threads on the plan and its items (`/plans/:id/comments`): read by every member,
 * written by those who may comment (owners, editors, stakeholders). The list follows the change
 * feed, so a comment posted anywhere shows up here without a reload; `@userId` in a text
 * notifies that user.
 */
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { FeedChange } from '@lib/feed';
import type { Comment, CommentThread, PlanJson } from '@lib/plan-domain';
import type { Api } from '../api/api-client';
import { useFeedChanges, type PlanFeed } from '../feed/plan-feed';
import { targetLabel, targetOptions, type TargetOption } from './comment-targets';

const COMMENT_EVENT = /^Comment/;

export function CommentsView({
  api,
  planId,
  plan,
  feed,
  canComment,
  me,
}: {
  api: Api;
  planId: string;
  plan: PlanJson;
  feed: PlanFeed | undefined;
  canComment: boolean;
  me: string;
}) {
  const base = `/plans/${encodeURIComponent(planId)}/comments`;
  const [threads, setThreads] = useState<readonly CommentThread[]>();
  const [error, setError] = useState<string>();
  const [showResolved, setShowResolved] = useState(false);
  // the global position the list must include: the feed's start, then each comment event's
  // (the comments read model may trail the change log the feed comes from) or our own write's
  const [fresh, setFresh] = useState<number>();
  const minPosition = fresh ?? feed?.from;
  const options = useMemo(() => targetOptions(plan), [plan]);

  useEffect(() => {
    const abort = new AbortController();
    api
      .get<CommentThread[]>(
        minPosition === undefined ? base : `${base}?minPosition=${minPosition}`,
        abort.signal,
      )
      .then((list) => {
        setThreads(list);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [api, base, minPosition]);

  const readFrom = (position: number): void =>
    setFresh((current) => Math.max(current ?? 0, position));
  const onChange = useCallback((change: FeedChange) => {
    if (COMMENT_EVENT.test(change.eventType)) readFrom(change.position);
  }, []);
  useFeedChanges(feed, onChange);

  /** a write; the list is read again as of the position it was stored at (null: no change) */
  const run = async (work: () => Promise<{ position: number | null }>): Promise<boolean> => {
    try {
      const { position } = await work();
      if (position !== null) readFrom(position);
      setError(undefined);
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const post = (target: TargetOption, text: string, parentId?: string) =>
    run(() =>
      api.post<{ position: number }>(base, {
        target: target.ref.type === 'plan' ? { type: 'plan' } : target.ref,
        text,
        parentId,
      }),
    );
  const resolve = (threadId: string) =>
    run(() =>
      api.post<{ position: number | null }>(`${base}/${encodeURIComponent(threadId)}/resolve`, {}),
    );

  const visible = (threads ?? []).filter((t) => showResolved || !t.resolved);
  const open = (threads ?? []).filter((t) => !t.resolved).length;
  return (
    <div className="comments">
      {canComment ? (
        <NewThreadForm options={options} onPost={post} />
      ) : (
        <p className="muted">You can read the feedback on this plan; your role cannot comment.</p>
      )}
      <section className="card" aria-labelledby="threads-title">
        <div className="section-head">
          <h2 id="threads-title">Feedback threads</h2>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={showResolved}
              onChange={(e) => setShowResolved(e.target.checked)}
            />
            Show resolved
          </label>
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!threads ? (
          <p aria-busy="true">Loading comments…</p>
        ) : (
          <>
            <p className="muted" data-testid="thread-counts">
              {open} open · {threads.length - open} resolved
            </p>
            {visible.length === 0 ? (
              <p className="muted">No {showResolved ? '' : 'open '}threads yet.</p>
            ) : (
              <ol className="threads" aria-label="Threads, oldest first">
                {visible.map((thread) => (
                  <ThreadItem
                    key={thread.threadId}
                    thread={thread}
                    about={targetLabel(thread.target, options)}
                    canComment={canComment}
                    me={me}
                    onReply={(text) =>
                      post(
                        { key: '', ref: thread.target, label: '' },
                        text,
                        thread.replies.at(-1)?.commentId ?? thread.threadId,
                      )
                    }
                    onResolve={() => resolve(thread.threadId)}
                  />
                ))}
              </ol>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function NewThreadForm({
  options,
  onPost,
}: {
  options: readonly TargetOption[];
  onPost: (target: TargetOption, text: string) => Promise<boolean>;
}) {
  const id = useId();
  const [targetKey, setTargetKey] = useState('plan');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const target = options.find((o) => o.key === targetKey) ?? options[0];
    setBusy(true);
    if (await onPost(target, text.trim())) setText('');
    setBusy(false);
  };
  return (
    <form className="card comment-form" onSubmit={(e) => void submit(e)} aria-label="New thread">
      <h2>Start a thread</h2>
      <label htmlFor={`${id}-about`}>About</label>
      <select id={`${id}-about`} value={targetKey} onChange={(e) => setTargetKey(e.target.value)}>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-text`}>Comment</label>
      <textarea
        id={`${id}-text`}
        value={text}
        rows={3}
        placeholder="Write @userId to notify someone"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="primary" disabled={busy || !text.trim()}>
        Post comment
      </button>
    </form>
  );
}

function ThreadItem({
  thread,
  about,
  canComment,
  me,
  onReply,
  onResolve,
}: {
  thread: CommentThread;
  about: string;
  canComment: boolean;
  me: string;
  onReply: (text: string) => Promise<boolean>;
  onResolve: () => Promise<boolean>;
}) {
  const id = useId();
  const [reply, setReply] = useState('');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await onReply(reply.trim())) setReply('');
  };
  return (
    <li
      className={`thread${thread.resolved ? ' resolved' : ''}`}
      data-thread-id={thread.threadId}
      aria-labelledby={`${id}-about`}
    >
      <p className="thread-head">
        <strong id={`${id}-about`}>{about}</strong>
        {thread.resolved && <span className="badge">resolved</span>}
      </p>
      <ol className="thread-comments">
        {[thread.root, ...thread.replies].map((comment) => (
          <CommentItem key={comment.commentId} comment={comment} me={me} />
        ))}
      </ol>
      {canComment && !thread.resolved && (
        <form className="reply-form" onSubmit={(e) => void submit(e)}>
          <label htmlFor={`${id}-reply`} className="sr-only">
            Reply to the thread about {about}
          </label>
          <input
            id={`${id}-reply`}
            value={reply}
            placeholder="Reply…"
            onChange={(e) => setReply(e.target.value)}
          />
          <button type="submit" disabled={!reply.trim()}>
            Reply
          </button>
          <button type="button" onClick={() => void onResolve()}>
            Resolve
          </button>
        </form>
      )}
    </li>
  );
}

function CommentItem({ comment, me }: { comment: Comment; me: string }) {
  return (
    <li className="comment" data-comment-id={comment.commentId}>
      <span className="comment-author">{comment.author}</span>
      <time dateTime={comment.postedAt}>{new Date(comment.postedAt).toLocaleString()}</time>
      {comment.editedAt && <span className="muted">(edited)</span>}
      <p className="comment-text">
        {withMentions(comment).map((part, index) =>
          part.mention ? (
            <mark key={index} className={part.mention === me ? 'mention me' : 'mention'}>
              {part.text}
            </mark>
          ) : (
            part.text
          ),
        )}
      </p>
    </li>
  );
}

/** the text cut around the mentions the server found in it, so those (and only those) are marked */
function withMentions(comment: Comment): { text: string; mention?: string }[] {
  if (comment.mentions.length === 0) return [{ text: comment.text }];
  const ids = comment.mentions.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(@(?:${ids.join('|')}))(?![\\p{L}\\p{N}_])`, 'u');
  return comment.text
    .split(pattern)
    .filter((text) => text !== '')
    .map((text) =>
      comment.mentions.includes(text.slice(1)) && text.startsWith('@')
        ? { text, mention: text.slice(1) }
        : { text },
    );
}
