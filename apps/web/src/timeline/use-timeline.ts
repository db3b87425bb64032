/**
 * The timeline for the Gantt chart: the server's read model, fetched when the plan opens, as of
 * the feed's start once it is subscribed, and again whenever the feed says the timeline changed. The projection trails the live document
 * by a moment, so until it covers every task and milestone the document has, the schedule is
 * computed in the browser from the live plan with the same scheduling code.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeedNotice } from '@lib/feed';
import type { PlanJson } from '@lib/plan-domain';
import type { Api } from '../api/api-client';
import { useFeedNotices, type PlanFeed } from '../feed/plan-feed';
import {
  scheduleInBrowser,
  timelineFromServer,
  todayIso,
  type TimelineView,
} from './timeline-view';

export function useTimeline(
  api: Api,
  planId: string,
  plan: PlanJson,
  feed: PlanFeed | undefined,
): TimelineView {
  const [serverBody, setServerBody] = useState<unknown>();
  const [changes, setChanges] = useState(0);

  // first without waiting, then (once the feed is there) as of its start, since a notice sent
  // before the feed subscribed is not repeated; then after each notice
  const from = feed?.from;
  useEffect(() => {
    const abort = new AbortController();
    const fresh = from === undefined ? '' : `?minPosition=${from}`;
    api
      .get<unknown>(`/plans/${encodeURIComponent(planId)}/timeline${fresh}`, abort.signal)
      .then((body) => {
        if (!abort.signal.aborted) setServerBody(body);
      })
      // the browser's own schedule stands in until a fetch succeeds
      .catch(() => undefined);
    return () => abort.abort();
  }, [api, planId, changes, from]);

  const onNotice = useCallback(
    (notice: FeedNotice) => {
      if (notice.kind === 'timeline.changed' && notice.planId === planId) setChanges((n) => n + 1);
    },
    [planId],
  );
  useFeedNotices(feed, onNotice);

  return useMemo(() => {
    if (serverBody !== undefined) {
      const fromServer = timelineFromServer(serverBody, plan);
      if (coversPlan(fromServer, plan)) return fromServer;
    }
    return scheduleInBrowser(plan, todayIso());
  }, [serverBody, plan]);
}

function coversPlan(timeline: TimelineView, plan: PlanJson): boolean {
  const ids = new Set(timeline.bars.map((b) => b.id));
  const cycled = new Set(timeline.cycles.flat());
  return [...plan.tasks, ...plan.milestones].every(
    (item) => ids.has(item.id) || cycled.has(item.id),
  );
}
