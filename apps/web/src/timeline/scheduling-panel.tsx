/**
 * Leveling and earned value beside the Gantt: "Preview leveling" asks the server for a leveled
 * schedule and shows where tasks would move as ghost bars (through `onGhosts`) with a list of
 * the moves; "Apply" writes them as one edit. The earned value S-curve (PV, EV, AC per week)
 * shows once the plan has a status date.
 */
import { useEffect, useState } from 'react';
import { epochDayOf } from '@lib/plan-domain';
import { isApiError, type Api } from '../api/api-client';
import type { GhostBar } from './gantt-chart';

interface LevelingMove {
  readonly activityId: string;
  readonly fromStart: string;
  readonly toStart: string;
  readonly delayDays: number;
  readonly withinFloat: boolean;
  readonly cause: string;
}
interface LevelingPreview {
  readonly moves: readonly LevelingMove[];
  readonly overAllocationsLeft: readonly unknown[];
  readonly projectFinishBefore: string;
  readonly projectFinishAfter: string;
  readonly activities: readonly { id: string; start: string; lastWorkDay: string }[];
}
interface EvmWeek {
  readonly week: string;
  readonly pv: number;
  readonly ev: number | null;
  readonly ac: number | null;
}
interface Evm {
  readonly statusDate: string;
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly pv: number;
  readonly ev: number;
  readonly ac: number;
  readonly eac: number;
  readonly bac: number;
  readonly weeks: readonly EvmWeek[];
}

