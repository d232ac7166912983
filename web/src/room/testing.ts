import { vi } from 'vitest';
import type { SessionResponse } from '../api/client';
import { initialChannelState } from './channel';
import { NO_GRANTS } from './grants';
import type { RoomContextValue } from './RoomProvider';
import type { ChannelState, RoomActions } from './state';

export function fakeActions(): RoomActions & Record<string, ReturnType<typeof vi.fn>> {
  const done = () => vi.fn(async () => {});
  return {
    sendChat: vi.fn(() => 'c-1'),
    react: vi.fn(),
    raiseHand: done(),
    lowerHand: done(),
    startSession: done(),
    endSession: done(),
    toggleMicrophone: done(),
    toggleCamera: done(),
    toggleScreenShare: done(),
    leave: done(),
  } as RoomActions & Record<string, ReturnType<typeof vi.fn>>;
}

export const SESSION: SessionResponse = {
  id: '0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00',
  slug: 'k3v9q2xa',
  title: 'Friday AMA',
  kind: 'AUDIO',
  visibility: 'PUBLIC',
  status: 'ACTIVE',
  hostId: 'u-alice',
  settings: { transcriptionEnabled: true },
};

export function openChannel(patch: Partial<ChannelState> = {}): ChannelState {
  return {
    ...initialChannelState(),
    status: 'open',
    you: { userId: 'u-bob', name: 'Bob', role: 'VIEWER', anonymous: false, canChat: true, moderator: false },
    settings: { enableChat: true, enableReactions: true, slowModeSeconds: 0, signedInOnly: false, reactionsOnly: false },
    reactionTypes: ['heart', 'fire', 'clap', 'laugh', 'wow'],
    presence: { viewers: 5, guests: 0 },
    ...patch,
  };
}

/** A room state without connections, for component tests. */
export function fakeRoom(patch: Partial<RoomContextValue> = {}): RoomContextValue {
  return {
    ref: 'k3v9q2xa',
    enter: vi.fn(),
    loading: false,
    session: SESSION,
    loadError: null,
    joinError: null,
    role: 'VIEWER',
    onStage: false,
    isHost: false,
    ended: false,
    signedIn: true,
    token: null,
    grants: NO_GRANTS,
    media: { status: 'connected', participants: [], grants: null, canPlaybackAudio: true },
    mediaRoom: null,
    channel: openChannel(),
    myRequest: null,
    participants: [],
    local: { microphone: false, camera: false, screenShare: false },
    audioMuted: false,
    setAudioMuted: vi.fn(),
    speaker: { status: 'idle' },
    actionError: null,
    clearActionError: vi.fn(),
    actions: fakeActions(),
    ...patch,
  };
}
