import { ConnectionState, DisconnectReason, RoomEvent, type Room } from 'livekit-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { grantsFromPermissions, grantsFromToken } from './grants';
import { MediaConnection, mediaUrl } from './media';

/** A stand-in for livekit-client's Room: events, a connect the test decides, a local participant. */
class FakeRoom {
  state: ConnectionState = ConnectionState.Disconnected;
  handlers = new Map<string, ((...a: unknown[]) => void)[]>();
  connects: { url: string; token: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  remoteParticipants = new Map();
  canPlaybackAudio = true;
  localParticipant = {
    identity: 'u-bob',
    name: 'Bob',
    isSpeaking: false,
    isMicrophoneEnabled: false,
    isCameraEnabled: false,
    isScreenShareEnabled: false,
    metadata: '{"role":"GUEST"}',
    permissions: { canPublish: true, canPublishSources: [2] } as { canPublish: boolean; canPublishSources: number[] },
    setMicrophoneEnabled: vi.fn(async (on: boolean) => {
      this.localParticipant.isMicrophoneEnabled = on;
    }),
    setCameraEnabled: vi.fn(async () => {}),
    setScreenShareEnabled: vi.fn(async () => {}),
  };
  on(event: string, fn: (...a: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) {
      fn(...args);
    }
  }
  connect(url: string, token: string) {
    return new Promise<void>((resolve, reject) => {
      this.connects.push({
        url,
        token,
        resolve: () => {
          this.state = ConnectionState.Connected;
          resolve();
        },
        reject,
      });
    });
  }
  disconnect = vi.fn(async () => {
    this.state = ConnectionState.Disconnected;
  });
  startAudio = vi.fn(async () => {});
}

const flush = async () => {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
};

describe('MediaConnection', () => {
  let room: FakeRoom;
  let tokens: number;
  let media: MediaConnection;
  beforeEach(() => {
    vi.useFakeTimers();
    room = new FakeRoom();
    tokens = 0;
    media = new MediaConnection({
      credentials: async () => ({ url: 'ws://gateway/rtc', token: `t${++tokens}` }),
      createRoom: () => room as unknown as Room,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says unreachable when no connection within 4 s, and connected once it comes', async () => {
    media.start();
    await flush();
    expect(media.state.status).toBe('connecting');
    expect(room.connects[0]).toMatchObject({ url: 'ws://gateway/rtc', token: 't1' });
    vi.advanceTimersByTime(4000);
    expect(media.state.status).toBe('unreachable');
    room.connects[0].resolve();
    await flush();
    expect(media.state.status).toBe('connected');
    expect(media.state.grants).toEqual({ microphone: true, camera: false, screenShare: false });
    expect(media.state.participants[0]).toMatchObject({ identity: 'u-bob', isLocal: true, role: 'GUEST' });
  });

  it('a failed connect retries in the background with a fresh token and growing waits', async () => {
    media.start();
    await flush();
    room.connects[0].reject(new Error('could not establish signal connection'));
    await flush();
    expect(media.state.status).toBe('unreachable');
    vi.advanceTimersByTime(2999);
    await flush();
    expect(room.connects).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await flush();
    expect(room.connects).toHaveLength(2);
    expect(room.connects[1].token).toBe('t2');
    room.connects[1].reject(new Error('again'));
    await flush();
    vi.advanceTimersByTime(5999);
    await flush();
    expect(room.connects).toHaveLength(2);
    vi.advanceTimersByTime(1);
    await flush();
    expect(room.connects).toHaveLength(3);
    room.connects[2].resolve();
    await flush();
    expect(media.state.status).toBe('connected');
  });

  it('a dropped connection is unreachable and retried; a removal is final', async () => {
    media.start();
    await flush();
    room.connects[0].resolve();
    await flush();
    room.state = ConnectionState.Disconnected;
    room.emit(RoomEvent.Disconnected, DisconnectReason.SIGNAL_CLOSE);
    expect(media.state.status).toBe('unreachable');
    vi.advanceTimersByTime(3000);
    await flush();
    expect(room.connects).toHaveLength(2);
    room.connects[1].resolve();
    await flush();
    room.state = ConnectionState.Disconnected;
    room.emit(RoomEvent.Disconnected, DisconnectReason.PARTICIPANT_REMOVED);
    expect(media.state.status).toBe('closed');
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(room.connects).toHaveLength(2);
  });

  it('publishes the microphone only when wanted and granted, also after a late connect', async () => {
    await media.setDesired({ microphone: true });
    expect(room.localParticipant.setMicrophoneEnabled).not.toHaveBeenCalled();
    media.start();
    await flush();
    room.connects[0].resolve();
    await flush();
    expect(room.localParticipant.setMicrophoneEnabled).toHaveBeenCalledWith(true);
    await media.setDesired({ camera: true }); // not granted
    expect(room.localParticipant.setCameraEnabled).not.toHaveBeenCalled();
  });

  it('stop() disconnects and stops retrying', async () => {
    media.start();
    await flush();
    room.connects[0].reject(new Error('down'));
    await flush();
    await media.stop();
    expect(room.disconnect).toHaveBeenCalled();
    expect(media.state.status).toBe('idle');
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(room.connects).toHaveLength(1);
  });
});

describe('grants', () => {
  it('from the token (object or JSON string), by role', () => {
    expect(grantsFromToken({ roomJoin: true, canPublish: false, canSubscribe: true })).toEqual({ microphone: false, camera: false, screenShare: false });
    expect(grantsFromToken('{"roomJoin":true,"canPublish":true,"canPublishSources":["microphone"]}')).toEqual({ microphone: true, camera: false, screenShare: false });
    expect(grantsFromToken({ canPublish: true, canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'] })).toEqual({
      microphone: true,
      camera: true,
      screenShare: true,
    });
    expect(grantsFromToken(undefined)).toEqual({ microphone: false, camera: false, screenShare: false });
  });

  it('from LiveKit permissions (protocol source numbers)', () => {
    expect(grantsFromPermissions(undefined)).toBeNull();
    expect(grantsFromPermissions({ canPublish: true, canPublishSources: [1, 2] })).toEqual({ microphone: true, camera: true, screenShare: false });
    expect(grantsFromPermissions({ canPublish: false, canPublishSources: [2] })).toEqual({ microphone: false, camera: false, screenShare: false });
  });

  it('media URL: absolute kept, relative on the page origin', () => {
    expect(mediaUrl('wss://sfu.example', { protocol: 'https:', host: 'a' })).toBe('wss://sfu.example');
    expect(mediaUrl('/rtc', { protocol: 'https:', host: 'live.example' })).toBe('wss://live.example/rtc');
    expect(mediaUrl('http://x:7880', { protocol: 'http:', host: 'a' })).toBe('ws://x:7880');
  });
});
