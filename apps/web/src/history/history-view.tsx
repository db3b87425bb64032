/**
 * History for auditors and editors: the change log (who changed what, when) and a slider over
 * the plan's stream versions; any version but the newest is shown read-only as the server
 * rebuilds it (`GET /plans/:id/state?version=N`).
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { FeedChange } from '@lib/feed';
import type { PlanJson } from '@lib/plan-domain';
import { isApiError, type Api } from '../api/api-client';
import { useFeedChanges, type PlanFeed } from '../feed/plan-feed';
import { TaskTable } from '../tasks/task-table';
import { GanttChart } from '../timeline/gantt-chart';
import { scheduleInBrowser, todayIso } from '../timeline/timeline-view';
import { entriesOf, loadHistoryPage, mergeEntries, type HistoryEntry } from './plan-history';

interface History {
  /** newest first */
  readonly entries: readonly HistoryEntry[];
  /** cursor of the next older page; null once the first entry is loaded */
  readonly older: string | null;
  /** the plan stream's current version: the slider's right end */
  readonly latestVersion: number;
}

export function HistoryView({
  api,
  planId,
  livePlan,
  feed,
}: {
  api: Api;
  planId: string;
  livePlan: PlanJson;
  feed: PlanFeed | undefined;
}) {
  const [loaded, setLoaded] = useState<History>();
  const [live, setLive] = useState<{ entries: HistoryEntry[]; version: number }>({
    entries: [],
    version: 0,
  });
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<number>();
  const [loadingOlder, setLoadingOlder] = useState(false);

  // The feed starts after the position the plan was read at, and the first page is read as of
  // at least that position, so between the two no change is missed (the merge drops doubles).
  const onChange = useCallback((change: FeedChange) => {
    setLive((current) => ({
      entries: [...entriesOf(change), ...current.entries],
      version: Math.max(current.version, change.version),
    }));
  }, []);
  useFeedChanges(feed, onChange);

  useEffect(() => {
    if (!feed) return;
    const abort = new AbortController();
    Promise.all([
      api.get<{ version: number }>(`/plans/${encodeURIComponent(planId)}`, abort.signal),
      loadHistoryPage(api, planId, { minPosition: feed.from }, abort.signal),
    ])
      .then(([plan, page]) => {
        setLoaded({ ...page, latestVersion: plan.version });
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(
          isApiError(e) && e.status === 403
            ? 'History is for owners, editors and auditors of this plan.'
            : e instanceof Error
              ? e.message
              : String(e),
        );
      });
    return () => abort.abort();
  }, [api, planId, feed]);

  const loadOlder = (): void => {
    if (!loaded?.older) return;
    setLoadingOlder(true);
    const older = loaded.older;
    loadHistoryPage(api, planId, { older })
      .then((page) =>
        setLoaded(
          (current) =>
            current && {
              ...current,
              entries: [...current.entries, ...page.entries],
              older: page.older,
            },
        ),
      )
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoadingOlder(false));
  };

  const history = useMemo(
    () =>
      loaded && {
        entries: mergeEntries(live.entries, loaded.entries),
        older: loaded.older,
        latestVersion: Math.max(loaded.latestVersion, live.version),
      },
    [loaded, live],
  );

  if (error) {
    return (
      <section className="card">
        <h2>History</h2>
        <p role="alert" className="error">
          {error}
        </p>
      </section>
    );
  }
  if (!history) return <p aria-busy="true">Loading history…</p>;

  const version = Math.min(selected ?? history.latestVersion, history.latestVersion);
  return (
    <div className="history">
      <VersionSlider
        history={history}
        version={version}
        onChange={(v) => setSelected(v >= history.latestVersion ? undefined : v)}
      />
      {version < history.latestVersion && (
        <PastVersion api={api} planId={planId} version={version} />
      )}
      <ChangeLog
        entries={history.entries}
        selected={version}
        plan={livePlan}
        onOlder={history.older ? loadOlder : undefined}
        loadingOlder={loadingOlder}
      />
    </div>
  );
}

