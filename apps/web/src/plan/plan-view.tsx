/**
 * One plan, live: the header (title, status, who is here) and a tab per view. The Y.Doc comes
 * from the server over y-websocket; the views render it as JSON and edit it through PlanDoc.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isRole, roleAllows } from '@lib/auth/roles/role';
import type { PlanJson } from '@lib/plan-domain';
import type { Api } from '../api/api-client';
import type { PlanConnection } from '../collab/plan-connection';
import { peersByCell, setCursor, usePeers } from '../collab/presence';
import { useConnectionState, useLivePlan, usePlanConnection } from '../collab/use-plan-connection';
import { CommentsView } from '../comments/comments-view';
import { MentionsBar } from '../feed/mentions-bar';
import { useMentions, usePlanFeed, type PlanFeed } from '../feed/plan-feed';
import type { GridCursor } from '../grid/editable-grid';
import { HistoryView } from '../history/history-view';
import { ObjectivesView } from '../objectives/objectives-view';
import type { PlanListItem } from '../plans/plan-list-view';
import { StatusReportView } from '../reports/status-report-view';
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
  { id: 'comments', label: 'Comments' },
  { id: 'report', label: 'Status report' },
  { id: 'history', label: 'History' },
];

const may = (role: string | undefined, need: 'edit' | 'comment'): boolean =>
  isRole(role) && roleAllows(role, need);

export function PlanView({ planId, session, api }: { planId: string; session: Session; api: Api }) {
  const connection = usePlanConnection(planId, session);
  const feed = usePlanFeed(api, planId, session);
  const role = useRole(api, planId, session);
  if (!connection) return <p aria-busy="true">Connecting…</p>;
  return (
    <LivePlan
      connection={connection}
      feed={feed}
      planId={planId}
      api={api}
      role={role}
      me={session.userId}
    />
  );
}

function LivePlan({
  connection,
  feed,
  planId,
  api,
  role,
  me,
}: {
  connection: PlanConnection;
  feed: PlanFeed | undefined;
  planId: string;
  api: Api;
  role: string | undefined;
  me: string;
}) {
  const state = useConnectionState(connection);
  const plan = useLivePlan(connection);
  const peers = usePeers(connection);
  const [tab, setTab] = useState(() =>
    TABS.some((t) => t.id === location.hash.slice(1)) ? location.hash.slice(1) : 'tasks',
  );
  const readOnly = !may(role, 'edit');
  const timeline = useTimeline(api, planId, plan, feed);
  const mentions = useMentions(feed);
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
      <MentionsBar
        mentions={mentions}
        onOpen={(mention) => {
          selectTab('comments');
          feed?.dismissMention(mention.commentId);
        }}
        onDismiss={(mention) => feed?.dismissMention(mention.commentId)}
      />
      <Tabs tabs={TABS} active={tab} onSelect={selectTab} label="Plan views">
        {tab === 'tasks' && (
          <TasksTab
            api={api}
            planId={planId}
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
        {tab === 'comments' && (
          <CommentsView
            api={api}
            planId={planId}
            plan={plan}
            feed={feed}
            canComment={may(role, 'comment')}
            me={me}
          />
        )}
        {tab === 'report' && <StatusReportView api={api} planId={planId} plan={plan} />}
        {tab === 'history' && <HistoryView api={api} planId={planId} livePlan={plan} feed={feed} />}
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
