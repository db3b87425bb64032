/**
 * The plans the signed-in user has a role on (GET /plans), a form for a new one (POST /plans),
 * and an import of a plan file another tool wrote (POST /plans/import) with its report.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Api } from '../api/api-client';
import { navigate, planPath } from '../routes';

export interface PlanListItem {
  readonly planId: string;
  readonly title: string;
  readonly role: string;
  readonly createdAt: string;
  readonly archived: boolean;
}

export function PlanListView({ api }: { api: Api }) {
  const [plans, setPlans] = useState<readonly PlanListItem[]>();
  const [archived, setArchived] = useState<readonly PlanListItem[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const abort = new AbortController();
    // archived plans are read-only and listed apart, after the ones people work on
    Promise.all([
      api.get<PlanListItem[]>('/plans', abort.signal),
      api.get<PlanListItem[]>('/plans?archived=true', abort.signal),
    ])
      .then(([active, old]) => {
        setPlans(active);
        setArchived(old);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => abort.abort();
  }, [api]);

  return (
    <div className="plan-list-page">
      <section className="card" aria-labelledby="plans-title">
        <h1 id="plans-title">Your plans</h1>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!plans && !error && <p aria-busy="true">Loading plans…</p>}
        {plans && plans.length === 0 && <p>No plans yet. Create the first one.</p>}
        {plans && plans.length > 0 && <PlanTable plans={plans} />}
      </section>
      {archived.length > 0 && (
        <section className="card" aria-labelledby="archived-title">
          <h2 id="archived-title">Archived plans</h2>
          <p>Read-only until an owner restores them.</p>
          <PlanTable plans={archived} />
        </section>
      )}
      <NewPlanForm api={api} />
      <ImportPlanForm api={api} />
    </div>
  );
}

function PlanTable({ plans }: { plans: readonly PlanListItem[] }) {
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Your role</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((plan) => (
          <tr key={plan.planId}>
            <td>
              <a
                href={planPath(plan.planId)}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(planPath(plan.planId));
                }}
              >
                {plan.title || '(untitled)'}
              </a>
              {plan.archived && <span className="badge">archived</span>}
            </td>
            <td>{plan.role}</td>
            <td>{plan.createdAt ? new Date(plan.createdAt).toLocaleString() : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewPlanForm({ api }: { api: Api }) {
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<{ id: string }>('/plans', {
        title: title.trim(),
        ...(start ? { start } : {}),
      });
      navigate(planPath(created.id));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-plan-title">
      <h2 id="new-plan-title">New plan</h2>
      <form onSubmit={submit} className="inline-form">
        <label>
          Title
          <input required value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Start
          <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy || !title.trim()}>
          Create plan
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

interface ImportNote {
  readonly kind: string;
  readonly at: string;
  readonly field: string;
  readonly message: string;
}

interface ImportAnswer {
  readonly id: string;
  readonly title: string;
  readonly report: {
    readonly format: string;
    readonly counts: Readonly<Record<string, number>>;
    readonly notes: readonly ImportNote[];
  };
}

function ImportPlanForm({ api }: { api: Api }) {
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<ImportAnswer>();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setImported(undefined);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      setImported(await api.upload<ImportAnswer>('/plans/import', form));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const counts = imported
    ? Object.entries(imported.report.counts)
        .filter(([, n]) => n > 0)
        .map(([name, n]) => `${n} ${name}`)
        .join(', ')
    : '';
  return (
    <section className="card" aria-labelledby="import-plan-title">
      <h2 id="import-plan-title">Import a plan</h2>
      <form onSubmit={submit} className="inline-form">
        <label>
          MS Project XML, CSV or JSON file
          <input
            type="file"
            accept=".xml,.csv,.json,application/xml,text/csv,application/json"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !file}>
          Import
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {imported && (
        <div role="status">
          <p>
            Imported <strong>{imported.title}</strong> from {imported.report.format}: {counts}.{' '}
            <a
              href={planPath(imported.id)}
              onClick={(e) => {
                e.preventDefault();
                navigate(planPath(imported.id));
              }}
            >
              Open the imported plan
            </a>
          </p>
          {imported.report.notes.length > 0 && (
            <details>
              <summary>
                {imported.report.notes.length} things the plan does not hold as the file had them
              </summary>
              <ul>
                {imported.report.notes.map((note, i) => (
                  <li key={i}>
                    {note.kind} — {note.at}, {note.field}: {note.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
