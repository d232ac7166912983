import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { problemMessage, type SessionResponse, type SessionStatus } from '../api/client';
import { useAuth } from '../auth/auth';
import { formatInstant } from '../format';
import { useQueryUpdate } from './useQueryUpdate';

export const TABS: { key: string; label: string; status: SessionStatus; empty: string }[] = [
  { key: 'live', label: 'Live now', status: 'ACTIVE', empty: 'No session is live right now.' },
  { key: 'upcoming', label: 'Upcoming', status: 'SCHEDULED', empty: 'No session is scheduled.' },
  { key: 'past', label: 'Past', status: 'ENDED', empty: 'No session has ended yet.' },
];

type List =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; items: SessionResponse[]; nextCursor: string | null };

function SessionCard({ session, mine }: { session: SessionResponse; mine: boolean }) {
  const when =
    session.status === 'ACTIVE'
      ? `Live since ${formatInstant(session.startedAt)}`
      : session.status === 'SCHEDULED'
        ? session.scheduledAt
          ? `Starts ${formatInstant(session.scheduledAt)}`
          : 'Not scheduled yet'
        : `Ended ${formatInstant(session.endedAt)}`;
  const editable = session.status === 'SCHEDULED' || session.status === 'ACTIVE';
  return (
    <li className="card">
      <h3>
        <Link to={`/s/${encodeURIComponent(session.slug ?? session.id ?? '')}`}>{session.title}</Link>
      </h3>
      <p className="meta">
        <span className="badge">{session.kind === 'VIDEO' ? 'Video' : 'Audio'}</span>{' '}
        {session.visibility !== 'PUBLIC' && <span className="badge">{session.visibility?.toLowerCase()}</span>} {when}
        {session.spaceId && (
          <>
            {' · '}
            <Link to={`/?space=${encodeURIComponent(session.spaceId)}`}>
              {session.spaceId}
            </Link>
          </>
        )}
      </p>
      {session.description && <p>{session.description}</p>}
      {mine && (
        <p className="card-actions">
          {editable && (
            <>
              <Link to={`/sessions/${session.id}/edit`} aria-label={`Edit ${session.title}`}>
                Edit
              </Link>{' '}
            </>
          )}
          <Link to={`/sessions/${session.id}/analytics`}>Analytics for {session.title}</Link>
        </p>
      )}
    </li>
  );
}

/** The spaces of the sessions shown, as links that browse one space (session-service has no list of spaces). */
export function spacesOf(sessions: SessionResponse[]): string[] {
  return [...new Set(sessions.map((s) => s.spaceId).filter((s): s is string => !!s))].sort((a, b) => a.localeCompare(b));
}

/**
 * `/`: sessions live now, upcoming and past (session-service `GET /api/sessions?status=`), optionally in one space
 * or only the caller's own. Anonymous visitors see PUBLIC sessions; a signed-in user also their own.
 */
export function DiscoverPage() {
  const api = useApi();
  const auth = useAuth();
  const [params, update] = useQueryUpdate();
  const tab = TABS.find((t) => t.key === params.get('show')) ?? TABS[0];
  const space = params.get('space') ?? '';
  const mine = params.get('mine') === '1' && auth.user !== null;
  const [list, setList] = useState<List>({ state: 'loading' });
  // the page to load: a cursor belongs to the filters it was given for, and any change of them starts over
  const filters = `${tab.key}|${space}|${mine}`;
  const [page, setPage] = useState<{ filters: string; cursor: string | null }>({ filters, cursor: null });
  const cursor = page.filters === filters ? page.cursor : null;
  const setCursor = (next: string | null) => setPage({ filters, cursor: next });
  const [spaceInput, setSpaceInput] = useState(space);
  const spaceId = useId();

  useEffect(() => setSpaceInput(space), [space]);

  useEffect(() => {
    let active = true;
    if (cursor === null) {
      setList({ state: 'loading' });
    }
    void api.sessions
      .GET('/api/sessions', {
        params: {
          query: {
            status: tab.status,
            space: space || undefined,
            host: mine ? 'me' : undefined,
            cursor: cursor ?? undefined,
            limit: 20,
          },
        },
      })
      .then(({ data, error, response }) => {
        if (!active) {
          return;
        }
        if (!data) {
          setList({ state: 'error', message: problemMessage(error, response) });
          return;
        }
        setList((current) => ({
          state: 'ready',
          items: [...(cursor !== null && current.state === 'ready' ? current.items : []), ...(data.items ?? [])],
          nextCursor: data.nextCursor ?? null,
        }));
      })
      .catch((e: unknown) => active && setList({ state: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [api, tab.status, space, mine, cursor]);

  const onSpace = (e: FormEvent) => {
    e.preventDefault();
    update({ space: spaceInput.trim() || null });
  };

  return (
    <section aria-labelledby="discover-title">
      <h1 id="discover-title">Discover</h1>
      <nav aria-label="Which sessions" className="tabs">
        {TABS.map((t) => (
          <Link
            key={t.key}
            to={`?${new URLSearchParams({ ...Object.fromEntries(params), show: t.key }).toString()}`}
            aria-current={t.key === tab.key ? 'page' : undefined}
            className={t.key === tab.key ? 'tab tab-current' : 'tab'}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <form className="filters" onSubmit={onSpace} role="search" aria-label="Filter sessions">
        <label htmlFor={spaceId}>Space</label>
        <input id={spaceId} value={spaceInput} onChange={(e) => setSpaceInput(e.target.value)} placeholder="any space" />
        <button type="submit">Filter</button>
        {auth.user && (
          <label className="check">
            <input type="checkbox" checked={mine} onChange={(e) => update({ mine: e.target.checked ? '1' : null })} />
            Only my sessions
          </label>
        )}
      </form>
      {space ? (
        <p className="space-current">
          Space <strong>{space}</strong> · <Link to={`?${new URLSearchParams({ show: tab.key }).toString()}`}>All spaces</Link>
        </p>
      ) : (
        list.state === 'ready' &&
        spacesOf(list.items).length > 0 && (
          <nav aria-label="Spaces" className="spaces">
            <span className="muted">Browse by space:</span>{' '}
            {spacesOf(list.items).map((sp) => (
              <Link key={sp} className="tab" to={`?${new URLSearchParams({ show: tab.key, space: sp }).toString()}`}>
                {sp}
              </Link>
            ))}
          </nav>
        )
      )}
      <h2>{tab.label}</h2>
      {list.state === 'loading' && (
        <p role="status" aria-live="polite">
          Loading sessions…
        </p>
      )}
      {list.state === 'error' && <p role="alert">The sessions could not be loaded: {list.message}</p>}
      {list.state === 'ready' &&
        (list.items.length === 0 ? (
          <p className="empty">{tab.empty}</p>
        ) : (
          <ul className="cards">
            {list.items.map((s) => (
              <SessionCard key={s.id} session={s} mine={auth.userId !== null && s.hostId === auth.userId} />
            ))}
          </ul>
        ))}
      {list.state === 'ready' && list.nextCursor && (
        <button type="button" onClick={() => setCursor(list.nextCursor)}>
          Show more
        </button>
      )}
    </section>
  );
}
