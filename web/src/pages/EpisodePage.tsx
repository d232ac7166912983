import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { useAuth } from '../auth/auth';
import { ChapterList } from '../components/ChapterList';
import { parseChapters, type Chapter } from '../components/chapters';
import { CopyField } from '../components/CopyField';
import { EpisodeOwnerTools, type Episode } from '../components/EpisodeOwnerTools';
import { hostFeedUrl, spaceFeedUrl } from '../components/feed';
import { Transcript } from '../components/Transcript';
import { parseVtt, type Cue } from '../components/webvtt';
import { formatDuration, formatInstant } from '../format';
import './pages.css';

type Part<T> = { state: 'loading' } | { state: 'missing'; message: string } | { state: 'ready'; value: T };

/** The public paths of an episode's files (recording-service PodcastResource; no token). */
export const episodeFiles = (id: string) => {
  const base = `/podcast/episodes/${encodeURIComponent(id)}`;
  return { media: `${base}.mp3`, transcript: `${base}/transcript.vtt`, chapters: `${base}/chapters.json` };
};

const origin = () => globalThis.location?.origin ?? '';

async function fetchPublic(path: string): Promise<Response> {
  return fetch(new URL(path, origin() || 'http://localhost').toString());
}

/**
 * `/library/:episodeId`: the player (`/podcast/episodes/{id}.mp3`; the browser seeks with Range requests), the
 * transcript in sync with it, the chapters, and the feed's address. Signed in, the episode's details come from
 * `GET /api/episodes/{id}` and its host gets the publishing and editing tools; anonymous visitors get the public
 * files (title from the feed they came from).
 */
