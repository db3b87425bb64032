/**
 * Who the editor acts as: a bearer token (its `sub`/`name` claims name the user), or, on a
 * server started with AUTH=off, just a name sent as `x-user` / `?user=`. Kept in
 * sessionStorage so a reload stays signed in while a new tab asks again.
 */
export interface Session {
  readonly token?: string;
  /** AUTH=off only: the user name the server is asked to trust */
  readonly user?: string;
  readonly userId: string;
  readonly displayName: string;
}

const STORAGE_KEY = 'plan-editor.session';

export function sessionFrom(token: string, name: string): Session {
  const trimmedToken = token.trim();
  const trimmedName = name.trim();
  if (trimmedToken) {
    const claims = jwtClaims(trimmedToken);
    const userId = typeof claims.sub === 'string' ? claims.sub : 'unknown';
    const displayName = typeof claims.name === 'string' && claims.name ? claims.name : userId;
    return { token: trimmedToken, userId, displayName };
  }
  const user = trimmedName || 'anonymous';
  return { user, userId: user, displayName: user };
}

/** Claims are read for display only; the server verifies the signature. */
function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload)
    throw new Error('this does not look like a token (expected three dot-separated parts)');
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== 'object' || claims === null) throw new Error('not an object');
    return claims as Record<string, unknown>;
  } catch {
    throw new Error('the token payload could not be read');
  }
}

export function authHeaders(session: Session): Record<string, string> {
  if (session.token) return { authorization: `Bearer ${session.token}` };
  return session.user ? { 'x-user': session.user } : {};
}

/** Query parameters for the `/collab` websocket (browsers cannot set headers there). */
export function collabParams(session: Session): Record<string, string> {
  const who: Record<string, string> = session.token
    ? { token: session.token }
    : { user: session.user ?? 'anonymous' };
  return { ...who, ack: '1' };
}

export function loadSession(): Session | undefined {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return undefined;
  try {
    return JSON.parse(stored) as Session;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}
