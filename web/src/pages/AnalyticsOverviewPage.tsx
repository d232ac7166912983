import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import type { components } from '../api/generated/analytics-service';
import { useAuth } from '../auth/auth';
import { problemErrors } from '../components/problem';
import { realmRoles } from '../components/roles';
import { TopSessionsChart } from '../components/TopSessionsChart';
import { formatCount, formatDuration, formatInstant } from '../format';
import './pages.css';
import { useQueryUpdate } from './useQueryUpdate';

export type Aggregate = components['schemas']['Aggregate'];

export const PRESETS = [7, 30, 90] as const;
const DAY = 86_400_000;
const SPACE_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** The `[from, to)` of the last `days` days, ending now, as the API takes them (ISO-8601 instants). */
export function rangeOf(days: number, now: number = Date.now()): { from: string; to: string } {
  return { from: new Date(now - days * DAY).toISOString(), to: new Date(now).toISOString() };
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; aggregate: Aggregate };

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        <span className="figure-value">{value}</span>
      </dd>
    </div>
  );
}

/**
 * `/analytics`: the caller's ended sessions over the last 7, 30 or 90 days (`GET /api/me/analytics`), optionally in
 * one space; administrators (realm role admin) may switch to the whole platform (`GET /api/analytics/platform`,
 * optionally one host). Totals, the top sessions (each linking to its dashboard) and a chart of them over time.
 */
