/**
 * The sign-in step: paste a token (minted with `npm run cli -- token --sub alice --name Alice`),
 * or on a server started with AUTH=off, give a name. The credentials are tried on GET /plans
 * before they are kept, so a wrong token is reported here rather than on every later view.
 */
import { useId, useState, type FormEvent } from 'react';
import { createApi, isApiError } from '../api/api-client';
import { sessionFrom, type Session } from './session';

export function SignInView({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const tokenHelp = useId();
  const nameHelp = useId();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const session = sessionFrom(token, name);
      await createApi(session).get('/plans');
      onSignedIn(session);
    } catch (e) {
      setError(
        isApiError(e) && e.status === 401
          ? session401Message(token)
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Access token</label>
        <textarea
          id="token"
          name="token"
          rows={3}
          value={token}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={tokenHelp}
          onChange={(e) => setToken(e.target.value)}
        />
        <p id={tokenHelp} className="hint">
          Ask an operator, or mint one: <code>npm run cli -- token --sub alice --name Alice</code>
        </p>
        <label htmlFor="user-name">Name (servers running with AUTH=off only)</label>
        <input
          id="user-name"
          name="user"
          value={name}
          autoComplete="username"
          aria-describedby={nameHelp}
          onChange={(e) => setName(e.target.value)}
        />
        <p id={nameHelp} className="hint">
          Used instead of a token when the server does not check tokens.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}

function session401Message(token: string): string {
  return token.trim()
    ? 'The server refused this token: it is invalid, expired or signed with another secret.'
    : 'This server needs a token (it is not running with AUTH=off).';
}