export function SchedulingPanel({
  api,
  planId,
  planStart,
  titles,
  readOnly,
  refreshKey,
  onGhosts,
}: {
  api: Api;
  planId: string;
  planStart: string;
  titles: ReadonlyMap<string, string>;
  readOnly: boolean;
  /** changes whenever the timeline does, so earned value is read again */
  refreshKey: string;
  onGhosts: (ghosts: ReadonlyMap<string, GhostBar> | undefined) => void;
}) {
  const path = `/plans/${encodeURIComponent(planId)}`;
  const [preview, setPreview] = useState<LevelingPreview>();
  const [message, setMessage] = useState<string>();
  const [evm, setEvm] = useState<Evm | string>();

  useEffect(() => {
    const abort = new AbortController();
    api
      .get<Evm>(`${path}/evm`, abort.signal)
      .then((body) => setEvm(body))
      .catch((error: unknown) => {
        if (!abort.signal.aborted)
          setEvm(
            isApiError(error) && error.status === 400
              ? 'Set a status date on the plan to measure earned value.'
              : 'Earned value is not available.',
          );
      });
    return () => abort.abort();
  }, [api, path, refreshKey]);

  const showPreview = async (): Promise<void> => {
    try {
      const body = await api.post<LevelingPreview>(`${path}/leveling/preview`, {});
      setPreview(body);
      setMessage(undefined);
      const origin = epochDayOf(planStart) ?? 0;
      const moved = new Set(body.moves.map((m) => m.activityId));
      onGhosts(
        new Map(
          body.activities
            .filter((a) => moved.has(a.id))
            .map((a) => {
              const startDay = (epochDayOf(a.start) ?? origin) - origin;
              const last = (epochDayOf(a.lastWorkDay) ?? origin) - origin;
              return [a.id, { startDay, endDay: Math.max(startDay, last + 1) }];
            }),
        ),
      );
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  const apply = async (): Promise<void> => {
    try {
      const body = await api.post<{ applied: number }>(`${path}/leveling/apply`, {});
      setMessage(`Leveling applied: ${body.applied} task start(s) set.`);
      setPreview(undefined);
      onGhosts(undefined);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="scheduling-panel">
      <div className="toolbar" role="toolbar" aria-label="Resource leveling">
        <button type="button" onClick={() => void showPreview()}>
          Preview leveling
        </button>
        {preview && !readOnly && (
          <button type="button" onClick={() => void apply()} disabled={preview.moves.length === 0}>
            Apply leveling
          </button>
        )}
        {preview && (
          <button
            type="button"
            onClick={() => {
              setPreview(undefined);
              onGhosts(undefined);
            }}
          >
            Discard preview
          </button>
        )}
      </div>
      {message && <p role="status">{message}</p>}
      {preview && (
        <div aria-label="Leveling preview" data-testid="leveling-preview">
          <p className="muted">
            Finish {preview.projectFinishBefore} → {preview.projectFinishAfter}
            {preview.overAllocationsLeft.length > 0
              ? ` · ${preview.overAllocationsLeft.length} over-allocated day(s) cannot be levelled`
              : ' · no over-allocation left'}
          </p>
          {preview.moves.length === 0 ? (
            <p>Nothing needs to move.</p>
          ) : (
            <ul>
              {preview.moves.map((m) => (
                <li key={m.activityId}>
                  {titles.get(m.activityId) ?? m.activityId}: {m.fromStart} → {m.toStart} (
                  {m.delayDays} working day(s)
                  {m.withinFloat ? ', within float' : ', beyond float'}
                  {m.cause === 'predecessor' ? ', follows its predecessor' : ''})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <h3>Earned value</h3>
      {typeof evm === 'string' || evm === undefined ? (
        <p className="muted">{evm ?? 'Loading…'}</p>
      ) : (
        <EvmChart evm={evm} />
      )}
    </div>
  );
}

function EvmChart({ evm }: { evm: Evm }) {
  const [width, height, left, bottom] = [520, 180, 56, 22];
  const max = Math.max(1, ...evm.weeks.map((w) => Math.max(w.pv, w.ev ?? 0, w.ac ?? 0)));
  const x = (i: number) =>
    left + (evm.weeks.length < 2 ? 0.5 : i / (evm.weeks.length - 1)) * (width - left - 10);
  const y = (v: number) => 8 + (1 - v / max) * (height - 8 - bottom);
  const line = (values: readonly number[]) =>
    values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const known = evm.weeks.filter((w) => w.ev !== null);
  const index = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  return (
    <figure className="evm" aria-label={`Earned value as of ${evm.statusDate}`}>
      <figcaption className="muted">
        As of {evm.statusDate}: PV {evm.pv.toLocaleString()}, EV {evm.ev.toLocaleString()}, AC{' '}
        {evm.ac.toLocaleString()} · SPI <strong>{index(evm.spi)}</strong> · CPI{' '}
        <strong>{index(evm.cpi)}</strong> · EAC {evm.eac.toLocaleString()} of BAC{' '}
        {evm.bac.toLocaleString()}
      </figcaption>
      <svg width={width} height={height} role="img" aria-label="S-curve of PV, EV and AC per week">
        <text x={left - 4} y={12} textAnchor="end" className="gantt-tick">
          {Math.round(max).toLocaleString()}
        </text>
        <polyline className="evm-pv" points={line(evm.weeks.map((w) => w.pv))} />
        {known.length > 0 && (
          <polyline className="evm-ev" points={line(known.map((w) => w.ev ?? 0))} />
        )}
        {known.length > 0 && (
          <polyline className="evm-ac" points={line(known.map((w) => w.ac ?? 0))} />
        )}
        {/* points too: with a single week reported a line has nothing to join */}
        {known.map((w, i) => (
          <g key={w.week}>
            <circle cx={x(i)} cy={y(w.ev ?? 0)} r={3} className="evm-ev-point" />
            <circle cx={x(i)} cy={y(w.ac ?? 0)} r={3} className="evm-ac-point" />
          </g>
        ))}
        {evm.weeks.length > 0 && (
          <text x={left} y={height - 6} className="gantt-tick">
            {evm.weeks[0].week} … {evm.weeks[evm.weeks.length - 1].week} · PV dashed, EV green, AC
            red
          </text>
        )}
      </svg>
    </figure>
  );
}
