/**
 * The portfolio: every plan the signed-in user can read, one row each (GET /portfolio), kept
 * live by the change feed's read-model notices for all the user's plans — a notice refetches
 * the portfolio, so a slip shows up while the page is open.
 */
import { useEffect, useState } from 'react';
import { connectFeed } from '@lib/feed/client';
import type { Api } from '../api/api-client';
import { navigate, planPath } from '../routes';
import type { Session } from '../session/session';

/** one line of GET /portfolio (libs/projections/src/portfolio/portfolio.ts on the server) */
export interface PortfolioPlan {
  readonly planId: string;
  readonly title: string;
  readonly archived: boolean;
  readonly role: string;
  readonly finish: {
    readonly forecast: string | null;
    readonly baseline: string | null;
    readonly deltaDays: number | null;
  };
  readonly criticalPathSlipDays: number | null;
  readonly slipping: boolean;
  readonly percentComplete: number | null;
  readonly openRisks: {
    readonly critical: number;
    readonly high: number;
    readonly top: ReadonlyArray<{ readonly title: string | null }>;
  };
  readonly budget: {
    readonly currency: string;
    readonly budget: number;
    readonly usedPercent: number | null;
    readonly overBudget: boolean;
  } | null;
  readonly nextMilestone: {
    readonly title: string;
    readonly date: string;
    readonly lateByDays: number;
  } | null;
  readonly spi: number | null;
  readonly cpi: number | null;
}

interface Portfolio {
  readonly today: string;
  readonly plans: readonly PortfolioPlan[];
}

/** a burst of notices (one edit touches timeline, risks and summary) costs one refetch */
const REFETCH_DEBOUNCE_MS = 250;

export function PortfolioView({ api, session }: { api: Api; session: Session }) {
  const [portfolio, setPortfolio] = useState<Portfolio>();
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (): void => {
      api
        .get<Portfolio>('/portfolio', abort.signal)
        .then((next) => {
          setPortfolio(next);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
        });
    };
    load();
    const feed = connectFeed(location.origin, {
      token: session.token,
      user: session.user,
      plans: '*',
      // notices only: no change is replayed, so where the subscription starts does not matter
      kinds: ['timeline.changed', 'risks.changed', 'summary.changed'],
      socketOptions: { transports: ['websocket'] },
      onChange: () => undefined,
      onSubscribed: (ack) => {
        setLive(ack.ok);
        // anything that changed between the first read and the subscription
        if (ack.ok) load();
      },
      onNotice: () => {
        clearTimeout(timer);
        timer = setTimeout(load, REFETCH_DEBOUNCE_MS);
      },
    });
    return () => {
      abort.abort();
      clearTimeout(timer);
      feed.close();
    };
  }, [api, session]);

  const slipping = portfolio?.plans.filter((p) => p.slipping).length ?? 0;
  return (
    <div className="portfolio-page">
      <section className="card" aria-labelledby="portfolio-title">
        <div className="portfolio-heading">
          <h1 id="portfolio-title">Portfolio</h1>
          <span className={`live-dot ${live ? 'on' : ''}`} data-testid="portfolio-live">
            {live ? 'live' : 'connecting…'}
          </span>
        </div>
        {portfolio && (
          <p className="portfolio-summary">
            {portfolio.plans.length} plans
            {slipping > 0 ? (
              <>
                {' · '}
                <strong className="slip-text">{slipping} slipping</strong>
              </>
            ) : (
              ' · all on baseline'
            )}
            {` · as of ${portfolio.today}`}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!portfolio && !error && <p aria-busy="true">Loading portfolio…</p>}
        {portfolio && portfolio.plans.length > 0 && (
          <table className="data-table portfolio-table">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Finish (forecast / baseline)</th>
                <th scope="col">Critical path slip</th>
                <th scope="col">Open risks</th>
                <th scope="col">Budget used</th>
                <th scope="col">Next milestone</th>
                <th scope="col">SPI / CPI</th>
              </tr>
            </thead>
            <tbody>
              {portfolio.plans.map((plan) => (
                <PortfolioRow key={plan.planId} plan={plan} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function PortfolioRow({ plan }: { plan: PortfolioPlan }) {
  const delta = plan.finish.deltaDays;
  return (
    <tr className={plan.slipping ? 'slipping' : ''} data-plan-id={plan.planId}>
      <th scope="row">
        <a
          href={planPath(plan.planId)}
          onClick={(e) => {
            e.preventDefault();
            navigate(planPath(plan.planId));
          }}
        >
          {plan.title || '(untitled)'}
        </a>
        {plan.slipping && <span className="badge slip">slipping</span>}
        {plan.archived && <span className="badge">archived</span>}
        <div className="muted">
          {plan.role}
          {plan.percentComplete !== null ? ` · ${Math.round(plan.percentComplete)}% done` : ''}
        </div>
      </th>
      <td>
        {plan.finish.forecast ?? '—'}
        {' / '}
        {plan.finish.baseline ?? 'no baseline'}
        {delta !== null && delta !== 0 && (
          <div className={delta > 0 ? 'slip-text' : 'ahead-text'}>
            {delta > 0 ? `+${delta}` : delta} days
          </div>
        )}
      </td>
      <td className={plan.criticalPathSlipDays ? 'slip-text' : ''}>
        {plan.criticalPathSlipDays === null
          ? '—'
          : plan.criticalPathSlipDays > 0
            ? `+${plan.criticalPathSlipDays} days`
            : 'on baseline'}
      </td>
      <td>
        <span className={plan.openRisks.critical > 0 ? 'risk-critical' : ''}>
          {plan.openRisks.critical} critical
        </span>
        {' · '}
        <span className={plan.openRisks.high > 0 ? 'risk-high' : ''}>
          {plan.openRisks.high} high
        </span>
        {plan.openRisks.top[0] && <div className="muted">{plan.openRisks.top[0].title}</div>}
      </td>
      <td className={plan.budget?.overBudget ? 'slip-text' : ''}>
        {plan.budget?.usedPercent != null
          ? `${plan.budget.usedPercent}% of ${plan.budget.budget.toLocaleString()} ${plan.budget.currency}`
          : '—'}
      </td>
      <td>
        {plan.nextMilestone ? (
          <>
            {plan.nextMilestone.title}
            <div className={plan.nextMilestone.lateByDays > 0 ? 'slip-text' : 'muted'}>
              {plan.nextMilestone.date}
              {plan.nextMilestone.lateByDays > 0 ? ` (+${plan.nextMilestone.lateByDays} d)` : ''}
            </div>
          </>
        ) : (
          '—'
        )}
      </td>
      <td className="muted" title="earned value is not tracked yet">
        {plan.spi ?? '—'} / {plan.cpi ?? '—'}
      </td>
    </tr>
  );
}
