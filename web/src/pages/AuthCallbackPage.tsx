import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/auth';

/** `/auth/callback`: Keycloak redirects here with the authorization code; the PKCE exchange happens here. */
export function AuthCallbackPage() {
  const { completeSignIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // the code can be exchanged once: React's development double effects must not try twice
    if (started.current) {
      return;
    }
    started.current = true;
    completeSignIn()
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [completeSignIn, navigate]);

  return error ? (
    <section role="alert" aria-labelledby="signin-failed">
      <h1 id="signin-failed">Sign-in failed</h1>
      <p>{error}</p>
    </section>
  ) : (
    <p role="status">Signing you in…</p>
  );
}
