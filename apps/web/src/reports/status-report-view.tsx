/**
 * The status report a stakeholder would receive (`/plans/:id/reports/status`): progress vs
 * baseline, milestones, critical-path changes, risks, budget burn, KPIs and open feedback over
 * a period, for everyone or one stakeholder. The server renders it as self-contained HTML, shown
 * here in a sandboxed frame and offered for download with its Markdown twin.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PlanJson } from '@lib/plan-domain';
import type { Api } from '../api/api-client';

const DAY_MS = 86_400_000;
const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

interface ReportQuery {
  readonly since: string;
  readonly audience: string;
}

export function StatusReportView({
  api,
  planId,
  plan,
}: {
  api: Api;
  planId: string;
  plan: PlanJson;
}) {
  const id = useId();
  const [draft, setDraft] = useState<ReportQuery>(() => ({
    since: isoDay(Date.now() - 7 * DAY_MS),
    audience: '',
  }));
  const [query, setQuery] = useState(draft);
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);

  const path = (format: 'html' | 'md'): string => {
    const params = new URLSearchParams({ format, since: query.since });
    if (query.audience) params.set('audience', query.audience);
    return `/plans/${encodeURIComponent(planId)}/reports/status?${params}`;
  };

  useEffect(() => {
    const abort = new AbortController();
    setHtml(undefined);
    api
      .get<string>(path('html'), abort.signal)
      .then((body) => {
        setHtml(body);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
    // `path` is derived from the query
  }, [api, planId, query, generation]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setQuery(draft);
    setGeneration((n) => n + 1);
  };

  const download = async (format: 'html' | 'md'): Promise<void> => {
    try {
      const body = format === 'html' && html ? html : await api.get<string>(path(format));
      const url = URL.createObjectURL(
        new Blob([body], { type: format === 'html' ? 'text/html' : 'text/markdown' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `status-report-${query.since}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="card report" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>Status report</h2>
        <div className="report-actions">
          <button type="button" disabled={!html} onClick={() => void download('html')}>
            Download HTML
          </button>
          <button type="button" onClick={() => void download('md')}>
            Download Markdown
          </button>
        </div>
      </div>
      <form className="report-query" onSubmit={submit}>
        <label htmlFor={`${id}-since`}>Since</label>
        <input
          id={`${id}-since`}
          type="date"
          required
          value={draft.since}
          onChange={(e) => setDraft({ ...draft, since: e.target.value })}
        />
        <label htmlFor={`${id}-audience`}>For</label>
        <select
          id={`${id}-audience`}
          value={draft.audience}
          onChange={(e) => setDraft({ ...draft, audience: e.target.value })}
        >
          <option value="">Everyone</option>
          {plan.stakeholders.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          Generate
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {html === undefined ? (
        !error && <p aria-busy="true">Building the report…</p>
      ) : (
        // no scripts, no same-origin access: the report is a document, not an app
        <iframe className="report-frame" title="Status report" sandbox="" srcDoc={html} />
      )}
    </section>
  );
}
