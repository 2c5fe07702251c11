import { useState, type SubmitEvent } from 'react';
import { field, problemOf, signIn, type Problem, type Session } from '../api';
import { ProblemBox } from '../ui';

/** Client credentials at the portal's own token endpoint (the development issuer by default). */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: SubmitEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(undefined);
    try {
      onSignedIn(await signIn(field(form, 'clientId'), field(form, 'clientSecret')));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <h1>Revgate finance portal</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Client id
          <input name="clientId" autoComplete="username" required defaultValue="revgate-dev" />
        </label>
        <label>
          Client secret
          <input name="clientSecret" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        On the embedded default the development issuer knows <code>revgate-dev</code> (secret{' '}
        <code>revgate-dev-secret</code>, every scope) and <code>revgate-viewer</code> (
        <code>revgate-viewer-secret</code>, read only).
      </p>
      {problem && <ProblemBox problem={problem} />}
    </main>
  );
}
