/**
 * The LiveKit side of the room: one livekit-client `Room`, connected with token-service's token and URL. When the
 * media server cannot be reached within a few seconds, or the connection drops for good, the state says
 * `unreachable` (the page says "Media server unreachable"; chat, stage and captions go on without it) and it retries
 * in the background with backoff, asking for a fresh token each time.
 */
import { ConnectionState, DisconnectReason, Room, RoomEvent, Track, type Participant } from 'livekit-client';
import { grantsFromPermissions, type PublishGrants } from './grants';

/** `closed`: LiveKit ended our connection on purpose (removed, room deleted, same identity elsewhere): no retry */
export type MediaStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed';

export interface MediaParticipant {
  identity: string;
  name: string;
  isLocal: boolean;
  speaking: boolean;
  microphoneOn: boolean;
  cameraOn: boolean;
  screenShareOn: boolean;
  /** role from the participant metadata token-service sets (`{"role":"GUEST",…}`) */
  role?: string;
  participant: Participant;
}

export interface MediaSnapshot {
  status: MediaStatus;
  participants: MediaParticipant[];
  /** the local participant's live permissions; null until connected */
  grants: PublishGrants | null;
  canPlaybackAudio: boolean;
  /** the last publish failure (device refused, permission) */
  error?: string;
}

export interface MediaCredentials {
  url: string;
  token: string;
}

export interface MediaOptions {
  /** a fresh token and URL for each attempt (token-service) */
  credentials: () => Promise<MediaCredentials>;
  /** after this long without a connection the state says unreachable (the attempt goes on) */
  unreachableAfterMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  createRoom?: () => Room;
}

/** The token's URL as a WebSocket URL on the page's origin when it is relative (the gateway proxies LiveKit). */
export function mediaUrl(url: string | undefined, origin: { protocol: string; host: string } = location): string {
  const scheme = origin.protocol === 'https:' ? 'wss' : 'ws';
  if (!url) {
    return `${scheme}://${origin.host}`;
  }
  if (/^wss?:\/\//.test(url)) {
    return url;
  }
  if (/^https?:\/\//.test(url)) {
    return url.replace(/^http/, 'ws');
  }
  return `${scheme}://${origin.host}${url.startsWith('/') ? '' : '/'}${url}`;
}

function roleOf(p: Participant): string | undefined {
  if (!p.metadata) {
    return undefined;
  }
  try {
    const role = (JSON.parse(p.metadata) as { role?: unknown }).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}

function describe(p: Participant, isLocal: boolean): MediaParticipant {
  return {
    identity: p.identity,
    name: p.name || p.identity,
    isLocal,
    speaking: p.isSpeaking,
    microphoneOn: p.isMicrophoneEnabled,
    cameraOn: p.isCameraEnabled,
    screenShareOn: p.isScreenShareEnabled,
    role: roleOf(p),
    participant: p,
  };
}

const ROOM_EVENTS: RoomEvent[] = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.ParticipantMetadataChanged,
  RoomEvent.ParticipantPermissionsChanged,
  RoomEvent.AudioPlaybackStatusChanged,
];

export interface Desired {
  microphone: boolean;
  camera: boolean;
  screenShare: boolean;
}

export class MediaConnection {
  readonly room: Room;
  private snapshot: MediaSnapshot = { status: 'idle', participants: [], grants: null, canPlaybackAudio: true };
  private listeners = new Set<(s: MediaSnapshot) => void>();
  private stopped = true;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private unreachableTimer: ReturnType<typeof setTimeout> | null = null;
  private connecting = false;
  private desired: Desired = { microphone: false, camera: false, screenShare: false };
  private readonly opts: Required<MediaOptions>;

