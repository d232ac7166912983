import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Link, MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { AuthContext, type Auth } from '../auth/auth';
import { testAuth } from '../test/auth';
import type { MediaSnapshot } from './media';
import { MiniPlayer } from './MiniPlayer';
import { RoomPage } from './RoomPage';
import { RoomProvider } from './RoomProvider';
import { SESSION } from './testing';

// the LiveKit side never connects here: the media server is unreachable (as in the end-to-end setup without LiveKit)
const mediaInstances: { setDesired: ReturnType<typeof vi.fn>; stop: ReturnType<typeof vi.fn> }[] = [];
vi.mock('./media', () => ({
  mediaUrl: (u: string) => u,
  MediaConnection: class {
    room = {};
    private listeners = new Set<(s: MediaSnapshot) => void>();
    state: MediaSnapshot = { status: 'idle', participants: [], grants: null, canPlaybackAudio: true };
    setDesired = vi.fn(async () => {});
    stop = vi.fn(async () => {});
    constructor() {
      mediaInstances.push(this);
    }
    subscribe(l: (s: MediaSnapshot) => void) {
      this.listeners.add(l);
      return () => this.listeners.delete(l);
    }
    start() {
      this.state = { ...this.state, status: 'unreachable' };
      this.listeners.forEach((l) => l(this.state));
    }
  },
}));

class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const AUTH: Auth = testAuth('u-bob', { displayName: 'Bob', token: 'tok-bob' });

let role = 'VIEWER';
let status = 'ACTIVE';
let requests: { method: string; path: string; body: string }[] = [];

