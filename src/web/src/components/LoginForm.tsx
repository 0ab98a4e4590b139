import { useState } from 'react';
import type { FormEvent } from 'react';
import { login } from '../api-client.js';
import { ErrorBox } from './ErrorBox.js';

/** Shown when the API answers 401: posts to `/admin/v1/tokens` and keeps the token. */
export function LoginForm({ onDone }: { readonly onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card login" onSubmit={(e) => void submit(e)} data-testid="login-form">
      <h2>Sign in to Rondo</h2>
      <label>User <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required /></label>
      <label>Password <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
      <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      <ErrorBox error={error} />
    </form>
  );
}
