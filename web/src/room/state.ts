/**
 * The room's state and actions, as the room core (RoomProvider, channel.ts) exposes them to the room's
 * presentational components (chat panel, reactions bar, captions, host panel). Types follow chat-service's
 * PROTOCOL.md (room channel, version 1) and session-service's API.
 */

export type Role = 'HOST' | 'COHOST' | 'GUEST' | 'VIEWER';

/** A chat message (`chat.message`), `deleted` once a moderator removed it (`chat.deleted`). */
export interface ChatMessage {
  id: string;
  seq: number;
  author: { userId: string; name: string; role: Role | string };
  text: string;
  clientMessageId?: string | null;
  sentAt: string;
  deleted: boolean;
  deletedBy?: string;
}

/** A raised hand (`stage` frames for hosts and cohosts; `GET stage-requests` for everyone). */
export interface StageRequest {
  id: string;
  userId: string;
  name: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'EXPIRED';
  xp: number;
  requestedAt: string;
  /** 1-based place in the queue while pending */
  position?: number;
}

/** A caption line, keyed by `streamId` + `utteranceId`; partials are replaced, a final never changes. */
export interface Caption {
  key: string;
  streamId: string;
  utteranceId: string;
  participantIdentity: string;
  speakerName: string;
  text: string;
  isFinal: boolean;
  startAt: string;
  endAt: string;
  language?: string;
}

/** `presence`: open room-channel connections (viewers) and guests on stage. */
export interface Presence {
  viewers: number;
  guests: number;
}

/** `welcome.you` / `you`: who you are in this room. */
export interface You {
  userId: string | null;
  name: string | null;
  role: Role;
  anonymous: boolean;
  canChat: boolean;
  moderator: boolean;
}

/** `welcome.settings` / `settings`: the room's chat settings. */
export interface Settings {
  enableChat: boolean;
  enableReactions: boolean;
  slowModeSeconds: number;
  signedInOnly: boolean;
  reactionsOnly: boolean;
}

export interface RecordingEvent {
  event: 'recording.started' | 'recording.ready' | 'recording.failed';
  recordingId: string;
  format: string;
  trigger?: string;
  startedAt?: string;
  durationMillis?: number;
  sizeBytes?: number;
  downloadUrl?: string;
  reason?: string;
}

/** Recording as the room channel reports it: `active` while a `recording.started` has no ready/failed yet. */
export interface RecordingState {
  active: boolean;
  /** recordings in progress, by recordingId + format */
  inProgress: string[];
  events: RecordingEvent[];
}

/** One `reactions` frame: aggregated counts for a window (500 ms); `at` = local receive time (ms). */
export interface ReactionWindow {
  id: number;
  counts: Record<string, number>;
  total: number;
  windowMs: number;
  at: number;
}

/** A `system` frame, readable line in `text`. */
export interface SystemEvent {
  event: string;
  userId?: string | null;
  name?: string | null;
  role?: string | null;
  text: string;
  at: number;
}

/** A refused frame or a moderation notice (`error`). */
export interface ChannelError {
  code: string;
  message: string;
  retryAfterMs?: number;
  until?: string;
  clientMessageId?: string;
  at: number;
}

/** A participant shown by the host panel (session-service participants + LiveKit state). */
export interface Participant {
  identity: string;
  userId?: string;
  name: string;
  role: Role;
  onStage: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
  speaking?: boolean;
}

export type ChannelStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'refused';

/** Everything the room channel tells; `reduce` in channel.ts builds it from server frames. */
export interface ChannelState {
  status: ChannelStatus;
  /** why the server closed us for good (4401, 4403, 4404, …) */
  closeReason?: string;
  connectionId?: string;
  session?: { id: string; title: string; status: string; visibility: string; kind: string };
  you?: You;
  settings?: Settings;
  reactionTypes: string[];
  maxTextLength: number;
  presence: Presence;
  /** chat messages in seq order, deduplicated by id */
  messages: ChatMessage[];
  /** highest chat seq seen */
  lastSeq: number;
  /** client message ids sent but not acked yet */
  pending: Record<string, { text: string; at: number }>;
  reactions: ReactionWindow[];
  /** reactions counted since you joined (sum of every window's total) */
  reactionsTotal: number;
  /** the stage queue as hosts and cohosts see it (pending only), queue order */
  stageQueue: StageRequest[];
  captions: Caption[];
  recording: RecordingState;
  system: SystemEvent[];
  errors: ChannelError[];
  /** the last `unmute.request` addressed to you */
  unmuteRequest?: { audio: boolean; video: boolean; requestedBy: string; at: number };
  ended?: { endedAt: string };
  resume?: { count: number; complete: boolean };
}

export type ReactionType = 'heart' | 'fire' | 'clap' | 'laugh' | 'wow' | string;

/** What the room's components can do. Every action resolves when done and rejects with a readable Error. */
/**
 * What the room core does itself. Moderation and host controls are the chat panel's and the host panel's own REST
 * calls (src/room/chat, src/room/host): one place for each.
 */
export interface RoomActions {
  /** sends `chat.send` with a fresh clientMessageId; returns that id */
  sendChat(text: string): string;
  react(reaction: ReactionType): void;
  raiseHand(): Promise<void>;
  lowerHand(): Promise<void>;
  startSession(): Promise<void>;
  endSession(): Promise<void>;
  toggleMicrophone(): Promise<void>;
  toggleCamera(): Promise<void>;
  toggleScreenShare(): Promise<void>;
  leave(): Promise<void>;
}
