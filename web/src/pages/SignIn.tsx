import { useEffect, useState, type FormEvent } from 'react';
import { answer, apiClient, type Problem } from '../api/client';
import { ProblemNotice } from '../components/ProblemNotice';
import { asProblem } from '../load';
import { saveSession, type Session } from '../session';

/**
 * Sign in with an API key, or with an access token from the OpenID provider when single
 * sign-on is configured: both go as "Authorization: Bearer", kept in this tab only.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [credential, setCredential] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ issuer: string; audience: string } | null>(null);
  useEffect(() => {
    // Anyone may ask how to sign in; without an answer, keys are still offered.
    void answer(apiClient().GET('/auth/sign-in')).then(
      (options) => setSso(options.oidc ?? null),
      () => setSso(null),
    );
  }, []);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const me = await answer(apiClient(credential.trim()).GET('/me'));
      const session = { credential: credential.trim(), principal: me.id, roles: me.roles };
      saveSession(session);
      onSignedIn(session);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>change-ledger console</h1>
      <p>
        For incident responders, approvers and auditors. Everything here goes through the
        service&apos;s API with your credential, under the same rules.
      </p>
      <form onSubmit={(event) => void signIn(event)}>
        <label htmlFor="credential">API key or access token</label>
        <input
          id="credential"
          type="password"
          autoComplete="off"
          value={credential}
          onChange={(event) => setCredential(event.target.value)}
          required
        />
        <button type="submit" disabled={busy || credential.trim() === ''}>
          Sign in
        </button>
      </form>
      <ProblemNotice problem={problem} />
      {sso && (
        <p className="hint" role="note">
          Single sign-on is on: sign in at <a href={sso.issuer}>{sso.issuer}</a> and paste the
          access token it issues for <code>{sso.audience}</code>.
        </p>
      )}
      <p className="hint">
        Kept in this browser tab only (session storage); closing the tab signs you out. With single
        sign-on configured, paste an access token from your OpenID provider. Evaluation set-ups
        accept the README&apos;s demo keys, such as <code>bob-demo-key</code> (approver) or{' '}
        <code>audrey-demo-key</code> (auditor).
      </p>
    </main>
  );
}
