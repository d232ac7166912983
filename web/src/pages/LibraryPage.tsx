import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { useAuth } from '../auth/auth';
import { CopyField } from '../components/CopyField';
import type { Episode } from '../components/EpisodeOwnerTools';
import { hostFeedUrl, parseFeed, spaceFeedUrl, type Feed } from '../components/feed';
import { problemErrors } from '../components/problem';
import { formatDuration, formatInstant } from '../format';
import './pages.css';

type Load<T> = { state: 'idle' } | { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The caller's episodes (`GET /api/me/episodes`, drafts included) with publish/unpublish. */
function MyEpisodes() {
  const api = useApi();
  const auth = useAuth();
  const [list, setList] = useState<Load<Episode[]>>({ state: 'loading' });
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    void api.recording
      .GET('/api/me/episodes')
      .then(({ data, error, response }) => {
        if (active) {
          setList(data ? { state: 'ready', value: data } : { state: 'error', message: problemErrors(error, response.status).message });
        }
      })
      .catch((e: unknown) => active && setList({ state: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [api]);

  const toggle = async (episode: Episode) => {
    const id = episode.id ?? '';
    const publish = episode.status !== 'PUBLISHED';
    setBusy(id);
    setMessage(null);
    try {
      const { data, error, response } = publish
        ? await api.recording.POST('/api/episodes/{id}/publish', { params: { path: { id } } })
        : await api.recording.POST('/api/episodes/{id}/unpublish', { params: { path: { id } } });
      if (data) {
        setList((l) => (l.state === 'ready' ? { state: 'ready', value: l.value.map((e) => (e.id === id ? data : e)) } : l));
        setMessage({ text: `${publish ? 'Published' : 'Unpublished'} “${data.title}”.`, error: false });
      } else {
        setMessage({ text: `“${episode.title}” could not be ${publish ? 'published' : 'unpublished'}: ${problemErrors(error, response.status).message}`, error: true });
      }
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="my-episodes">
      <h2 id="my-episodes">Your episodes</h2>
      {auth.userId && <CopyField label="Your podcast feed" value={hostFeedUrl(auth.userId)} copyLabel="Copy your feed address" />}
      <div role="status" aria-live="polite">
        {message && <p className={message.error ? 'form-error' : 'saved'}>{message.text}</p>}
      </div>
      {list.state === 'loading' && <p role="status">Loading your episodes…</p>}
      {list.state === 'error' && <p role="alert">Your episodes could not be loaded: {list.message}</p>}
      {list.state === 'ready' &&
        (list.value.length === 0 ? (
          <p className="empty">No episodes yet: record a session (the setting “Record into the podcast library”) and it becomes a draft here.</p>
        ) : (
          <ul className="cards">
            {list.value.map((e) => (
              <li key={e.id} className="card">
                <h3>
                  <Link to={`/library/${encodeURIComponent(e.id ?? '')}`}>{e.title}</Link>
                </h3>
                <p className="meta">
                  <span className={e.status === 'PUBLISHED' ? 'badge badge-published' : 'badge'}>{e.status?.toLowerCase()}</span>{' '}
                  {e.visibility !== 'PUBLIC' && <span className="badge">{e.visibility?.toLowerCase()}</span>}{' '}
                  {formatDuration(e.durationMillis)} · {e.publishedAt ? `published ${formatInstant(e.publishedAt)}` : `recorded ${formatInstant(e.createdAt)}`}
                </p>
                <p>
                  <button type="button" disabled={busy === e.id} onClick={() => void toggle(e)}>
                    {e.status === 'PUBLISHED' ? `Unpublish ${e.title}` : `Publish ${e.title}`}
                  </button>
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

/**
 * Published episodes of one host or one space, read from its public feed (`/podcast/feeds/hosts/{host}.xml`,
 * `/podcast/feeds/spaces/{slug}.xml`): the feed is the public list of a show's published, public episodes.
 */
function FeedBrowser() {
  const [params, setParams] = useSearchParams();
  const host = params.get('host') ?? '';
  const space = params.get('space') ?? '';
  const [kind, setKind] = useState<'host' | 'space'>(space ? 'space' : 'host');
  const [value, setValue] = useState(space || host);
  const [inputError, setInputError] = useState<string | null>(null);
  const [feed, setFeed] = useState<Load<Feed>>({ state: 'idle' });
  const base = useId();
  const url = space ? spaceFeedUrl(space) : host ? hostFeedUrl(host) : null;

  useEffect(() => {
    setKind(space ? 'space' : 'host');
    setValue(space || host);
  }, [host, space]);

  useEffect(() => {
    if (!url) {
      setFeed({ state: 'idle' });
      return;
    }
    let active = true;
    setFeed({ state: 'loading' });
    void fetch(url, { headers: { Accept: 'application/rss+xml, application/xml' } })
      .then(async (r) => {
        if (!r.ok) {
          throw new Error(r.status === 404 ? 'No such feed: the host has no podcast yet, or the space does not exist.' : `HTTP ${r.status}`);
        }
        const parsed = parseFeed(await r.text());
        if (active) {
          setFeed({ state: 'ready', value: parsed });
        }
      })
      .catch((e: unknown) => active && setFeed({ state: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [url]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) {
      setInputError(kind === 'space' ? 'Enter a space.' : 'Enter a host.');
      return;
    }
    if (kind === 'space' && !SLUG.test(v)) {
      setInputError('A space is 1–64 lower-case letters, digits or “-”.');
      return;
    }
    setInputError(null);
    setParams(kind === 'space' ? { space: v } : { host: v });
  };
  const linkQuery = space ? `?space=${encodeURIComponent(space)}` : `?host=${encodeURIComponent(host)}`;

  return (
    <section aria-labelledby="browse-feeds">
      <h2 id="browse-feeds">Published episodes</h2>
      <form className="filters" onSubmit={submit} role="search" aria-label="Find a podcast">
        <label htmlFor={`${base}-kind`}>Show</label>
        <select id={`${base}-kind`} value={kind} onChange={(e) => setKind(e.target.value as 'host' | 'space')}>
          <option value="host">Host</option>
          <option value="space">Space</option>
        </select>
        <label htmlFor={`${base}-value`}>{kind === 'space' ? 'Space slug' : 'Host id'}</label>
        <input
          id={`${base}-value`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={inputError ? `${base}-error` : undefined}
        />
        <button type="submit">Show episodes</button>
        {inputError && (
          <p id={`${base}-error`} className="field-error">
            {inputError}
          </p>
        )}
      </form>
      {feed.state === 'idle' && <p className="muted">Choose a host or a space to list its published episodes.</p>}
      {feed.state === 'loading' && <p role="status">Loading the feed…</p>}
      {feed.state === 'error' && <p role="alert">The feed could not be loaded: {feed.message}</p>}
      {feed.state === 'ready' && url && (
        <>
          <h3>{feed.value.title || 'Podcast'}</h3>
          <CopyField
            label={space ? 'Space feed address' : 'Feed URL'}
            value={url}
            copyLabel={space ? "Copy the space's feed address" : "Copy the host's feed address"}
          />
          {feed.value.items.length === 0 ? (
            <p className="empty">No published episodes yet.</p>
          ) : (
            <ul className="cards">
              {feed.value.items.map((item) => (
                <li key={item.id} className="card">
                  <h4>
                    <Link to={`/library/${encodeURIComponent(item.id)}${linkQuery}`} state={{ title: item.title }}>
                      {item.title}
                    </Link>
                  </h4>
                  <p className="meta">
                    {item.publishedAt && formatInstant(item.publishedAt)}
                    {item.durationSeconds !== null && ` · ${formatDuration(item.durationSeconds * 1000)}`}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** `/library`: the caller's own episodes (signed in) and the published episodes of any host's or space's feed. */
export function LibraryPage() {
  const auth = useAuth();
  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title">Podcast library</h1>
      {auth.user ? (
        <MyEpisodes />
      ) : (
        auth.available && <p>Sign in (the button at the top of the page) to see and publish your own episodes.</p>
      )}
      <FeedBrowser />
    </section>
  );
}
