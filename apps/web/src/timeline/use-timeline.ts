/**
 * The timeline for the Gantt chart: the server's read model when the server has the route,
 * refetched after document changes (the projection trails the log by a moment, hence a second
 * fetch shortly after the edits stop); otherwise computed in the browser from the live plan.
 */
import { useEffect, useMemo, useState } from 'react';
import type { PlanJson } from '@lib/plan-domain';
import { isApiError, type Api } from '../api/api-client';
import {
  scheduleInBrowser,
  timelineFromServer,
  todayIso,
  type TimelineView,
} from './timeline-view';

const REFETCH_DEBOUNCE_MS = 150;
const CATCH_UP_DELAY_MS = 800;

export function useTimeline(api: Api, planId: string, plan: PlanJson): TimelineView {
  const [serverBody, setServerBody] = useState<unknown>();
  const [routeMissing, setRouteMissing] = useState(false);

  useEffect(() => {
    if (routeMissing) return;
    const abort = new AbortController();
    const fetchTimeline = (): void => {
      api
        .get<unknown>(`/plans/${encodeURIComponent(planId)}/timeline`, abort.signal)
        .then((body) => {
          if (!abort.signal.aborted) setServerBody(body);
        })
        .catch((error: unknown) => {
          if (abort.signal.aborted) return;
          // without the route (or without the right to read it) the browser computes it
          if (isApiError(error) && (error.routeMissing || error.status === 403))
            setRouteMissing(true);
        });
    };
    const soon = setTimeout(fetchTimeline, REFETCH_DEBOUNCE_MS);
    const later = setTimeout(fetchTimeline, CATCH_UP_DELAY_MS);
    return () => {
      abort.abort();
      clearTimeout(soon);
      clearTimeout(later);
    };
  }, [api, planId, plan, routeMissing]);

  return useMemo(() => {
    if (!routeMissing && serverBody !== undefined) {
      const fromServer = timelineFromServer(serverBody, plan);
      // until the read model has every activity the live document has, show the local schedule
      if (coversPlan(fromServer, plan)) return fromServer;
    }
    return scheduleInBrowser(plan, todayIso());
  }, [routeMissing, serverBody, plan]);
}

function coversPlan(timeline: TimelineView, plan: PlanJson): boolean {
  const ids = new Set(timeline.bars.map((b) => b.id));
  const cycled = new Set(timeline.cycles.flat());
  return [...plan.tasks, ...plan.milestones].every(
    (item) => ids.has(item.id) || cycled.has(item.id),
  );
}
