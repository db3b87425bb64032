/**
 * The editor's places: the plan list (`/`), the portfolio (`/portfolio-view`) and one plan
 * (`/p/:planId`). UI paths never shadow the server's own routes (`/plans/:id` and
 * `/portfolio` are the REST API).
 */
import { useEffect, useState } from 'react';

export type Route =
  | { readonly name: 'plans' }
  | { readonly name: 'portfolio' }
  | { readonly name: 'plan'; readonly planId: string };

export const PORTFOLIO_PATH = '/portfolio-view';

export function planPath(planId: string): string {
  return `/p/${encodeURIComponent(planId)}`;
}

export function routeOf(pathname: string): Route {
  if (pathname.replace(/\/$/, '') === PORTFOLIO_PATH) return { name: 'portfolio' };
  const match = /^\/p\/([^/]+)\/?$/.exec(pathname);
  return match ? { name: 'plan', planId: decodeURIComponent(match[1]) } : { name: 'plans' };
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(routeOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return route;
}
