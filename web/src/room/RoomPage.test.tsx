import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { AuthContext, type Auth } from '../auth/auth';
import { testAuth } from '../test/auth';
import { MiniPlayer } from './MiniPlayer';
import { RoomContextProvider, type RoomContextValue } from './RoomProvider';
import { RoomView } from './RoomPage';
import { DEFAULT_SLOTS, type RoomSlots } from './slots';
import { fakeRoom, openChannel, SESSION } from './testing';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AUTH: Auth = testAuth('u-bob', { displayName: 'Bob', token: 'tok' });

/** The full panels load their own data (participants, recordings, stream): every call answers an empty list here. */
function show(room: RoomContextValue, slots: RoomSlots = DEFAULT_SLOTS) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } })),
  );
  return render(
    <AuthContext.Provider value={AUTH}>
      <ApiProvider baseUrl="http://localhost">
        <MemoryRouter>
          <RoomView room={room} slots={slots} />
        </MemoryRouter>
      </ApiProvider>
    </AuthContext.Provider>,
  );
}

describe('RoomView', () => {
  it('title, status line and audience counts', () => {
    show(
      fakeRoom({
        channel: openChannel({ presence: { viewers: 7, guests: 1 } }),
        participants: [
          { identity: 'u-alice', name: 'Alice', role: 'HOST', onStage: true, audioMuted: false, videoMuted: true, speaking: true },
          { identity: 'u-carl', name: 'Carl', role: 'GUEST', onStage: true, audioMuted: true, videoMuted: true },
          { identity: 'u-bob', name: 'Bob', role: 'VIEWER', onStage: false, audioMuted: true, videoMuted: true },
        ],
      }),
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Friday AMA' })).toBeTruthy();
    expect(roomStatus().textContent).toContain('Connected');
    const audience = screen.getByLabelText('Audience');
    expect(audience.textContent).toContain('5 listening');
    expect(audience.textContent).toContain('2 on stage');
    const speakers = within(screen.getByRole('list', { name: 'Speakers' })).getAllByRole('listitem');
    expect(speakers.map((li) => li.textContent)).toEqual([
      expect.stringContaining('Alice'),
      expect.stringContaining('Carl'),
    ]);
    expect(speakers[0].textContent).toContain('speaking');
    expect(speakers[1].textContent).toContain('muted');
  });

  it('media unreachable: says so, and chat, stage and captions keep working', () => {
    const room = fakeRoom({
      media: { status: 'unreachable', participants: [], grants: null, canPlaybackAudio: true },
      channel: openChannel({
        messages: [
          { id: 'm1', seq: 1, author: { userId: 'u-alice', name: 'Alice', role: 'HOST' }, text: 'Hello room', sentAt: '', deleted: false },
        ],
        captions: [
          { key: 's/u1', streamId: 's', utteranceId: 'u1', participantIdentity: 'u-alice', speakerName: 'Alice', text: 'Welcome to the show', isFinal: true, startAt: '', endAt: '' },
        ],
      }),
    });
    show(room);
    expect(roomStatus().textContent).toContain('Media server unreachable');
    expect(within(screen.getByRole('log', { name: 'Chat messages' })).getByText(/Hello room/).textContent).toBe('Alice: Hello room');
    expect(within(screen.getByRole('log', { name: 'Live captions' })).getByText('Alice: Welcome to the show')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'still here' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(room.actions.sendChat).toHaveBeenCalledWith('still here');
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    expect(room.actions.raiseHand).toHaveBeenCalled();
  });

  it('a listener has no device toggles; they appear exactly as the grants allow', () => {
    const { unmount } = show(fakeRoom());
    for (const name of ['Microphone', 'Camera', 'Share screen']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    unmount();
    const room = fakeRoom({
      role: 'GUEST',
      onStage: true,
      grants: { microphone: true, camera: false, screenShare: false },
      local: { microphone: true, camera: false, screenShare: false },
    });
    show(room);
    const mic = screen.getByRole('button', { name: 'Microphone' });
    expect(mic.getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByRole('button', { name: 'Camera' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Share screen' })).toBeNull();
    expect(roomStatus().textContent).toContain('You are on stage');
    expect(screen.queryByRole('button', { name: 'Raise hand' })).toBeNull();
    fireEvent.click(mic);
    expect(room.actions.toggleMicrophone).toHaveBeenCalled();
  });

  it('a host of a VIDEO session gets microphone, camera and screen share', () => {
    show(
      fakeRoom({
        session: { ...SESSION, kind: 'VIDEO' },
        role: 'HOST',
        isHost: true,
        onStage: true,
        grants: { microphone: true, camera: true, screenShare: true },
      }),
    );
    for (const name of ['Microphone', 'Camera', 'Share screen']) {
      expect(screen.getByRole('button', { name }).getAttribute('aria-pressed')).toBe('false');
    }
    expect(screen.getByRole('list', { name: 'Video' })).toBeTruthy();
  });

  it('raised hand: your place in the queue and Lower hand', () => {
    const room = fakeRoom({
      myRequest: { id: 'r1', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 0, requestedAt: '', position: 3 },
    });
    show(room);
    expect(screen.getByText('You are #3 in the queue')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Raise hand' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Lower hand' }));
    expect(room.actions.lowerHand).toHaveBeenCalled();
  });

  it('host before the start: Start session; End session asks first', () => {
    const room = fakeRoom({ session: { ...SESSION, status: 'SCHEDULED' }, role: 'HOST', isHost: true, onStage: true });
    show(room);
    fireEvent.click(screen.getByRole('button', { name: 'Start session' }));
    expect(room.actions.startSession).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'End session for everyone' }));
    const dialog = screen.getByRole('dialog');
    // while it asks, the only "End session" button is the dialog's
    expect(screen.getAllByRole('button', { name: /End session/ })).toHaveLength(1);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(room.actions.endSession).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'End session for everyone' }));
    fireEvent.click(screen.getByRole('button', { name: 'End session for everyone' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'End session' }));
    expect(room.actions.endSession).toHaveBeenCalled();
  });

  it('a cohost may start but not end; a viewer neither', () => {
    const { unmount } = show(fakeRoom({ session: { ...SESSION, status: 'SCHEDULED' }, role: 'COHOST', isHost: true, onStage: true }));
    expect(screen.getByRole('button', { name: 'Start session' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'End session for everyone' })).toBeNull();
    unmount();
    show(fakeRoom({ session: { ...SESSION, status: 'SCHEDULED' } }));
    expect(screen.queryByRole('button', { name: 'Start session' })).toBeNull();
  });

  it('an unmute request from the host: Unmute turns the microphone on, Not now dismisses it', () => {
    const room = fakeRoom({
      role: 'GUEST',
      onStage: true,
      grants: { microphone: true, camera: false, screenShare: false },
      channel: openChannel({ unmuteRequest: { audio: true, video: false, requestedBy: 'u-alice', at: 5 } }),
    });
    show(room);
    expect(screen.getByRole('alert').textContent).toContain('A host asks you to unmute');
    fireEvent.click(screen.getByRole('button', { name: 'Unmute' }));
    expect(room.actions.toggleMicrophone).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByText(/asks you to unmute/)).toBeNull();
  });

  it('renders the slots it is given; the host panel only for hosts and cohosts', () => {
    const slots: RoomSlots = {
      chat: (r) => <p>chat slot {r.channel.messages.length}</p>,
      reactions: () => <p>reactions slot</p>,
      captions: () => <p>captions slot</p>,
      hostPanel: () => <p>host slot</p>,
    };
    const { unmount } = show(fakeRoom(), slots);
    for (const text of ['chat slot 0', 'reactions slot', 'captions slot']) {
      expect(screen.getByText(text)).toBeTruthy();
    }
    expect(screen.queryByText('host slot')).toBeNull();
    unmount();
    show(fakeRoom({ role: 'COHOST', isHost: true, onStage: true }), slots);
    expect(screen.getByText('host slot')).toBeTruthy();
  });

  it('ended: everyone sees it', () => {
    show(fakeRoom({ ended: true, session: { ...SESSION, status: 'ENDED' } }));
    expect(screen.getByRole('heading', { name: 'This session has ended' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Raise hand' })).toBeNull();
  });

  it('cancelled: says so, no controls', () => {
    show(fakeRoom({ session: { ...SESSION, status: 'CANCELLED' } }));
    expect(screen.getByRole('heading', { name: 'This session was cancelled' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Raise hand' })).toBeNull();
  });

  it('a session that cannot be loaded says why', () => {
    show(fakeRoom({ session: null, loadError: 'No such session' }));
    expect(screen.getByRole('alert').textContent).toBe('No such session');
  });
});

describe('accessibility (axe-core; colour contrast needs a real browser)', () => {
  it('listener, host with a queue and the end dialog, and the ended room have no violations', async () => {
    const rooms = [
      fakeRoom({
        media: { status: 'unreachable', participants: [], grants: null, canPlaybackAudio: true },
        myRequest: { id: 'r1', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 0, requestedAt: '', position: 1 },
        participants: [{ identity: 'u-alice', name: 'Alice', role: 'HOST', onStage: true, audioMuted: false, videoMuted: true }],
      }),
      fakeRoom({
        role: 'HOST',
        isHost: true,
        onStage: true,
        grants: { microphone: true, camera: true, screenShare: true },
        session: { ...SESSION, kind: 'VIDEO' },
        participants: [{ identity: 'u-carl', name: 'Carl', role: 'GUEST', onStage: true, audioMuted: true, videoMuted: true }],
        channel: openChannel({
          you: { userId: 'u-alice', name: 'Alice', role: 'HOST', anonymous: false, canChat: true, moderator: true },
          stageQueue: [{ id: 'r-bob', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 0, requestedAt: '', position: 1 }],
          messages: [{ id: 'm1', seq: 1, author: { userId: 'u-bob', name: 'Bob', role: 'VIEWER' }, text: 'hi', sentAt: '', deleted: false }],
        }),
      }),
      fakeRoom({ ended: true, session: { ...SESSION, status: 'ENDED' } }),
    ];
    for (const [i, room] of rooms.entries()) {
      const { container, unmount } = show(room);
      if (i === 1) {
        fireEvent.click(screen.getByRole('button', { name: 'End session for everyone' }));
      }
      const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
      unmount();
    }
  });
});

describe('MiniPlayer', () => {
  function at(path: string, room: RoomContextValue) {
    return render(
      <RoomContextProvider value={room}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="*" element={<MiniPlayer />} />
          </Routes>
        </MemoryRouter>
      </RoomContextProvider>,
    );
  }

  it('shows "Now playing" away from the room, with the live caption, mute, back and leave', () => {
    const room = fakeRoom({
      channel: openChannel({
        captions: [
          { key: 's/u1', streamId: 's', utteranceId: 'u1', participantIdentity: 'u-alice', speakerName: 'Alice', text: 'Hi all', isFinal: false, startAt: '', endAt: '' },
        ],
      }),
    });
    at('/', room);
    const player = screen.getByRole('region', { name: 'Now playing' });
    expect(within(player).getByText('Friday AMA')).toBeTruthy();
    expect(within(player).getByText('Alice: Hi all')).toBeTruthy();
    expect(within(player).getByRole('link', { name: 'Back to room' }).getAttribute('href')).toBe('/s/k3v9q2xa');
    fireEvent.click(within(player).getByRole('button', { name: 'Mute' }));
    expect(room.setAudioMuted).toHaveBeenCalledWith(true);
    fireEvent.click(within(player).getByRole('button', { name: 'Leave' }));
    expect(room.actions.leave).toHaveBeenCalled();
  });

  it('is hidden on the room page itself (by slug or id) and when not in a room', () => {
    const { unmount } = at('/s/k3v9q2xa', fakeRoom());
    expect(screen.queryByRole('region', { name: 'Now playing' })).toBeNull();
    unmount();
    const second = at(`/s/${SESSION.id}`, fakeRoom());
    expect(screen.queryByRole('region', { name: 'Now playing' })).toBeNull();
    second.unmount();
    at('/', fakeRoom({ ref: null, session: null }));
    expect(screen.queryByRole('region', { name: 'Now playing' })).toBeNull();
  });
});

/** The room's status line (the panels have role=status hints of their own, e.g. the chat's "Connecting to the chat…"). */
function roomStatus(): HTMLElement {
  const line = screen.getAllByRole('status').find((el) => el.classList.contains('room-status'));
  if (!line) {
    throw new Error('no room status line');
  }
  return line;
}
