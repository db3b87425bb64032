/**
 * The editor's two places: the plan list (`/`) and one plan (`/p/:planId`). UI paths live
 * under `/p/` so they never shadow the server's own routes (`/plans/:id` is the REST API).
 */
import { useEffect, useState } from 'react';

export type Route = { readonly name: 'plans' } | { readonly name: 'plan'; readonly planId: string };

export function planPath(planId: string): string {
  return `/p/${encodeURIComponent(planId)}`;
}

export function routeOf(pathname: string): Route {
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
