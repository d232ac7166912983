import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthContext } from '../auth/auth';
import { MainNav } from '../components/MainNav';
import { realmRoles } from '../components/roles';
import { AnalyticsOverviewPage, rangeOf } from './AnalyticsOverviewPage';
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

const routes = <Route path="/analytics" element={<AnalyticsOverviewPage />} />;
const DAY = 86_400_000;

const aggregate = (extra: Record<string, unknown> = {}) => ({
  from: '2026-11-06T15:00:00Z',
  to: '2026-12-06T15:00:00Z',
  sessions: 12,
  views: 900,
  uniqueViewers: 640,
  watchTimeMillis: 3_600_000 * 50,
  averageSessionSeconds: 2700,
  peakConcurrent: 210,
  chatMessages: 3100,
  reactions: 8800,
  topSessions: [
    { sessionId: 's-2', title: 'Launch', hostId: 'alice', startedAt: '2026-12-01T18:00:00Z', views: 400, uniqueViewers: 300, watchTimeMillis: 3_600_000 * 20, peakConcurrent: 210 },
    { sessionId: 's-1', title: 'Friday AMA', hostId: 'alice', startedAt: '2026-11-20T18:00:00Z', views: 200, uniqueViewers: 150, watchTimeMillis: 3_600_000 * 8, peakConcurrent: 90 },
  ],
  ...extra,
});

const figure = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;

/** `[from, to)` of a recorded request, and its length in days. */
function rangeOfRequest(url: URL) {
  const from = Date.parse(url.searchParams.get('from') ?? '');
  const to = Date.parse(url.searchParams.get('to') ?? '');
  return { days: (to - from) / DAY, to };
}

describe('/analytics', () => {
  it('asks for the last 30 days by default, then 7 and 90, and narrows to a space', async () => {
    const requests = stubFetch(() => json(aggregate()));
    const before = Date.now();
    renderAt('/analytics', auth('alice'), routes);
    expect(screen.getByRole('heading', { level: 1, name: 'Analytics' })).toBeTruthy();
    await waitFor(() => expect(figure('Unique viewers')).toBe('640'));
    expect(figure('Sessions')).toBe('12');
    expect(figure('Views')).toBe('900');
    expect(figure('Watch time')).toBe('50 h 00 min');
    expect(figure('Average session length')).toBe('45 min 00 s');
    expect(figure('Peak concurrent viewers')).toBe('210');
    expect(figure('Chat messages')).toBe('3,100');
    expect(figure('Reactions')).toBe('8,800');

    expect(requests[0].url.pathname).toBe('/api/me/analytics');
    expect(rangeOfRequest(requests[0].url).days).toBe(30);
    expect(rangeOfRequest(requests[0].url).to).toBeGreaterThanOrEqual(before);
    expect(requests[0].url.searchParams.has('spaceId')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(rangeOfRequest(requests[1].url).days).toBe(7);
    expect(screen.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Last 90 days' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(rangeOfRequest(requests[2].url).days).toBe(90);

    fireEvent.change(screen.getByLabelText('Space'), { target: { value: 'bad space' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByText(/Space: A space is up to 100/)).toBeTruthy();
    expect(requests).toHaveLength(3);
    fireEvent.change(screen.getByLabelText('Space'), { target: { value: 'product-team' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(requests).toHaveLength(4));
    expect(requests[3].url.pathname).toBe('/api/me/analytics');
    expect(requests[3].url.searchParams.get('spaceId')).toBe('product-team');
    expect(rangeOfRequest(requests[3].url).days).toBe(90);
    expect(requests.every((r) => r.headers.get('Authorization')?.startsWith('Bearer '))).toBe(true);
  });

  it('lists the top sessions with links to their dashboards, and draws them', async () => {
    stubFetch(() => json(aggregate()));
    renderAt('/analytics?days=7', auth('alice'), routes);
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('link', { name: 'Launch' }).getAttribute('href')).toBe('/sessions/s-2/analytics');
    expect(within(table).getByRole('link', { name: 'Friday AMA' }).getAttribute('href')).toBe('/sessions/s-1/analytics');
    expect(screen.getByTestId('top-sessions-chart')).toBeTruthy();
  });

  it('offers administrators the whole platform, with a host filter', async () => {
    const requests = stubFetch(() => json(aggregate()));
    renderAt('/analytics', auth('root', ['admin', 'user']), routes);
    fireEvent.click(await screen.findByRole('button', { name: 'Whole platform' }));
    await waitFor(() => expect(requests.at(-1)?.url.pathname).toBe('/api/analytics/platform'));
    expect(rangeOfRequest(requests.at(-1)!.url).days).toBe(30);
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'alice' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(requests.at(-1)?.url.searchParams.get('hostId')).toBe('alice'));
    expect(requests.at(-1)?.url.pathname).toBe('/api/analytics/platform');
    expect(await screen.findByRole('columnheader', { name: 'Host' })).toBeTruthy();
  });

  it('keeps other users on their own figures: no platform switch, and ?scope=platform is ignored', async () => {
    const requests = stubFetch(() => json(aggregate()));
    renderAt('/analytics?scope=platform', auth('alice', ['user']), routes);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].url.pathname).toBe('/api/me/analytics');
    expect(screen.queryByRole('button', { name: 'Whole platform' })).toBeNull();
  });

  it('shows a problem from the API', async () => {
    stubFetch(() => json({ title: 'Bad Request', status: 400, detail: 'from: must be before to', field: 'from' }, 400));
    renderAt('/analytics', auth('alice'), routes);
    expect((await screen.findByRole('alert')).textContent).toContain('from: must be before to');
  });

  it('asks an anonymous visitor to sign in, without calling the API', () => {
    const requests = stubFetch(() => json(aggregate()));
    renderAt('/analytics', auth(null), routes);
    expect(screen.getByText('Sign in (the button at the top of the page) to see them.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /sign in/i })).toBeNull();
    expect(requests).toHaveLength(0);
  });
});

it('computes ranges ending now', () => {
  const now = Date.parse('2026-12-06T15:00:00Z');
  expect(rangeOf(7, now)).toEqual({ from: '2026-11-29T15:00:00.000Z', to: '2026-12-06T15:00:00.000Z' });
});

it('reads realm roles from the access token', () => {
  expect(realmRoles(auth('root', ['admin']).user)).toEqual(['admin']);
  expect(realmRoles(auth('alice').user)).toEqual([]);
  expect(realmRoles(null)).toEqual([]);
});

describe('the header navigation', () => {
  const nav = (userId: string | null) => {
    render(
      <AuthContext.Provider value={auth(userId)}>
        <MemoryRouter initialEntries={['/library']}>
          <MainNav />
        </MemoryRouter>
      </AuthContext.Provider>,
    );
    return within(screen.getByRole('navigation', { name: 'Main' }));
  };
  it('shows Discover and Library to everyone, Analytics and New session once signed in', () => {
    const anonymous = nav(null);
    expect(anonymous.getAllByRole('link').map((l) => l.textContent)).toEqual(['Discover', 'Library']);
    expect(anonymous.getByRole('link', { name: 'Library' }).getAttribute('aria-current')).toBe('page');
    cleanup();
    const signedIn = nav('alice');
    expect(signedIn.getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Discover', '/'],
      ['Library', '/library'],
      ['Analytics', '/analytics'],
      ['New session', '/sessions/new'],
    ]);
  });
});
