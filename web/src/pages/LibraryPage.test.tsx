import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EpisodePage } from './EpisodePage';
import { LibraryPage } from './LibraryPage';
import { auth, json, renderAt, stubFetch } from './testUtils';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const routes = (
  <>
    <Route path="/library" element={<LibraryPage />} />
    <Route path="/library/:episodeId" element={<EpisodePage />} />
  </>
);

const episode = (extra: Record<string, unknown> = {}) => ({
  id: 'ep-1',
  sessionId: 's-1',
  recordingId: 'r-1',
  hostId: 'alice',
  status: 'PUBLISHED',
  title: 'Friday AMA',
  description: 'We answered everything.',
  visibility: 'PUBLIC',
  space: 'friday-talks',
  mediaType: 'audio/mpeg',
  mediaBytes: 1234,
  durationMillis: 600_000,
  publishedAt: '2026-12-04T19:00:00Z',
  createdAt: '2026-12-04T18:40:00Z',
  chapters: [
    { startTime: 0, title: 'Intro' },
    { startTime: 120, title: 'Q&A' },
  ],
  ...extra,
});

const VTT = `WEBVTT

00:00:00.000 --> 00:00:04.000
<v Alice>Welcome to the show.

00:00:04.000 --> 00:00:09.000
<v Bob>Thanks for having me.

00:02:00.000 --> 00:02:05.000
<v Alice>Now, questions.
`;

const CHAPTERS = { version: '1.2.0', chapters: [{ startTime: 0, title: 'Welcome' }, { startTime: 120, title: 'Questions' }] };

/** The public files and the API of one episode; `overrides` answers some paths differently. */
function episodeServer(overrides: Record<string, () => Response> = {}) {
  return stubFetch((request, url) => {
    const key = `${request.method} ${url.pathname}`;
    if (overrides[key]) {
      return overrides[key]();
    }
    if (url.pathname === '/podcast/episodes/ep-1/transcript.vtt') {
      return new Response(VTT, { headers: { 'Content-Type': 'text/vtt' } });
    }
    if (url.pathname === '/podcast/episodes/ep-1/chapters.json') {
      return json(CHAPTERS);
    }
    if (url.pathname === '/api/episodes/ep-1') {
      return json(episode());
    }
    return json({ status: 404, title: 'Not Found' }, 404);
  });
}

/** jsdom plays nothing: the element's position is set by hand, as a browser would while playing. */
function playTo(seconds: number) {
  const audio = screen.getByLabelText('Episode audio') as HTMLAudioElement;
  act(() => {
    audio.currentTime = seconds;
    fireEvent.timeUpdate(audio);
  });
}

describe('/library/:episodeId', () => {
  it('plays the public MP3, keeps the transcript in step and seeks from a line', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(async () => {});
    episodeServer();
    renderAt('/library/ep-1?host=alice', auth(null), routes);
    const audio = screen.getByLabelText('Episode audio') as HTMLAudioElement;
    expect(audio.tagName).toBe('AUDIO');
    expect(audio.getAttribute('src')).toBe('/podcast/episodes/ep-1.mp3');
    const transcript = screen.getByRole('region', { name: 'Transcript' });
    const lines = await within(transcript).findAllByRole('button');
    expect(lines.map((l) => l.textContent)).toEqual([
      '0:00 Alice: Welcome to the show.',
      '0:04 Bob: Thanks for having me.',
      '2:00 Alice: Now, questions.',
    ]);

    playTo(5);
    expect(lines.map((l) => l.getAttribute('aria-current'))).toEqual([null, 'true', null]);
    playTo(60); // between cues: none is current
    expect(lines.every((l) => l.getAttribute('aria-current') === null)).toBe(true);

    fireEvent.click(lines[2]);
    expect(audio.currentTime).toBe(120);
    expect(play).toHaveBeenCalled();
    expect(lines[2].getAttribute('aria-current')).toBe('true');
    // the lines are buttons: in the tab order, activated with Enter and Space by the browser
    lines[0].focus();
    expect(document.activeElement).toBe(lines[0]);
  });

  it('lists the chapters, marks the current one and seeks from it', async () => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(async () => {});
    episodeServer();
    renderAt('/library/ep-1?host=alice', auth(null), routes);
    const chapters = await screen.findByRole('list', { name: 'Chapters' });
    const buttons = within(chapters).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['0:00 Welcome', '2:00 Questions']);
    expect(buttons[0].getAttribute('aria-current')).toBe('true');
    fireEvent.click(buttons[1]);
    expect((screen.getByLabelText('Episode audio') as HTMLAudioElement).currentTime).toBe(120);
    expect(buttons[1].getAttribute('aria-current')).toBe('true');
    expect(buttons[0].getAttribute('aria-current')).toBeNull();
  });

  it('shows the feed URL with a copy button', async () => {
    episodeServer();
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderAt('/library/ep-1?host=alice', auth(null), routes);
    const feed = screen.getByLabelText('Feed URL') as HTMLInputElement;
    expect(feed.value).toBe(`${location.origin}/podcast/feeds/hosts/alice.xml`);
    fireEvent.click(screen.getByRole('button', { name: "Copy the host's feed address" }));
    await screen.findByText('Copied.');
    expect(writeText).toHaveBeenCalledWith(`${location.origin}/podcast/feeds/hosts/alice.xml`);
  });

  it('gives the host the episode from the API with publishing, edits (only what changed) and chapters', async () => {
    const requests = episodeServer({
      'POST /api/episodes/ep-1/unpublish': () => json(episode({ status: 'UNPUBLISHED' })),
      'PATCH /api/episodes/ep-1': () => json(episode({ title: 'Friday AMA #1' })),
      'PUT /api/episodes/ep-1/chapters': () =>
        json({ title: 'Validation failed', status: 400, detail: 'startTime is after the episode\'s end (600.0 s)', field: 'chapters[1].startTime' }, 400),
    });
    renderAt('/library/ep-1', auth('alice'), routes);
    expect(await screen.findByRole('heading', { level: 1, name: 'Friday AMA' })).toBeTruthy();
    expect((screen.getByLabelText('Space feed address') as HTMLInputElement).value).toBe(`${location.origin}/podcast/feeds/spaces/friday-talks.xml`);
    // the episode's own chapters (the API's), not only the public file's
    const chapters = screen.getByRole('list', { name: 'Chapters' });
    expect(within(chapters).getAllByRole('button').map((b) => b.textContent)).toEqual(['0:00 Intro', '2:00 Q&A']);

    fireEvent.click(screen.getByRole('button', { name: 'Unpublish' }));
    await screen.findByText('Unpublished: the episode left the feeds.');
    expect(screen.getByRole('button', { name: 'Publish' })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Episode title'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save details' }));
    expect(screen.getByText('Give the episode a title.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Episode title'), { target: { value: 'Friday AMA #1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save details' }));
    await screen.findByText('Details saved.');
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ title: 'Friday AMA #1' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Friday AMA #1');

    // chapters: a client-side rule first, then the server's error on the field it names
    fireEvent.change(screen.getByLabelText('Chapter 2 start'), { target: { value: '11:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save chapters' }));
    expect(screen.getByText("After the episode's end (10:00).")).toBeTruthy();
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Chapter 2 start'), { target: { value: '2:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add chapter' }));
    fireEvent.change(screen.getByLabelText('Chapter 3 start'), { target: { value: '5:00' } });
    fireEvent.change(screen.getByLabelText('Chapter 3 title'), { target: { value: 'Wrap-up' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save chapters' }));
    await screen.findByText("startTime is after the episode's end (600.0 s)", { selector: '.field-error' });
    expect(screen.getByLabelText('Chapter 2 start').getAttribute('aria-invalid')).toBe('true');
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      chapters: [
        { startTime: 0, title: 'Intro' },
        { startTime: 150, title: 'Q&A' },
        { startTime: 300, title: 'Wrap-up' },
      ],
    });
  });

  it('says when the transcript is not public', async () => {
    episodeServer({ 'GET /podcast/episodes/ep-1/transcript.vtt': () => json({ status: 404 }, 404) });
    renderAt('/library/ep-1', auth(null), routes);
    expect(await screen.findByText('No transcript is public for this episode.')).toBeTruthy();
  });
});

