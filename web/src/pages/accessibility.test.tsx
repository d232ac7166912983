import { cleanup, screen } from '@testing-library/react';
import axe from 'axe-core';
import { Route } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnalyticsOverviewPage } from './AnalyticsOverviewPage';
import { EpisodePage } from './EpisodePage';
import { LibraryPage } from './LibraryPage';
import { SessionCreatePage, SessionEditPage } from './SessionFormPage';
import { auth, json, renderAt, stubFetch } from './testUtils';

vi.mock('uplot', () => ({
  default: class {
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const routes = (
  <>
    <Route path="/sessions/new" element={<SessionCreatePage />} />
    <Route path="/sessions/:id/edit" element={<SessionEditPage />} />
    <Route path="/library" element={<LibraryPage />} />
    <Route path="/library/:episodeId" element={<EpisodePage />} />
    <Route path="/analytics" element={<AnalyticsOverviewPage />} />
  </>
);

/** axe-core's WCAG A/AA rules on the rendered page (colour contrast needs layout, which jsdom has not). */
async function violations(): Promise<string[]> {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false }, 'page-has-heading-one': { enabled: false }, 'landmark-one-main': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const session = {
  id: 'sess-1',
  slug: 'abcd1234',
  title: 'Friday AMA',
  hostId: 'alice',
  kind: 'AUDIO',
  visibility: 'PUBLIC',
  status: 'SCHEDULED',
  scheduledAt: '2099-01-01T18:00:00Z',
  settings: { maxParticipants: 500, maxGuests: 10 },
};

const episode = {
  id: 'ep-1',
  hostId: 'alice',
  status: 'DRAFT',
  title: 'Friday AMA',
  visibility: 'PUBLIC',
  durationMillis: 600_000,
  chapters: [{ startTime: 0, title: 'Intro' }],
};

function server() {
  return stubFetch((_request, url) => {
    switch (url.pathname) {
      case '/api/sessions/sess-1':
        return json(session);
      case '/api/me/episodes':
        return json([episode]);
      case '/api/episodes/ep-1':
        return json(episode);
      case '/podcast/episodes/ep-1/transcript.vtt':
        return new Response('WEBVTT\n\n00:00.000 --> 00:02.000\n<v Alice>Hello\n', { headers: { 'Content-Type': 'text/vtt' } });
      case '/podcast/episodes/ep-1/chapters.json':
        return json({ version: '1.2.0', chapters: [{ startTime: 0, title: 'Intro' }] });
      case '/api/me/analytics':
        return json({ sessions: 1, uniqueViewers: 5, topSessions: [{ sessionId: 's-1', title: 'Friday AMA', startedAt: '2026-12-01T18:00:00Z', uniqueViewers: 5 }] });
      default:
        return json({ status: 404 }, 404);
    }
  });
}

describe('no axe violations', () => {
  it('on the create form, also while it shows errors', async () => {
    server();
    renderAt('/sessions/new', auth('alice'), routes);
    expect(await violations()).toEqual([]);
    screen.getByRole('button', { name: 'Create session' }).click();
    await screen.findByText('Give the session a title.');
    expect(await violations()).toEqual([]);
  });

  it('on the edit form with the cancel section', async () => {
    server();
    renderAt('/sessions/sess-1/edit', auth('alice'), routes);
    await screen.findByRole('button', { name: 'Save changes' });
    expect(await violations()).toEqual([]);
  });

  it('on the library and the host\'s episode page', async () => {
    server();
    renderAt('/library', auth('alice'), routes);
    await screen.findByRole('link', { name: 'Friday AMA' });
    expect(await violations()).toEqual([]);
    cleanup();
    renderAt('/library/ep-1', auth('alice'), routes);
    await screen.findByRole('button', { name: 'Save chapters' });
    await screen.findByText('Hello');
    expect(await violations()).toEqual([]);
  });

  it('on analytics over time', async () => {
    server();
    renderAt('/analytics', auth('alice'), routes);
    await screen.findByRole('table');
    expect(await violations()).toEqual([]);
  });
});
