import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { AuthContext, type Auth } from '../auth/auth';
import { testAuth } from '../test/auth';
import { sampleStats } from '../test/sampleStats';
import { DiscoverPage } from './DiscoverPage';
import { SessionAnalyticsPage } from './SessionAnalyticsPage';

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

const auth = (userId: string | null) => testAuth(userId);

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/** Stubs fetch with `answer` and records each request. */
function stubFetch(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://gateway.test'), init);
      requests.push(request);
      return answer(request);
    }),
  );
  return requests;
}

function renderAt(path: string, who: Auth) {
  return render(
    <AuthContext.Provider value={who}>
      <ApiProvider baseUrl="http://gateway.test">
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/" element={<DiscoverPage />} />
            <Route path="/sessions/:id/analytics" element={<SessionAnalyticsPage />} />
          </Routes>
        </MemoryRouter>
      </ApiProvider>
    </AuthContext.Provider>,
  );
}

describe('the analytics page', () => {
  it('loads the statistics with the host\'s token and follows the live events', async () => {
    let push: (chunk: string) => void = () => {};
    const requests = stubFetch((request) => {
      if (request.url.endsWith('/analytics')) {
        return json(sampleStats());
      }
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (chunk) => controller.enqueue(new TextEncoder().encode(chunk));
        },
      });
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
    });
    renderAt('/sessions/s-1/analytics', auth('alice'));
    await screen.findByRole('heading', { name: 'Friday AMA: analytics' });
    await screen.findByText('Live: updating as viewers come and go.');
    const next = sampleStats({ audience: { ...sampleStats().audience, concurrent: 43, uniqueViewers: 121 } });
    push(`data:${JSON.stringify(next)}\n\n`);
    await waitFor(() => expect(screen.getByText('Watching now', { selector: 'dt' }).nextElementSibling?.textContent).toBe('43'));
    expect(screen.getByText('Unique viewers', { selector: 'dt' }).nextElementSibling?.textContent).toBe('121');

    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/sessions/s-1/analytics',
      '/api/sessions/s-1/analytics/events',
    ]);
    expect(requests.map((r) => r.headers.get('Authorization'))).toEqual(['Bearer token-of-alice', 'Bearer token-of-alice']);

    // the session ends: the final statistics arrive and updates stop
    push(`data:${JSON.stringify(sampleStats({ live: false, revision: 1, endedAt: '2026-12-04T18:30:00Z' }))}\n\n`);
    await screen.findByText('The session has ended: these are its statistics.');
    expect(screen.queryByText('Watching now')).toBeNull();
  });

  it('explains a 404 (not the host, or no such session)', async () => {
    stubFetch(() => json({ title: 'Not Found', status: 404, detail: 'no session s-2' }, 404));
    renderAt('/sessions/s-2/analytics', auth('bob'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('you are not its host, a cohost or an administrator');
  });

  it('shows other errors with the problem detail', async () => {
    stubFetch(() => json({ title: 'Bad Gateway', status: 502, detail: 'analytics-service is unreachable' }, 502));
    renderAt('/sessions/s-3/analytics', auth('alice'));
    expect((await screen.findByRole('alert')).textContent).toContain('analytics-service is unreachable');
  });

  it('asks an anonymous visitor to sign in, without calling the API', async () => {
    const requests = stubFetch(() => json({}));
    const visitor = auth(null);
    renderAt('/sessions/s-1/analytics', visitor);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in to see them' }));
    expect(visitor.signIn).toHaveBeenCalled();
    expect(requests).toHaveLength(0);
  });
});

const session = (id: string, hostId: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  slug: id.padEnd(8, '0'),
  title: `Session ${id}`,
  hostId,
  kind: 'AUDIO',
  visibility: 'PUBLIC',
  status,
  startedAt: '2026-12-04T18:00:00Z',
  ...extra,
});

describe('Discover', () => {
  it('lists live sessions, links the caller\'s own to their analytics, and pages with the cursor', async () => {
    const requests = stubFetch((request) => {
      const cursor = new URL(request.url).searchParams.get('cursor');
      return cursor
        ? json({ items: [session('c', 'carol', 'ACTIVE')], nextCursor: null })
        : json({ items: [session('a', 'alice', 'ACTIVE'), session('b', 'bob', 'ACTIVE')], nextCursor: 'next-1' });
    });
    renderAt('/', auth('alice'));
    await screen.findByRole('heading', { name: 'Session a' });
    expect(screen.getByRole('link', { name: 'Analytics for Session a' }).getAttribute('href')).toBe('/sessions/a/analytics');
    expect(screen.queryByRole('link', { name: 'Analytics for Session b' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await screen.findByRole('heading', { name: 'Session c' });
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Session a',
      'Session b',
      'Session c',
    ]);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    // another tab starts from its first page: the cursor of the live list is not sent along
    fireEvent.click(screen.getByRole('link', { name: 'Upcoming' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    const queries = requests.map((r) => Object.fromEntries(new URL(r.url).searchParams));
    expect(queries).toEqual([
      { status: 'ACTIVE', limit: '20' },
      { status: 'ACTIVE', cursor: 'next-1', limit: '20' },
      { status: 'SCHEDULED', limit: '20' },
    ]);
  });

  it('switches to upcoming and past, filters by space, and says when nothing matches', async () => {
    const requests = stubFetch(() => json({ items: [], nextCursor: null }));
    renderAt('/?show=upcoming', auth(null));
    await screen.findByText('No session is scheduled.');
    fireEvent.click(screen.getByRole('link', { name: 'Past' }));
    await screen.findByText('No session has ended yet.');
    fireEvent.change(screen.getByLabelText('Space'), { target: { value: 'space-9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(requests.map((r) => Object.fromEntries(new URL(r.url).searchParams))).toEqual([
      { status: 'SCHEDULED', limit: '20' },
      { status: 'ENDED', limit: '20' },
      { status: 'ENDED', space: 'space-9', limit: '20' },
    ]);
    expect(requests.every((r) => !r.headers.has('Authorization'))).toBe(true);
    expect(screen.queryByLabelText('Only my sessions')).toBeNull();
  });

  it('shows an error when the list cannot be loaded', async () => {
    stubFetch(() => json({ title: 'Bad Request', detail: 'status: must be one of SCHEDULED, ACTIVE' }, 400));
    renderAt('/', auth(null));
    expect((await screen.findByRole('alert')).textContent).toContain('status: must be one of SCHEDULED, ACTIVE');
  });
});