export function EpisodePage() {
  const { episodeId = '' } = useParams();
  const [params] = useSearchParams();
  const location = useLocation();
  const api = useApi();
  const auth = useAuth();
  const audio = useRef<HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [episode, setEpisode] = useState<Part<Episode>>({ state: 'loading' });
  const [cues, setCues] = useState<Part<Cue[]>>({ state: 'loading' });
  const [chapters, setChapters] = useState<Part<Chapter[]>>({ state: 'loading' });
  const [audioError, setAudioError] = useState(false);
  const signedIn = auth.user !== null;
  const files = episodeFiles(episodeId);

  useEffect(() => {
    let active = true;
    setEpisode({ state: 'loading' });
    if (!signedIn) {
      setEpisode({ state: 'missing', message: 'anonymous' });
      return;
    }
    void api.recording
      .GET('/api/episodes/{id}', { params: { path: { id: episodeId } } })
      .then(({ data, response }) => {
        if (active) {
          setEpisode(data ? { state: 'ready', value: data } : { state: 'missing', message: `HTTP ${response.status}` });
        }
      })
      .catch((e: unknown) => active && setEpisode({ state: 'missing', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [api, episodeId, signedIn]);

  useEffect(() => {
    let active = true;
    setCues({ state: 'loading' });
    setChapters({ state: 'loading' });
    void fetchPublic(files.transcript)
      .then(async (r) => {
        if (!r.ok) {
          throw new Error(r.status === 404 ? 'not public' : `HTTP ${r.status}`);
        }
        const parsed = parseVtt(await r.text());
        if (active) {
          setCues({ state: 'ready', value: parsed });
        }
      })
      .catch((e: unknown) => active && setCues({ state: 'missing', message: e instanceof Error ? e.message : String(e) }));
    void fetchPublic(files.chapters)
      .then(async (r) => {
        if (!r.ok) {
          throw new Error(r.status === 404 ? 'not public' : `HTTP ${r.status}`);
        }
        const parsed = parseChapters(await r.json());
        if (active) {
          setChapters({ state: 'ready', value: parsed });
        }
      })
      .catch((e: unknown) => active && setChapters({ state: 'missing', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [files.transcript, files.chapters]);

  const seek = useCallback((seconds: number) => {
    const element = audio.current;
    setTime(seconds);
    if (!element) {
      return;
    }
    element.currentTime = seconds;
    try {
      void Promise.resolve(element.play()).catch(() => {
        // autoplay refused or no media yet: the position is set, the listener presses play
      });
    } catch {
      // a browser without media playback
    }
  }, []);

  const details = episode.state === 'ready' ? episode.value : null;
  const isOwner = details !== null && details.hostId === auth.userId;
  // the episode's own chapters (the host sees drafts' too); the public chapters.json otherwise
  const chapterList: Chapter[] | null = details?.chapters
    ? parseChapters({ chapters: details.chapters })
    : chapters.state === 'ready'
      ? chapters.value
      : null;
  const stateTitle = (location.state as { title?: string } | null)?.title;
  const title = details?.title ?? stateTitle ?? 'Podcast episode';
  const host = details?.hostId ?? params.get('host');
  const space = details?.space ?? params.get('space');
  const publicFiles = !details || (details.status === 'PUBLISHED' && details.visibility !== 'PRIVATE');

  return (
    <article aria-labelledby="episode-title" className="episode">
      <p>
        <Link to="/library">← Podcast library</Link>
      </p>
      <h1 id="episode-title">{title}</h1>
      {details && (
        <p className="meta">
          {details.publishedAt ? `Published ${formatInstant(details.publishedAt)}` : 'Not published'} ·{' '}
          {formatDuration(details.durationMillis)}
        </p>
      )}
      {details?.description && <p className="episode-description">{details.description}</p>}
      {!publicFiles && (
        <p role="note" className="notice">
          The audio, transcript and chapters files are public once the episode is published (and not private).
        </p>
      )}
      <div className="player">
        <audio
          ref={audio}
          controls
          preload="metadata"
          src={files.media}
          aria-label="Episode audio"
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onSeeked={(e) => setTime(e.currentTarget.currentTime)}
          onError={() => setAudioError(true)}
        >
          <a href={files.media}>Download the episode (MP3)</a>
        </audio>
        {audioError && (
          <p role="alert">The audio could not be loaded: the episode is not published, or it is private.</p>
        )}
        <p>
          <a href={files.media} download>
            Download MP3
          </a>
        </p>
      </div>
      <div className="episode-columns">
        <section aria-labelledby="chapters-title">
          <h2 id="chapters-title">Chapters</h2>
          {chapterList ? (
            <ChapterList chapters={chapterList} time={time} onSeek={seek} />
          ) : chapters.state === 'loading' ? (
            <p role="status">Loading chapters…</p>
          ) : (
            <p className="empty">No chapters are available for this episode.</p>
          )}
        </section>
        <section aria-labelledby="transcript-title" className="transcript-section">
          <h2 id="transcript-title">Transcript</h2>
          <div className="transcript-box">
            {cues.state === 'ready' && <Transcript cues={cues.value} time={time} onSeek={seek} />}
            {cues.state === 'loading' && <p role="status">Loading the transcript…</p>}
            {cues.state === 'missing' && (
              <p className="empty">
                {cues.message === 'not public'
                  ? 'No transcript is public for this episode.'
                  : `The transcript could not be loaded: ${cues.message}`}
              </p>
            )}
          </div>
        </section>
      </div>
      <section aria-labelledby="feeds-title">
        <h2 id="feeds-title">Subscribe</h2>
        {host ? (
          <CopyField label="Feed URL" value={hostFeedUrl(host)} copyLabel="Copy the host's feed address" />
        ) : (
          <p>
            Feed URL: <Link to="/library">find the host's feed in the library</Link>
          </p>
        )}
        {space && <CopyField label="Space feed address" value={spaceFeedUrl(space)} copyLabel="Copy the space's feed address" />}
      </section>
      {isOwner && details && <EpisodeOwnerTools episode={details} onChange={(next) => setEpisode({ state: 'ready', value: next })} />}
    </article>
  );
}
