/**
 * The risk register: every risk scored (probability × impact) and levelled, editable in place,
 * with the heat map of open risks and the exposure totals (plan-domain's `buildRiskRegister`).
 */
import { useMemo } from 'react';
import {
  buildRiskRegister,
  RISK_RESPONSES,
  RISK_STATUSES,
  type PlanDoc,
  type PlanJson,
  type RegisteredRisk,
} from '@lib/plan-domain';
import type { Peer } from '../collab/presence';
import { EditableGrid, type GridCursor } from '../grid/editable-grid';
import { parseOptionalDate, parseWholeNumber, type GridColumn } from '../grid/grid-column';
import { todayIso } from '../timeline/timeline-view';
import { RiskHeatMap } from './heat-map';

interface RiskRegisterViewProps {
  readonly plan: PlanJson;
  readonly editor: PlanDoc;
  readonly criticalPath: readonly string[];
  readonly readOnly: boolean;
  readonly peers: ReadonlyMap<string, readonly Peer[]>;
  readonly onCursor: (cursor: GridCursor | null) => void;
}

export function RiskRegisterView({
  plan,
  editor,
  criticalPath,
  readOnly,
  peers,
  onCursor,
}: RiskRegisterViewProps) {
  const register = useMemo(
    () =>
      buildRiskRegister(
        plan.risks.map((r) => ({ ...r, reviewDate: r.reviewDate ?? null })),
        { today: todayIso(), criticalTaskIds: criticalPath },
      ),
    [plan.risks, criticalPath],
  );
  const columns = useMemo(() => riskColumns(editor), [editor]);
  const levels = register.openCountsByLevel;

  return (
    <div className="split">
      <section aria-labelledby="risks-title" className="card grow">
        <div className="section-head">
          <h2 id="risks-title">Risk register</h2>
          {!readOnly && (
            <button
              type="button"
              onClick={() => editor.addRisk({ title: 'New risk', probability: 3, impact: 3 }, 'ui')}
            >
              Add risk
            </button>
          )}
        </div>
        <EditableGrid
          label="Risks"
          rows={register.risks}
          columns={columns}
          rowLabel={(risk) => `risk ${risk.title ?? risk.id}`}
          readOnly={readOnly}
          peers={peers}
          onCursor={onCursor}
          rowProps={(risk) => ({ 'data-level': risk.level })}
          emptyText="No risks recorded."
        />
      </section>
      <aside className="card side" aria-label="Risk exposure">
        <RiskHeatMap heatMap={register.heatMap} caption="Heat map of open risks" />
        <dl className="facts">
          <dt>Open exposure</dt>
          <dd data-testid="open-exposure">{register.openExposure}</dd>
          <dt>Open by level</dt>
          <dd>
            {(['critical', 'high', 'medium', 'low'] as const).map((level) => (
              <span key={level} className={`badge level ${level}`}>
                {levels[level]} {level}
              </span>
            ))}
          </dd>
          <dt>On the critical path</dt>
          <dd>{register.openCriticalPathRiskIds.length} open risk(s)</dd>
          <dt>Overdue reviews</dt>
          <dd>{register.overdueReviews.length === 0 ? 'none' : register.overdueReviews.length}</dd>
        </dl>
      </aside>
    </div>
  );
}

function riskColumns(editor: PlanDoc): GridColumn<RegisteredRisk>[] {
  const update = (risk: RegisteredRisk, patch: Record<string, unknown>): void => {
    editor.updateRisk(risk.id, patch, 'ui');
  };
  const options = (values: readonly string[]) => () => values.map((v) => ({ value: v, label: v }));
  return [
    {
      key: 'title',
      header: 'Risk',
      width: '24%',
      value: (risk) => risk.title ?? '',
      commit: (risk, text) => {
        if (!text.trim()) throw new Error('a title is required');
        update(risk, { title: text.trim() });
      },
    },
    {
      key: 'category',
      header: 'Category',
      value: (r) => r.category ?? '',
      commit: (r, t) => update(r, { category: t.trim() }),
    },
    {
      key: 'probability',
      header: 'Probability',
      kind: 'number',
      value: (r) => String(r.probability),
      commit: (r, t) =>
        editor.setRiskScore(r.id, parseWholeNumber(t, 'probability', 1, 5), r.impact, 'ui'),
    },
    {
      key: 'impact',
      header: 'Impact',
      kind: 'number',
      value: (r) => String(r.impact),
      commit: (r, t) =>
        editor.setRiskScore(r.id, r.probability, parseWholeNumber(t, 'impact', 1, 5), 'ui'),
    },
    {
      key: 'score',
      header: 'Score',
      value: (r) => String(r.score),
      decorate: (r) => <span className={`badge level ${r.level}`}>{r.level}</span>,
    },
    {
      key: 'owner',
      header: 'Owner',
      value: (r) => r.owner ?? '',
      commit: (r, t) => update(r, { owner: t.trim() }),
    },
    {
      key: 'response',
      header: 'Response',
      kind: 'select',
      value: (r) => r.response ?? 'mitigate',
      options: options(RISK_RESPONSES),
      commit: (r, v) => update(r, { response: v }),
    },
    {
      key: 'status',
      header: 'Status',
      kind: 'select',
      value: (r) => r.status,
      options: options(RISK_STATUSES),
      commit: (r, v) => update(r, { status: v }),
    },
    {
      key: 'reviewDate',
      header: 'Review',
      value: (r) => r.reviewDate ?? '',
      placeholder: () => 'YYYY-MM-DD',
      commit: (r, t) => update(r, { reviewDate: parseOptionalDate(t) }),
      decorate: (r) => (r.reviewOverdue ? <span className="badge overdue">overdue</span> : null),
    },
  ];
}