export function AnalyticsOverviewPage() {
  const api = useApi();
  const auth = useAuth();
  const [params, update] = useQueryUpdate();
  const admin = realmRoles(auth.user).includes('admin');
  const days = PRESETS.find((d) => String(d) === params.get('days')) ?? 30;
  const space = params.get('space') ?? '';
  const platform = admin && params.get('scope') === 'platform';
  const hostFilter = platform ? (params.get('host') ?? '') : '';
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [spaceInput, setSpaceInput] = useState(space);
  const [hostInput, setHostInput] = useState(hostFilter);
  const [filterErrors, setFilterErrors] = useState<Record<string, string>>({});
  const base = useId();
  const signedIn = auth.user !== null;

  useEffect(() => setSpaceInput(space), [space]);
  useEffect(() => setHostInput(hostFilter), [hostFilter]);

  useEffect(() => {
    if (!signedIn) {
      return;
    }
    let active = true;
    const r = rangeOf(days);
    setRange(r);
    setLoad({ state: 'loading' });
    const request = platform
      ? api.analytics.GET('/api/analytics/platform', {
          params: { query: { ...r, spaceId: space || undefined, hostId: hostFilter || undefined } },
        })
      : api.analytics.GET('/api/me/analytics', { params: { query: { ...r, spaceId: space || undefined } } });
    void request
      .then(({ data, error, response }) => {
        if (!active) {
          return;
        }
        if (data) {
          setLoad({ state: 'ready', aggregate: data });
          return;
        }
        const problem = problemErrors(error, response.status);
        setFilterErrors(problem.fields);
        setLoad({
          state: 'error',
          message: response.status === 403 ? 'Platform figures are for administrators.' : problem.message,
        });
      })
      .catch((e: unknown) => active && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [api, signedIn, days, space, platform, hostFilter, refresh]);

  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const s = spaceInput.trim();
    if (s && !SPACE_PATTERN.test(s)) {
      errors.spaceId = "A space is up to 100 letters, digits, '.', '_' or '-'.";
    }
    setFilterErrors(errors);
    if (Object.keys(errors).length === 0) {
      update({ space: s || null, host: platform ? hostInput.trim() || null : null });
    }
  };

  if (!signedIn) {
    return (
      <section aria-labelledby="analytics-title">
        <h1 id="analytics-title">Analytics</h1>
        <p>Analytics over time cover the sessions you hosted.</p>
        {auth.available ? (
          <p>Sign in (the button at the top of the page) to see them.</p>
        ) : (
          <p>Sign-in is not available on this deployment (it has no identity provider).</p>
        )}
      </section>
    );
  }

  const aggregate = load.state === 'ready' ? load.aggregate : null;
  const top = aggregate?.topSessions ?? [];
  return (
    <section aria-labelledby="analytics-title" className="dashboard">
      <h1 id="analytics-title">Analytics</h1>
      <div className="filters-block">
        <div role="group" aria-label="Date range" className="tabs">
          {PRESETS.map((d) => (
            <button
              key={d}
              type="button"
              className={d === days ? 'tab tab-current' : 'tab'}
              aria-pressed={d === days}
              onClick={() => update({ days: String(d) })}
            >
              Last {d} days
            </button>
          ))}
        </div>
        {admin && (
          <div role="group" aria-label="Whose sessions" className="tabs">
            <button
              type="button"
              className={!platform ? 'tab tab-current' : 'tab'}
              aria-pressed={!platform}
              onClick={() => update({ scope: null, host: null })}
            >
              My sessions
            </button>
            <button
              type="button"
              className={platform ? 'tab tab-current' : 'tab'}
              aria-pressed={platform}
              onClick={() => update({ scope: 'platform' })}
            >
              Whole platform
            </button>
          </div>
        )}
        <form className="filters" onSubmit={applyFilters} role="search" aria-label="Filter analytics" noValidate>
          <label htmlFor={`${base}-space`}>Space</label>
          <input
            id={`${base}-space`}
            value={spaceInput}
            placeholder="all spaces"
            onChange={(e) => setSpaceInput(e.target.value)}
            aria-invalid={filterErrors.spaceId ? true : undefined}
            aria-describedby={filterErrors.spaceId ? `${base}-space-error` : undefined}
          />
          {platform && (
            <>
              <label htmlFor={`${base}-host`}>Host</label>
              <input
                id={`${base}-host`}
                value={hostInput}
                placeholder="every host"
                onChange={(e) => setHostInput(e.target.value)}
                aria-invalid={filterErrors.hostId ? true : undefined}
                aria-describedby={filterErrors.hostId ? `${base}-host-error` : undefined}
              />
            </>
          )}
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => setRefresh((n) => n + 1)}>
            Refresh
          </button>
          {filterErrors.spaceId && (
            <p id={`${base}-space-error`} className="field-error">
              Space: {filterErrors.spaceId}
            </p>
          )}
          {filterErrors.hostId && (
            <p id={`${base}-host-error`} className="field-error">
              Host: {filterErrors.hostId}
            </p>
          )}
        </form>
      </div>
      <p className="meta" role="status" aria-live="polite">
        {load.state === 'loading' && 'Loading…'}
        {load.state === 'ready' &&
          range &&
          `${platform ? 'Every host' : 'Your sessions'}${space ? ` in ${space}` : ''}${hostFilter ? ` by ${hostFilter}` : ''}: ended sessions started ${formatInstant(aggregate?.from ?? range.from)} – ${formatInstant(aggregate?.to ?? range.to)}.`}
      </p>
      {load.state === 'error' && <p role="alert">The analytics could not be loaded: {load.message}</p>}
      {aggregate && (
        <>
          <dl className="figures">
            <Figure label="Sessions" value={formatCount(aggregate.sessions)} />
            <Figure label="Unique viewers" value={formatCount(aggregate.uniqueViewers)} />
            <Figure label="Views" value={formatCount(aggregate.views)} />
            <Figure label="Watch time" value={formatDuration(aggregate.watchTimeMillis)} />
            <Figure label="Average session length" value={formatDuration((aggregate.averageSessionSeconds ?? 0) * 1000)} />
            <Figure label="Peak concurrent viewers" value={formatCount(aggregate.peakConcurrent)} />
            <Figure label="Chat messages" value={formatCount(aggregate.chatMessages)} />
            <Figure label="Reactions" value={formatCount(aggregate.reactions)} />
          </dl>
          <section aria-labelledby={`${base}-top`}>
            <h2 id={`${base}-top`}>Top sessions</h2>
            {top.length === 0 ? (
              <p className="empty">No session ended in this range.</p>
            ) : (
              <>
                <TopSessionsChart sessions={top} />
                <div className="table-scroll">
                  <table>
                    <caption>The most watched sessions of the range (by unique viewers)</caption>
                    <thead>
                      <tr>
                        <th scope="col">Session</th>
                        <th scope="col">Started</th>
                        {platform && <th scope="col">Host</th>}
                        <th scope="col">Unique viewers</th>
                        <th scope="col">Views</th>
                        <th scope="col">Watch time</th>
                        <th scope="col">Peak</th>
                      </tr>
                    </thead>
                    <tbody>
                      {top.map((s) => (
                        <tr key={s.sessionId}>
                          <th scope="row">
                            <Link to={`/sessions/${encodeURIComponent(s.sessionId ?? '')}/analytics`}>{s.title || s.sessionId}</Link>
                          </th>
                          <td>{formatInstant(s.startedAt)}</td>
                          {platform && <td>{s.hostId}</td>}
                          <td>{formatCount(s.uniqueViewers)}</td>
                          <td>{formatCount(s.views)}</td>
                          <td>{formatDuration(s.watchTimeMillis)}</td>
                          <td>{formatCount(s.peakConcurrent)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        </>
      )}
    </section>
  );
}