describe('/library', () => {
  it('lists your episodes (drafts too) and publishes one', async () => {
    const requests = stubFetch((_request, url) => {
      if (url.pathname === '/api/me/episodes') {
        return json([episode({ id: 'ep-2', title: 'Draft talk', status: 'DRAFT', publishedAt: null }), episode()]);
      }
      if (url.pathname === '/api/episodes/ep-2/publish') {
        return json(episode({ id: 'ep-2', title: 'Draft talk', status: 'PUBLISHED' }));
      }
      return json({}, 404);
    });
    renderAt('/library', auth('alice'), routes);
    expect(screen.getByRole('heading', { level: 1, name: 'Podcast library' })).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Draft talk' })).getAttribute('href')).toBe('/library/ep-2');
    expect(screen.getByRole('link', { name: 'Friday AMA' }).getAttribute('href')).toBe('/library/ep-1');
    expect((screen.getByLabelText('Your podcast feed') as HTMLInputElement).value).toBe(`${location.origin}/podcast/feeds/hosts/alice.xml`);
    fireEvent.click(screen.getByRole('button', { name: 'Publish Draft talk' }));
    await screen.findByText('Published “Draft talk”.');
    expect(screen.getByRole('button', { name: 'Unpublish Draft talk' })).toBeTruthy();
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /api/me/episodes', 'POST /api/episodes/ep-2/publish']);
  });

  it('lists a space\'s published episodes from its public feed, without a token', async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Friday talks</title>
<item><title>Friday AMA</title><guid isPermaLink="false">ep-1</guid><pubDate>Fri, 04 Dec 2026 19:00:00 GMT</pubDate><itunes:duration>600</itunes:duration></item></channel></rss>`;
    const requests = stubFetch((_request, url) =>
      url.pathname === '/podcast/feeds/spaces/friday-talks.xml' ? new Response(rss, { headers: { 'Content-Type': 'application/rss+xml' } }) : json({}, 404),
    );
    renderAt('/library', auth(null), routes);
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'space' } });
    fireEvent.change(screen.getByLabelText('Space slug'), { target: { value: 'Friday Talks' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show episodes' }));
    expect(screen.getByText('A space is 1–64 lower-case letters, digits or “-”.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Space slug'), { target: { value: 'friday-talks' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show episodes' }));
    const link = await screen.findByRole('link', { name: 'Friday AMA' });
    expect(link.getAttribute('href')).toBe('/library/ep-1?space=friday-talks');
    expect((screen.getByLabelText('Space feed address') as HTMLInputElement).value).toBe(`${location.origin}/podcast/feeds/spaces/friday-talks.xml`);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].headers.get('Authorization')).toBeNull();
  });
});