  constructor(options: MediaOptions) {
    this.opts = {
      unreachableAfterMs: 4000,
      retryInitialMs: 3000,
      retryMaxMs: 30_000,
      createRoom: () => new Room({ adaptiveStream: true, dynacast: true }),
      ...options,
    };
    this.room = this.opts.createRoom();
    const refresh = () => this.refresh();
    for (const e of ROOM_EVENTS) {
      this.room.on(e, refresh);
    }
    this.room.on(RoomEvent.ConnectionStateChanged, (state: ConnectionState) => {
      if (state === ConnectionState.Connected) {
        this.set({ status: 'connected' });
      } else if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) {
        this.set({ status: 'reconnecting' });
      }
    });
    this.room.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      if (this.stopped || this.connecting) {
        return;
      }
      if (
        reason === DisconnectReason.PARTICIPANT_REMOVED ||
        reason === DisconnectReason.ROOM_DELETED ||
        reason === DisconnectReason.DUPLICATE_IDENTITY
      ) {
        this.set({ status: 'closed', participants: [] });
        return;
      }
      this.set({ status: 'unreachable', participants: [] });
      this.scheduleRetry();
    });
  }

  get state(): MediaSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (s: MediaSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<MediaSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) {
      l(this.snapshot);
    }
  }

  private refresh(): void {
    if (this.room.state !== ConnectionState.Connected && this.room.state !== ConnectionState.Reconnecting) {
      return;
    }
    const participants = [describe(this.room.localParticipant, true)].concat(
      Array.from(this.room.remoteParticipants.values()).map((p) => describe(p, false)),
    );
    this.set({
      participants,
      grants: grantsFromPermissions(this.room.localParticipant.permissions),
      canPlaybackAudio: this.room.canPlaybackAudio,
    });
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.attempt = 0;
    void this.tryConnect();
  }

  private async tryConnect(): Promise<void> {
    if (this.stopped || this.connecting) {
      return;
    }
    this.connecting = true;
    if (this.snapshot.status !== 'unreachable') {
      this.set({ status: 'connecting' });
    }
    this.unreachableTimer = setTimeout(() => {
      if (!this.stopped && this.snapshot.status !== 'connected') {
        this.set({ status: 'unreachable' });
      }
    }, this.opts.unreachableAfterMs);
    try {
      const { url, token } = await this.opts.credentials();
      if (this.stopped) {
        return;
      }
      await this.room.connect(url, token, {
        autoSubscribe: true,
        maxRetries: 0,
        websocketTimeout: 10_000,
        peerConnectionTimeout: 10_000,
      });
      if (this.stopped) {
        await this.room.disconnect();
        return;
      }
      this.attempt = 0;
      this.set({ status: 'connected', error: undefined });
      this.refresh();
      await this.apply();
    } catch {
      if (!this.stopped) {
        this.set({ status: 'unreachable', participants: [] });
        this.scheduleRetry();
      }
    } finally {
      this.connecting = false;
      if (this.unreachableTimer) {
        clearTimeout(this.unreachableTimer);
        this.unreachableTimer = null;
      }
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) {
      return;
    }
    const delay = Math.min(this.opts.retryMaxMs, this.opts.retryInitialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.tryConnect();
    }, delay);
  }

  /** What the user wants on; applied now when connected, else on connect. */
  async setDesired(desired: Partial<Desired>): Promise<void> {
    this.desired = { ...this.desired, ...desired };
    await this.apply();
  }

  private async apply(): Promise<void> {
    if (this.room.state !== ConnectionState.Connected) {
      return;
    }
    const lp = this.room.localParticipant;
    const grants = grantsFromPermissions(lp.permissions);
    try {
      if (lp.isMicrophoneEnabled !== this.desired.microphone && (!this.desired.microphone || grants?.microphone)) {
        await lp.setMicrophoneEnabled(this.desired.microphone);
      }
      if (lp.isCameraEnabled !== this.desired.camera && (!this.desired.camera || grants?.camera)) {
        await lp.setCameraEnabled(this.desired.camera);
      }
      if (lp.isScreenShareEnabled !== this.desired.screenShare && (!this.desired.screenShare || grants?.screenShare)) {
        await lp.setScreenShareEnabled(this.desired.screenShare);
      }
      this.set({ error: undefined });
    } catch (e) {
      this.set({ error: e instanceof Error ? e.message : String(e) });
    }
    this.refresh();
  }

  /** The local track of `source` (for the video grid). */
  localTrack(source: Track.Source) {
    return this.room.localParticipant.getTrackPublication(source);
  }

  async startAudio(): Promise<void> {
    await this.room.startAudio();
    this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.unreachableTimer) {
      clearTimeout(this.unreachableTimer);
      this.unreachableTimer = null;
    }
    this.set({ status: 'idle', participants: [], grants: null });
    await this.room.disconnect();
  }
}
