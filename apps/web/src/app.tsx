/** The shell: sign in first, then the plan list or one plan, with the signed-in user on top. */
import { useMemo, useState } from 'react';
import { createApi } from './api/api-client';
import { PlanListView } from './plans/plan-list-view';
import { PlanView } from './plan/plan-view';
import { PortfolioView } from './portfolio/portfolio-view';
import { navigate, PORTFOLIO_PATH, useRoute } from './routes';
import { loadSession, saveSession, type Session } from './session/session';
import { SignInView } from './session/sign-in-view';

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const route = useRoute();
  const api = useMemo(() => (session ? createApi(session) : undefined), [session]);

  const signIn = (next: Session | undefined): void => {
    saveSession(next);
    setSession(next);
  };

  return (
    <div className="app">
      <header className="app-bar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          <span aria-hidden="true" className="brand-mark" />
          Plans
        </a>
        {session && (
          <nav className="app-nav">
            <a
              href="/"
              aria-current={route.name === 'plans' ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate('/');
              }}
            >
              Plans
            </a>
            <a
              href={PORTFOLIO_PATH}
              aria-current={route.name === 'portfolio' ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(PORTFOLIO_PATH);
              }}
            >
              Portfolio
            </a>
          </nav>
        )}
        {session && (
          <div className="who">
            <span>
              Signed in as <strong>{session.displayName}</strong>
            </span>
            <button type="button" className="link-button" onClick={() => signIn(undefined)}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main className="app-main">
        {!session || !api ? (
          <SignInView onSignedIn={signIn} />
        ) : route.name === 'portfolio' ? (
          <PortfolioView api={api} session={session} />
        ) : route.name === 'plan' ? (
          <PlanView key={route.planId} planId={route.planId} session={session} api={api} />
        ) : (
          <PlanListView api={api} />
        )}
      </main>
    </div>
  );
}
