import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, login } from '../api-client.js';

/** The text of a failed sign-in: the ProblemDetails `detail` ("wrong username or password"). */
const failure = (e: unknown): string => (e instanceof ApiError ? e.detail : e instanceof Error ? e.message : String(e));

/**
 * Shown when the API answers 401: posts the credentials to `/admin/v1/tokens`, keeps the
 * token, then `onDone` shows the page the user was on.
 */
export function LoginForm({ onDone }: { readonly onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      onDone();
    } catch (err) {
      setError(failure(err));
      setBusy(false);
    }
  };
  return (
    <form className="card login" onSubmit={(e) => void submit(e)} data-testid="login-form">
      <h2>Sign in to Rondo</h2>
      <label>User <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required data-testid="login-username" /></label>
      <label>Password <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" /></label>
      <button type="submit" disabled={busy} data-testid="login-submit">{busy ? 'Signing in…' : 'Sign in'}</button>
      {error !== null && <div className="error" role="alert" data-testid="login-error">{error}</div>}
    </form>
  );
}
