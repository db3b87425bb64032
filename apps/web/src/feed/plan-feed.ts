/**
 * The plan's change feed (socket.io `/feed`), one subscription per open plan, shared by the
 * views. It starts at the global position the plan was read at over HTTP, so nothing between
 * that read and the subscription is missed, and the feed client resumes from its own position
 * after any disconnect. Views listen for the changes and read-model notices they show and
 * refetch or append; notices that mention the signed-in user are kept for the header.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { FeedChange, FeedNotice, MentionFeedNotice } from '@lib/feed';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import type { Api } from '../api/api-client';
import type { Session } from '../session/session';

type Listener<T> = (value: T) => void;

export class PlanFeed {
  private readonly client: FeedClient;
  private readonly changeListeners = new Set<Listener<FeedChange>>();
  private readonly noticeListeners = new Set<Listener<FeedNotice>>();
  private readonly mentionListeners = new Set<() => void>();
  private mentionList: readonly MentionFeedNotice[] = [];

  /**
   * @param from the global position the plan was read at: the feed delivers every change after
   *   it, and reads of read models made with `?minPosition=from` include everything up to it
   */
  constructor(
    planId: string,
    session: Session,
    readonly from: number,
  ) {
    this.client = connectFeed(location.origin, {
      token: session.token,
      user: session.user,
      plans: [planId],
      from,
      // websocket only: no long-polling requests to balance across nodes
      socketOptions: { transports: ['websocket'] },
      onChange: (change) => this.changeListeners.forEach((listen) => listen(change)),
      onNotice: (notice) => {
        if (notice.kind === 'mention') {
          if (notice.planId !== planId) return;
          this.mentionList = [notice, ...this.mentionList];
          this.mentionListeners.forEach((listen) => listen());
        }
        this.noticeListeners.forEach((listen) => listen(notice));
      },
    });
  }

  /** every change to the plan after the subscription's start, once, in position order */
  onChange(listener: Listener<FeedChange>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** read-model notices (timeline.changed, risks.changed, …), scope creep and mentions */
  onNotice(listener: Listener<FeedNotice>): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  readonly subscribeMentions = (listener: () => void): (() => void) => {
    this.mentionListeners.add(listener);
    return () => this.mentionListeners.delete(listener);
  };

  /** mentions of the signed-in user on this plan since it was opened, newest first */
  readonly getMentions = (): readonly MentionFeedNotice[] => this.mentionList;

  dismissMention(commentId: string): void {
    this.mentionList = this.mentionList.filter((m) => m.commentId !== commentId);
    this.mentionListeners.forEach((listen) => listen());
  }

  close(): void {
    this.client.close();
    this.changeListeners.clear();
    this.noticeListeners.clear();
    this.mentionListeners.clear();
  }
}

/** The feed for one plan, from the position of the plan as read now; undefined until connected. */
export function usePlanFeed(api: Api, planId: string, session: Session): PlanFeed | undefined {
  const [feed, setFeed] = useState<PlanFeed>();
  useEffect(() => {
    const abort = new AbortController();
    let created: PlanFeed | undefined;
    api
      .get<{ position: number }>(`/plans/${encodeURIComponent(planId)}`, abort.signal)
      .then(({ position }) => {
        if (abort.signal.aborted) return;
        created = new PlanFeed(planId, session, position);
        setFeed(created);
      })
      // the plan page shows why the plan cannot be read; without a feed the views still load
      .catch(() => undefined);
    return () => {
      abort.abort();
      created?.close();
      setFeed(undefined);
    };
  }, [api, planId, session]);
  return feed;
}

/** calls `listener` for each change while mounted; a new listener identity re-subscribes */
export function useFeedChanges(feed: PlanFeed | undefined, listener: Listener<FeedChange>): void {
  useEffect(() => feed?.onChange(listener), [feed, listener]);
}

export function useFeedNotices(feed: PlanFeed | undefined, listener: Listener<FeedNotice>): void {
  useEffect(() => feed?.onNotice(listener), [feed, listener]);
}

const NO_MENTIONS: readonly MentionFeedNotice[] = [];
const NO_SUBSCRIPTION = (): (() => void) => () => undefined;

export function useMentions(feed: PlanFeed | undefined): readonly MentionFeedNotice[] {
  return useSyncExternalStore(
    feed?.subscribeMentions ?? NO_SUBSCRIPTION,
    feed?.getMentions ?? (() => NO_MENTIONS),
  );
}
