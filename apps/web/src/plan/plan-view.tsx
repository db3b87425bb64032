/**
 * One plan, live: the header (title, status, who is here) and a tab per view. The Y.Doc comes
 * from the server over y-websocket; the views render it as JSON and edit it through PlanDoc.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PlanJson } from '@lib/plan-domain';
import type { Api } from '../api/api-client';
import type { PlanConnection } from '../collab/plan-connection';
import { peersByCell, setCursor, usePeers } from '../collab/presence';
import { useConnectionState, useLivePlan, usePlanConnection } from '../collab/use-plan-connection';
import type { GridCursor } from '../grid/editable-grid';
import { HistoryView } from '../history/history-view';
import { ObjectivesView } from '../objectives/objectives-view';
import type { PlanListItem } from '../plans/plan-list-view';
import { ResourcesBudgetView } from '../resources/resources-budget-view';
import { RiskRegisterView } from '../risks/risk-register-view';
import type { Session } from '../session/session';
import { StakeholdersView } from '../stakeholders/stakeholders-view';
import { TasksTab } from '../tasks/tasks-tab';
import { useTimeline } from '../timeline/use-timeline';
import { ConnectionStatus } from './connection-status';
import { PresenceBar } from './presence-bar';
import { Tabs, type TabSpec } from './tabs';

const TABS: readonly TabSpec[] = [
  { id: 'tasks', label: 'Tasks & timeline' },
  { id: 'risks', label: 'Risks' },
  { id: 'resources', label: 'Resources & budget' },
  { id: 'stakeholders', label: 'Stakeholders' },
  { id: 'objectives', label: 'Objectives' },
  { id: 'history', label: 'History' },
];

const EDITING_ROLES = new Set(['owner', 'editor']);

export function PlanView({ planId, session, api }: { planId: string; session: Session; api: Api }) {
  const connection = usePlanConnection(planId, session);
  const role = useRole(api, planId, session);
  if (!connection) return <p aria-busy="true">Connecting…</p>;
  return <LivePlan connection={connection} planId={planId} api={api} role={role} />;
}

function LivePlan({
  connection,
  planId,
  api,
  role,
}: {
  connection: PlanConnection;
  planId: string;
  api: Api;
  role: string | undefined;
}) {
  const state = useConnectionState(connection);
  const plan = useLivePlan(connection);
  const peers = usePeers(connection);
  const [tab, setTab] = useState(() =>
    TABS.some((t) => t.id === location.hash.slice(1)) ? location.hash.slice(1) : 'tasks',
  );
  const readOnly = role === undefined || !EDITING_ROLES.has(role);
  const timeline = useTimeline(api, planId, plan);
  const cells = useMemo(() => peersByCell(peers, tab), [peers, tab]);
  const onCursor = useCallback(
    (cursor: GridCursor | null) => setCursor(connection, cursor ? { view: tab, ...cursor } : null),
    [connection, tab],
  );

  const selectTab = (id: string): void => {
    setTab(id);
    history.replaceState(null, '', `#${id}`);
    setCursor(connection, null);
  };

  return (
    <article className="plan" aria-labelledby="plan-title" data-role={role ?? 'unknown'}>
      <header className="plan-head">
        <div>
          <h1 id="plan-title">
            {state.synced ? plan.meta.title || '(untitled plan)' : 'Loading plan…'}
          </h1>
          <PlanFacts
            plan={plan}
            role={role}
            criticalCount={timeline.criticalPath.length}
            finish={timeline.projectFinish}
          />
        </div>
        <div className="plan-head-side">
          <ConnectionStatus state={state} readOnly={readOnly} />
          <PresenceBar peers={peers} />
        </div>
      </header>
      {state.link === 'closed' && (
        <p role="alert" className="error">
          The server closed the connection: {state.closedReason}.
        </p>
      )}
      <Tabs tabs={TABS} active={tab} onSelect={selectTab} label="Plan views">
        {tab === 'tasks' && (
          <TasksTab
            plan={plan}
            editor={connection.plan}
            timeline={timeline}
            readOnly={readOnly}
            peers={cells}
            onCursor={onCursor}
          />
        )}
        {tab === 'risks' && (
          <RiskRegisterView
            plan={plan}
            editor={connection.plan}
            criticalPath={timeline.criticalPath}
            readOnly={readOnly}
            peers={cells}
            onCursor={onCursor}
          />
        )}
        {tab === 'resources' && (
          <ResourcesBudgetView
            plan={plan}
            editor={connection.plan}
            readOnly={readOnly}
            peers={cells}
            onCursor={onCursor}
          />
        )}
        {tab === 'stakeholders' && (
          <StakeholdersView
            plan={plan}
            editor={connection.plan}
            readOnly={readOnly}
            peers={cells}
            onCursor={onCursor}
          />
        )}
        {tab === 'objectives' && (
          <ObjectivesView
            plan={plan}
            editor={connection.plan}
            readOnly={readOnly}
            peers={cells}
            onCursor={onCursor}
          />
        )}
        {tab === 'history' && <HistoryView api={api} planId={planId} livePlan={plan} />}
      </Tabs>
    </article>
  );
}

function PlanFacts({
  plan,
  role,
  criticalCount,
  finish,
}: {
  plan: PlanJson;
  role: string | undefined;
  criticalCount: number;
  finish: string;
}) {
  return (
    <p className="plan-facts">
      {role && <span className="badge role">{role}</span>}
      <span>{plan.meta.status}</span>
      {plan.meta.start && <span>starts {plan.meta.start}</span>}
      <span>finishes {finish}</span>
      <span>
        {plan.tasks.length} tasks · {plan.milestones.length} milestones · {criticalCount} critical
      </span>
      <span>{plan.risks.length} risks</span>
    </p>
  );
}

/** The caller's role on the plan, from GET /plans; with AUTH=off everyone is owner. */
function useRole(api: Api, planId: string, session: Session): string | undefined {
  const [role, setRole] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    api
      .get<PlanListItem[]>('/plans', abort.signal)
      .then((plans) =>
        setRole(
          plans.find((p) => p.planId === planId)?.role ?? (session.token ? undefined : 'owner'),
        ),
      )
      .catch(() => setRole(undefined));
    return () => abort.abort();
  }, [api, planId, session]);
  return role;
}