beforeEach(() => {
  role = 'VIEWER';
  status = 'ACTIVE';
  requests = [];
  mediaInstances.length = 0;
  FakeWebSocket.all = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      const body = input.method === 'GET' ? '' : await input.text();
      requests.push({ method: input.method, path: url.pathname, body });
      const id = SESSION.id;
      switch (`${input.method} ${url.pathname}`) {
        case 'GET /api/sessions/by-slug/k3v9q2xa':
          return json({ ...SESSION, status });
        case `POST /api/sessions/${id}/start`:
          status = 'ACTIVE';
          return json({ ...SESSION, status });
        case 'POST /api/tokens':
          return json({
            token: 'lk-token',
            url: 'ws://gateway.test/rtc',
            room: id,
            identity: 'u-bob',
            role,
            grants: role !== 'VIEWER' ? { roomJoin: true, canPublish: true, canPublishSources: ['microphone'] } : { roomJoin: true, canPublish: false },
          });
        case `GET /api/sessions/${id}/participants`:
          return json([{ identity: 'u-alice', name: 'Alice', role: 'HOST', onStage: true, audioMuted: false }]);
        case `POST /api/sessions/${id}/stage-requests`:
          return json({ id: 'r-1', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 0, requestedAt: '2026-11-21T18:05:00Z', position: 2 });
        case `GET /api/sessions/${id}/stage-requests`:
          return json({
            items: [],
            mine: { id: 'r-1', userId: 'u-bob', name: 'Bob', status: role === 'GUEST' ? 'APPROVED' : 'PENDING', xp: 0, requestedAt: '2026-11-21T18:05:00Z', position: role === 'GUEST' ? undefined : 1 },
          });
        case `POST /api/sessions/${id}/leave`:
          return new Response(null, { status: 204 });
        default:
          return json({ title: 'Not Found', status: 404, detail: `no route ${url.pathname}` }, 404);
      }
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function app() {
  return render(
    <AuthContext.Provider value={AUTH}>
      <ApiProvider baseUrl="http://gateway.test">
        <MemoryRouter initialEntries={['/s/k3v9q2xa']}>
          <RoomProvider>
            <nav>
              <Link to="/">Discover</Link>
            </nav>
            <Routes>
              <Route path="/" element={<h1>Discover</h1>} />
              <Route path="/s/:ref" element={<RoomPage />} />
            </Routes>
            <MiniPlayer />
          </RoomProvider>
        </MemoryRouter>
      </ApiProvider>
    </AuthContext.Provider>
  );
}

const WELCOME = {
  type: 'welcome',
  v: 1,
  connectionId: 'c1',
  session: { id: SESSION.id, title: 'Friday AMA', status: 'ACTIVE', visibility: 'PUBLIC', kind: 'AUDIO' },
  you: { userId: 'u-bob', name: 'Bob', role: 'VIEWER', anonymous: false, canChat: true, moderator: false },
  settings: { enableChat: true, enableReactions: true, slowModeSeconds: 0, signedInOnly: false, reactionsOnly: false },
  reactions: ['heart', 'fire', 'clap', 'laugh', 'wow'],
  presence: { viewers: 3, guests: 0 },
  lastSeq: 0,
  limits: { maxTextLength: 500 },
};

describe('RoomProvider with the room page', () => {
  it('gets a token, says the media server is unreachable, and chat and the stage keep working', async () => {
    app();
    await screen.findByRole('heading', { level: 1, name: 'Friday AMA' });
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    const ws = FakeWebSocket.all[0];
    expect(ws.url).toBe(`ws://${location.host}/ws/sessions/${SESSION.id}`);
    act(() => ws.open());
    await waitFor(() => expect(ws.sent[0]).toBe('{"type":"auth","v":1,"token":"tok-bob"}'));
    act(() => ws.receive(WELCOME));
    expect(JSON.parse(ws.sent[1])).toEqual({ type: 'resume', lastSeq: 0, v: 1 });
    await waitFor(() => expect(roomStatus().textContent).toContain('Media server unreachable'));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /api/tokens']));
    // no separate join: the token answers the role, LiveKit's participant_joined registers (docs/adr/0019)
    expect(requests.filter((r) => r.path.endsWith('/join'))).toHaveLength(0);
    expect(JSON.parse(requests.find((r) => r.path === '/api/tokens')!.body)).toEqual({ session: SESSION.id, name: 'Bob' });

    // chat goes on
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(JSON.parse(ws.sent[2])).toMatchObject({ type: 'chat.send', text: 'hello', v: 1 });

    // the stage goes on: raise your hand, see your place
    expect(screen.queryByRole('button', { name: 'Microphone' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    await screen.findByText('You are #2 in the queue', undefined, { timeout: 5000 });
    expect(screen.getByRole('button', { name: 'Lower hand' })).toBeTruthy();

    // approved: the `you` frame says GUEST, a new token carries the microphone grant (docs/adr/0002)
    role = 'GUEST';
    act(() => ws.receive({ ...WELCOME.you, type: 'you', v: 1, role: 'GUEST' }));
    const mic = await screen.findByRole('button', { name: 'Microphone' }, { timeout: 5000 });
      expect(mic.getAttribute('aria-pressed')).toBe('false');
      expect(roomStatus().textContent).toContain('You are on stage');
    expect(screen.queryByText(/in the queue/)).toBeNull();
    expect(requests.filter((r) => r.path === '/api/tokens')).toHaveLength(2);
    fireEvent.click(mic);
    await waitFor(() => expect(mic.getAttribute('aria-pressed')).toBe('true'));
    expect(mediaInstances[0].setDesired).toHaveBeenCalledWith({ microphone: true });

    // navigating away keeps the room: the mini-player shows it; Back to room returns without a new join
    fireEvent.click(screen.getByRole('link', { name: 'Discover' }));
    const player = await screen.findByRole('region', { name: 'Now playing' });
    expect(player.textContent).toContain('Friday AMA');
    fireEvent.click(screen.getByRole('link', { name: 'Back to room' }));
    await screen.findByRole('heading', { level: 1, name: 'Friday AMA' });
    expect(FakeWebSocket.all).toHaveLength(1);
    expect(requests.filter((r) => r.path === '/api/tokens')).toHaveLength(2);

    // the session ends for everyone
    act(() => ws.receive({ type: 'session.ended', v: 1, endedAt: '2026-11-21T19:00:00Z' }));
    await screen.findByRole('heading', { name: 'This session has ended' });
    expect(mediaInstances[0].stop).toHaveBeenCalled();
  });

  it('follows the place in the queue, and an approval seen by polling brings the grants without a `you` frame', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      app();
      await screen.findByRole('heading', { level: 1, name: 'Friday AMA' });
      await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
      const ws = FakeWebSocket.all[0];
      act(() => ws.open());
      await waitFor(() => expect(ws.sent).toHaveLength(1));
      act(() => ws.receive(WELCOME));
      fireEvent.click(await screen.findByRole('button', { name: 'Raise hand' }));
      await screen.findByText('You are #2 in the queue', undefined, { timeout: 5000 });
      await act(async () => {
        vi.advanceTimersByTime(4000);
      });
      await screen.findByText('You are #1 in the queue', undefined, { timeout: 5000 });
      role = 'GUEST';
      await act(async () => {
        vi.advanceTimersByTime(4000);
      });
      const mic = await screen.findByRole('button', { name: 'Microphone' }, { timeout: 5000 });
      expect(mic.getAttribute('aria-pressed')).toBe('false');
      expect(roomStatus().textContent).toContain('You are on stage');
      expect(screen.queryByText(/in the queue/)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a scheduled session: no media until the host starts it, then the media connects', async () => {
    role = 'HOST';
    status = 'SCHEDULED';
    app();
    await screen.findByRole('heading', { level: 1, name: 'Friday AMA' });
    await waitFor(() => expect(requests.some((r) => r.path === '/api/tokens')).toBe(true));
    expect(roomStatus().textContent).toContain('Waiting for the host to start');
    expect(mediaInstances).toHaveLength(0);
    fireEvent.click(await screen.findByRole('button', { name: 'Start session' }));
    await waitFor(() => expect(mediaInstances).toHaveLength(1));
    await waitFor(() => expect(roomStatus().textContent).toContain('Media server unreachable'));
    expect(screen.queryByRole('button', { name: 'Start session' })).toBeNull();
    expect(screen.getByRole('button', { name: 'End session for everyone' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Microphone' })).toBeTruthy();
  });

  it('a viewer waiting for the start: the session.started frame connects the media', async () => {
    status = 'SCHEDULED';
    app();
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    await waitFor(() => expect(requests.some((r) => r.path === '/api/tokens')).toBe(true));
    const ws = FakeWebSocket.all[0];
    act(() => ws.open());
    await waitFor(() => expect(ws.sent).toHaveLength(1));
    act(() => ws.receive({ ...WELCOME, session: { ...WELCOME.session, status: 'SCHEDULED' } }));
    expect(mediaInstances).toHaveLength(0);
    act(() => ws.receive({ v: 1, type: 'system', event: 'session.started', userId: 'u-alice', name: null, role: 'HOST', text: 'The session started' }));
    await waitFor(() => expect(mediaInstances).toHaveLength(1));
    await waitFor(() => expect(roomStatus().textContent).toContain('Media server unreachable'));
  });

  it('Leave in the mini-player leaves the session and closes everything', async () => {
    app();
    await screen.findByRole('heading', { level: 1, name: 'Friday AMA' });
    await waitFor(() => expect(FakeWebSocket.all).toHaveLength(1));
    await waitFor(() => expect(requests.some((r) => r.path === '/api/tokens')).toBe(true));
    fireEvent.click(screen.getByRole('link', { name: 'Discover' }));
    const player = await screen.findByRole('region', { name: 'Now playing' });
    fireEvent.click(buttonIn(player, 'Leave'));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Now playing' })).toBeNull());
    await waitFor(() => expect(requests.some((r) => r.method === 'POST' && r.path.endsWith('/leave'))).toBe(true));
    expect(FakeWebSocket.all[0].readyState).toBe(3);
  });
});

function buttonIn(el: HTMLElement, name: string): HTMLElement {
  const button = Array.from(el.querySelectorAll('button')).find((b) => b.textContent === name);
  if (!button) {
    throw new Error(`no button ${name}`);
  }
  return button;
}

/** The room's status line (the panels have role=status hints of their own, e.g. the chat's "Connecting to the chat…"). */
function roomStatus(): HTMLElement {
  const line = screen.getAllByRole('status').find((el) => el.classList.contains('room-status'));
  if (!line) {
    throw new Error('no room status line');
  }
  return line;
}
