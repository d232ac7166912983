import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { problemMessage, type SessionStats } from '../api/client';
import { useAuth } from '../auth/auth';
import { AnalyticsDashboard } from '../components/AnalyticsDashboard';
import { followEventStream, StreamRefused } from '../sse/sse';

type Load =
  | { state: 'loading' }
  | { state: 'error'; status: number; message: string }
  | { state: 'ready'; stats: SessionStats };

type Updates = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Keeps the newest statistics: a final version (revision >= 1) is never replaced by an older one. */
export function newer(current: SessionStats | null, next: SessionStats): SessionStats {
  if (current && (next.revision ?? 0) < (current.revision ?? 0)) {
    return current;
  }
  return next;
}

/** `/sessions/:id/analytics`: the host's dashboard, loaded once and then kept current from the SSE stream. */
export function SessionAnalyticsPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const auth = useAuth();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [updates, setUpdates] = useState<Updates>('connecting');
  const signedIn = auth.user !== null;

  useEffect(() => {
    if (!signedIn) {
      return;
    }
    let stop = () => {};
    let active = true;
    setLoad({ state: 'loading' });
    void api.analytics
      .GET('/api/sessions/{id}/analytics', { params: { path: { id } } })
      .then(({ data, error, response }) => {
        if (!active) {
          return;
        }
        if (!data) {
          setLoad({ state: 'error', status: response.status, message: problemMessage(error, response) });
          return;
        }
        setLoad({ state: 'ready', stats: data });
        if (!data.live) {
          setUpdates('stopped');
          return;
        }
        setUpdates('connecting');
        stop = followEventStream(`/api/sessions/${encodeURIComponent(id)}/analytics/events`, {
          token: auth.accessToken,
          onOpen: () => setUpdates('live'),
          onEvent: (event) => {
            let next: SessionStats;
            try {
              next = JSON.parse(event.data) as SessionStats;
            } catch {
              return;
            }
            setLoad((current) =>
              current.state === 'ready' ? { state: 'ready', stats: newer(current.stats, next) } : { state: 'ready', stats: next },
            );
            if (!next.live) {
              setUpdates('stopped');
              stop();
            }
          },
          onError: (error) => setUpdates(error instanceof StreamRefused ? 'stopped' : 'reconnecting'),
        });
      })
      .catch((e: unknown) => {
        if (active) {
          setLoad({ state: 'error', status: 0, message: e instanceof Error ? e.message : String(e) });
        }
      });
    return () => {
      active = false;
      stop();
    };
  }, [api, auth.accessToken, id, signedIn]);

  if (!signedIn) {
    return (
      <section aria-labelledby="analytics-signin">
        <h1 id="analytics-signin">Session analytics</h1>
        <p>A session's analytics are for its host, its cohosts and administrators.</p>
        {auth.available ? (
          <button type="button" onClick={() => void auth.signIn()}>
            Sign in to see them
          </button>
        ) : (
          <p>Sign-in is not available on this deployment (it has no identity provider).</p>
        )}
      </section>
    );
  }
  if (load.state === 'loading') {
    return (
      <p role="status" aria-live="polite">
        Loading the session's analytics…
      </p>
    );
  }
  if (load.state === 'error') {
    return (
      <section aria-labelledby="analytics-error" role="alert">
        <h1 id="analytics-error">Analytics unavailable</h1>
        <p>
          {load.status === 404
            ? 'No analytics for this session: it does not exist, or you are not its host, a cohost or an administrator.'
            : `The analytics could not be loaded: ${load.message}`}
        </p>
      </section>
    );
  }
  return (
    <>
      <p className="updates" role="status" aria-live="polite">
        {updates === 'live' && 'Live: updating as viewers come and go.'}
        {updates === 'connecting' && 'Connecting to live updates…'}
        {updates === 'reconnecting' && 'Live updates interrupted; reconnecting…'}
        {updates === 'stopped' && (load.stats.live ? 'Live updates stopped.' : 'The session has ended: these are its statistics.')}
      </p>
      <AnalyticsDashboard stats={load.stats} />
    </>
  );
}