function VersionSlider({
  history,
  version,
  onChange,
}: {
  history: History;
  version: number;
  onChange: (version: number) => void;
}) {
  const id = useId();
  const at = history.entries.find((e) => e.version <= version);
  const isLatest = version >= history.latestVersion;
  return (
    <section className="card slider-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Time travel</h2>
      <div className="slider-row">
        <label htmlFor={id}>Version</label>
        <input
          id={id}
          type="range"
          min={0}
          max={history.latestVersion}
          step={1}
          value={version}
          aria-valuetext={`version ${version} of ${history.latestVersion}`}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <output htmlFor={id} data-testid="selected-version">
          {version} / {history.latestVersion}
        </output>
        {!isLatest && (
          <button type="button" onClick={() => onChange(history.latestVersion)}>
            Back to now
          </button>
        )}
      </div>
      <p className="muted">
        {isLatest
          ? 'Showing the current plan. Move the slider to see it as it was.'
          : `Read-only view of version ${version}${at ? `, last changed ${formatTime(at.at)} by ${at.actor}` : ''}.`}
      </p>
    </section>
  );
}

function PastVersion({ api, planId, version }: { api: Api; planId: string; version: number }) {
  const [state, setState] = useState<{ version: number; plan: PlanJson }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<PlanJson & { version: number }>(
          `/plans/${encodeURIComponent(planId)}/state?version=${version}`,
          abort.signal,
        )
        .then((plan) => {
          setState({ version, plan });
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
        });
    }, 120);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, planId, version]);
  const timeline = useMemo(
    () => (state ? scheduleInBrowser(state.plan, todayIso()) : undefined),
    [state],
  );

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!state || !timeline) return <p aria-busy="true">Loading version {version}…</p>;
  const plan = state.plan;
  return (
    <section
      className="card past-version"
      aria-label={`Plan at version ${state.version}`}
      data-version={state.version}
      aria-busy={state.version !== version}
    >
      <h2>
        {plan.meta.title} <span className="badge">version {state.version} · read-only</span>
      </h2>
      <p className="muted">
        {plan.tasks.length} tasks · {plan.milestones.length} milestones · {plan.risks.length} risks
        · {plan.stakeholders.length} stakeholders · {plan.objectives.length} objectives
      </p>
      <TaskTable
        plan={plan}
        timeline={timeline}
        readOnly
        label={`Tasks at version ${state.version}`}
      />
      <GanttChart timeline={timeline} plan={plan} title={`Timeline at version ${state.version}`} />
    </section>
  );
}

function ChangeLog({
  entries,
  selected,
  plan,
  onOlder,
  loadingOlder,
}: {
  entries: readonly HistoryEntry[];
  selected: number;
  plan: PlanJson;
  onOlder: (() => void) | undefined;
  loadingOlder: boolean;
}) {
  const names = useMemo(() => entityNames(plan), [plan]);
  return (
    <section className="card" aria-labelledby="change-log-title">
      <h2 id="change-log-title">Change log</h2>
      <p className="muted">
        {entries.length} change(s){onOlder ? ', newest first; older ones below' : ''} · follows the
        change feed live
      </p>
      <ol className="change-log" aria-label="Changes, newest first">
        {entries.map((entry) => (
          <li
            key={entry.key}
            className={entry.version > selected ? 'after-selected' : ''}
            data-version={entry.version}
          >
            <span className="change-version">v{entry.version}</span>
            <time dateTime={entry.at}>{formatTime(entry.at)}</time>
            <span className="change-actor">{entry.actor || 'unknown'}</span>
            <span className="change-summary">{readable(entry, names)}</span>
          </li>
        ))}
      </ol>
      {onOlder && (
        <button type="button" onClick={onOlder} disabled={loadingOlder}>
          {loadingOlder ? 'Loading…' : 'Show older changes'}
        </button>
      )}
    </section>
  );
}

/** Summaries name entities by id; people read titles. */
function readable(entry: HistoryEntry, names: ReadonlyMap<string, string>): string {
  const entity = entry.entity;
  if (!entity || !names.has(entity.id)) return entry.summary;
  return entry.summary.replace(
    `${entity.type} ${entity.id}`,
    `${entity.type} “${names.get(entity.id)}”`,
  );
}

function entityNames(plan: PlanJson): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of [
    ...plan.phases,
    ...plan.tasks,
    ...plan.milestones,
    ...plan.risks,
    ...plan.objectives,
  ]) {
    names.set(item.id, item.title);
  }
  for (const item of [...plan.resources, ...plan.stakeholders]) names.set(item.id, item.name);
  return names;
}

function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
