import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, renderWithApi, stubFetch, type Recorded } from '../chat/testing';
import { HostPanel } from './HostPanel';
import type { Participant, Recording, SavedTarget, StageRequest, StreamStatus } from './types';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SECRET = 'live_sk_9f8e7d6c5b4a';

const queue: StageRequest[] = [
  { id: 'r-2', userId: 'u-erin', name: 'Erin', status: 'PENDING', xp: 5, requestedAt: '2026-11-21T18:06:00Z', position: 2 },
  { id: 'r-1', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 40, requestedAt: '2026-11-21T18:05:00Z', position: 1 },
];
const people: Participant[] = [
  { identity: 'u-alice', userId: 'u-alice', name: 'Alice', role: 'HOST', onStage: true },
  { identity: 'u-carol', userId: 'u-carol', name: 'Carol', role: 'COHOST', onStage: true },
  { identity: 'u-gus', userId: 'u-gus', name: 'Gus', role: 'GUEST', onStage: true, audioMuted: true },
  { identity: 'u-dan', userId: 'u-dan', name: 'Dan', role: 'VIEWER', onStage: false },
];
const savedTargets: SavedTarget[] = [
  { id: 't-1', name: 'My channel', kind: 'TELEGRAM', serverUrl: 'rtmps://dc4-1.rtmp.t.me/s/', streamKey: '••••1234', autoStart: false },
  { id: 't-2', name: 'YouTube main', kind: 'YOUTUBE', streamKey: '••••abcd', autoStart: true },
];
const streamStatus: StreamStatus = {
  version: 7,
  status: 'live',
  hls: { status: 'off', segments: 0, vod: false },
  obs: { configured: true, connected: false },
  targets: [{ targetId: 't-1', name: 'My channel', kind: 'TELEGRAM', status: 'FAILED', error: 'connection refused by rtmps://dc4-1.rtmp.t.me', retries: 2 }],
};

interface Backend {
  recordings?: Recording[];
  ingress?: boolean;
  override?: (method: string, path: string) => Response | undefined;
}

function backend({ recordings = [], ingress = true, override }: Backend = {}): Recorded[] {
  return stubFetch((method, path) => {
    const custom = override?.(method, path);
    if (custom) {
      return custom;
    }
    const key = `${method} ${path}`;
    if (key === 'GET /api/sessions/s-1/stage-requests') return json({ items: queue });
    if (key === 'GET /api/sessions/s-1/participants') return json(people);
    if (path.endsWith('/approve') || path.endsWith('/reject')) return json({ ...queue[1], status: 'APPROVED' });
    if (path.startsWith('/api/sessions/s-1/participants/')) return json(people[2]);
    if (key === 'GET /api/sessions/s-1/recordings') return json(recordings);
    if (key === 'POST /api/sessions/s-1/recordings') {
      const started: Recording = { id: 'rec-1', state: 'STARTING', trigger: 'MANUAL', requestedAt: '2026-11-21T18:10:00Z', outputs: [] };
      recordings = [started, ...recordings];
      return json(started, 202);
    }
    if (key === 'GET /api/sessions/s-1/stream/events')
      return new Response(`event: stream\nid: 7\ndata: ${JSON.stringify(streamStatus)}\n\n`, {
        headers: { 'Content-Type': 'text/event-stream' },
      });
    if (key === 'GET /api/sessions/s-1/stream/ingress')
      return ingress ? json({ ingressId: 'IN_1', rtmpUrl: 'rtmp://media.test/x', streamKey: SECRET, state: 'ENDPOINT_INACTIVE' }) : json({ status: 404, title: 'Not Found' }, 404);
    if (key === 'POST /api/sessions/s-1/stream/ingress/rotate')
      return json({ ingressId: 'IN_2', rtmpUrl: 'rtmp://media.test/x', streamKey: 'live_sk_rotated', interruptedLivePush: true });
    if (key === 'POST /api/sessions/s-1/stream/ingress')
      return json({ ingressId: 'IN_3', rtmpUrl: 'rtmp://media.test/x', streamKey: 'live_sk_new' });
    if (key === 'GET /api/me/restream-targets') return json(savedTargets);
    if (key === 'POST /api/sessions/s-1/stream/targets/t-2')
      return json({ ...streamStatus, version: 8, targets: [...(streamStatus.targets ?? []), { targetId: 't-2', status: 'STARTING' }] });
    return json({ status: 404, title: 'Not Found', detail: `no stub for ${key}` }, 404);
  });
}

const host = { userId: 'u-alice', role: 'HOST' };
const cohost = { userId: 'u-carol', role: 'COHOST' };

