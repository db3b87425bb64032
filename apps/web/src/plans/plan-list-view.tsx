/** The plans the signed-in user has a role on (GET /plans), and a form for a new one (POST /plans). */
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