describe('HostPanel', () => {
  it('is not there for listeners and guests', () => {
    backend();
    renderWithApi(<HostPanel sessionId="s-1" you={{ userId: 'u-dan', role: 'VIEWER' }} />, 'u-dan');
    expect(screen.queryByRole('region', { name: 'Host panel' })).toBeNull();
  });

  it('lists the stage requests in queue order with xp and waiting time, and approves through session-service', async () => {
    const requests = backend();
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    const panel = screen.getByRole('region', { name: 'Host panel' });
    const list = within(panel).getByRole('list', { name: 'Stage requests' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    const items = within(list).getAllByRole('listitem');
    expect(items[0].textContent).toContain('Bob');
    expect(items[0].textContent).toContain('40 XP');
    expect(items[0].textContent).toContain('waiting since');
    expect(items[1].textContent).toContain('Erin');

    fireEvent.click(screen.getByRole('button', { name: 'Approve Bob' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST' && r.path === '/api/sessions/s-1/stage-requests/r-1/approve')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Reject Erin' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST' && r.path === '/api/sessions/s-1/stage-requests/r-2/reject')).toBe(true));
    expect(requests.find((r) => r.path.endsWith('/approve'))?.authorization).toBe('Bearer token-of-u-alice');
  });

  it('reloads the queue, participants and recordings when the room channel reports a change', async () => {
    const requests = backend();
    const { rerender } = renderWithApi(<HostPanel sessionId="s-1" you={host} queueVersion={[]} participantsVersion={[]} recordingsVersion={{}} />);
    await screen.findByRole('button', { name: 'Approve Bob' });
    const count = (path: string) => requests.filter((r) => r.method === 'GET' && r.path === path).length;
    await waitFor(() => expect(count('/api/sessions/s-1/recordings')).toBe(1));
    expect(count('/api/sessions/s-1/stage-requests')).toBe(1);
    expect(count('/api/sessions/s-1/participants')).toBe(1);
    rerender(<HostPanel sessionId="s-1" you={host} queueVersion={['r-3']} participantsVersion={['joined']} recordingsVersion={{ active: true }} />);
    await waitFor(() => expect(count('/api/sessions/s-1/stage-requests')).toBe(2));
    await waitFor(() => expect(count('/api/sessions/s-1/participants')).toBe(2));
    await waitFor(() => expect(count('/api/sessions/s-1/recordings')).toBe(2));
  });

  it('shows a refused approval next to the request', async () => {
    backend({
      override: (_method, path) =>
        path.endsWith('/approve') ? json({ status: 409, title: 'Conflict', detail: 'the stage is full', field: 'maxGuests' }, 409) : undefined,
    });
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve Bob' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('the stage is full (field: maxGuests)');
    expect(alert.closest('li')?.textContent).toContain('Bob');
  });

  it('offers participant actions by role and sends the documented bodies', async () => {
    const requests = backend();
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    await screen.findByRole('button', { name: 'Mute Gus' });
    // nothing on the host (themselves); the listener is not on stage
    expect(screen.queryByRole('button', { name: 'Remove Alice' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mute Dan' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Promote Carol' })).toBeNull();

    const actions = () => requests.filter((r) => r.method !== 'GET' && r.path.includes('/participants/'));
    // one at a time: a participant's buttons are disabled while their last action runs
    const names = ['Promote Gus', 'Move Carol to audience', 'Mute Gus', 'Ask Gus to unmute', 'Remove Dan'];
    for (const [i, name] of names.entries()) {
      const button = await screen.findByRole('button', { name });
      await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
      fireEvent.click(button);
      await waitFor(() => expect(actions()).toHaveLength(i + 1));
    }
    expect(requests.filter((r) => r.method !== 'GET' && r.path.includes('/participants/')).map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/api/sessions/s-1/participants/u-gus/role', { role: 'COHOST' }],
      ['POST', '/api/sessions/s-1/participants/u-carol/role', { role: 'VIEWER' }],
      ['POST', '/api/sessions/s-1/participants/u-gus/mute', { audio: true, video: false }],
      ['POST', '/api/sessions/s-1/participants/u-gus/unmute-request', { audio: true, video: false }],
      ['DELETE', '/api/sessions/s-1/participants/u-dan', undefined],
    ]);
  });

  it('does not let a cohost act on another cohost', async () => {
    backend();
    renderWithApi(<HostPanel sessionId="s-1" you={{ userId: 'u-zed', role: 'COHOST' }} />, 'u-zed');
    await screen.findByRole('button', { name: 'Mute Gus' });
    expect(screen.queryByRole('button', { name: 'Move Carol to audience' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove Carol' })).toBeNull();
  });

  it('starts a recording and shows the indicator; lists recordings with their outputs’ status', async () => {
    const requests = backend({
      recordings: [
        {
          id: 'rec-0',
          state: 'ENDED',
          trigger: 'AUTO',
          requestedAt: '2026-11-21T17:00:00Z',
          outputs: [
            { format: 'MP3', status: 'COMPLETE', durationMillis: 1_795_000 },
            { format: 'MP4', status: 'FAILED', failureReason: 'no tracks published' },
          ],
        },
      ],
    });
    renderWithApi(<HostPanel sessionId="s-1" sessionRef="s-1" you={host} />);
    const list = await screen.findByRole('list', { name: 'Recordings of this session' });
    expect(list.textContent).toContain('MP3: ready, 29 min 55 s');
    expect(list.textContent).toContain('MP4: failed — no tracks published');
    expect(screen.queryByText('Recording')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    expect(await screen.findByText('Recording')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop recording' })).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST' && r.path === '/api/sessions/s-1/recordings')?.body).toEqual({});
  });

  it('masks the OBS stream key until "Show key", and never puts it in a request URL', async () => {
    const requests = backend();
    const { container } = renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    const key = await screen.findByTestId('obs-stream-key');
    expect(screen.getByText('OBS stream key')).toBeTruthy();
    expect(key.textContent).not.toContain(SECRET);
    expect(container.innerHTML).not.toContain(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'Show key' }));
    expect(key.textContent).toBe(SECRET);
    fireEvent.click(screen.getByRole('button', { name: 'Hide key' }));
    expect(container.innerHTML).not.toContain(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    expect(await screen.findByText(/The live OBS push on the old key was stopped/)).toBeTruthy();
    expect(container.innerHTML).not.toContain('live_sk_rotated');
    fireEvent.click(screen.getByRole('button', { name: 'Show key' }));
    expect(key.textContent).toBe('live_sk_rotated');
    expect(requests.every((r) => !r.path.includes('live_sk'))).toBe(true);
  });

  it('offers to create the OBS ingest when there is none', async () => {
    backend({ ingress: false });
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Create OBS ingest' }));
    expect(await screen.findByTestId('obs-stream-key')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows restream targets with the status from the stream events (FAILED with its reason) and starts one', async () => {
    const requests = backend();
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    const list = await screen.findByRole('list', { name: 'Restream targets' });
    await waitFor(() => expect(list.textContent).toContain('FAILED: connection refused by rtmps://dc4-1.rtmp.t.me (retry 2)'));
    expect(within(list).getByRole('button', { name: 'Stop restream to My channel' })).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Restream to YouTube main' }));
    await waitFor(() => expect(within(list).getByRole('button', { name: 'Stop restream to YouTube main' })).toBeTruthy());
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/sessions/s-1/stream/targets/t-2')).toBe(true);
    expect(requests.find((r) => r.path.endsWith('/stream/events'))?.authorization).toBe('Bearer token-of-u-alice');
  });

  it('names the failing field when saving a target is refused', async () => {
    const requests = backend({
      override: (method, path) =>
        method === 'POST' && path === '/api/me/restream-targets'
          ? json({ status: 400, title: 'Bad Request', detail: 'a Telegram server must be rtmps://*.rtmp.t.me/...', field: 'serverUrl' }, 400)
          : undefined,
    });
    renderWithApi(<HostPanel sessionId="s-1" you={host} />);
    fireEvent.click(await screen.findByText('Add a restream target'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Group' } });
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'TELEGRAM' } });
    fireEvent.change(screen.getByLabelText('Server URL'), { target: { value: 'rtmp://example.test/' } });
    fireEvent.change(screen.getByLabelText('Target stream key'), { target: { value: 'tg-secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save target' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('a Telegram server must be rtmps://*.rtmp.t.me/... (field: serverUrl)');
    expect(screen.getByLabelText('Server URL').getAttribute('aria-invalid')).toBe('true');
    const saved = requests.find((r) => r.method === 'POST' && r.path === '/api/me/restream-targets');
    expect(saved?.body).toEqual({ name: 'Group', kind: 'TELEGRAM', serverUrl: 'rtmp://example.test/', streamKey: 'tg-secret', autoStart: false });
  });

  it('shows cohosts the stream status but not the host’s ingest and targets', async () => {
    backend();
    renderWithApi(<HostPanel sessionId="s-1" you={cohost} />, 'u-carol');
    expect(await screen.findByText(/Stream live/)).toBeTruthy();
    expect(screen.queryByText('OBS stream key')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Restream targets' })).toBeNull();
  });
});
