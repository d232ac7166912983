/**
 * The room channel client (chat-service PROTOCOL.md, version 1), framework-free: one WebSocket per viewer per
 * session. It authenticates with the first frame (bearer token, or anonymous for PUBLIC sessions), reconnects with
 * backoff, resumes after the last chat seq it saw (history on the first connect), and folds every server frame into
 * a `ChannelState` with `reduce`.
 */
import type {
  Caption,
  ChannelError,
  ChannelState,
  ChatMessage,
  RecordingEvent,
  Role,
  Settings,
  StageRequest,
  You,
} from './state';

export const PROTOCOL_VERSION = 1;
/** chat messages kept in memory (the oldest go first) */
export const MAX_MESSAGES = 500;
export const MAX_CAPTIONS = 50;
export const MAX_REACTION_WINDOWS = 30;
export const MAX_SYSTEM = 50;
export const MAX_ERRORS = 20;

/** A frame from the server; `type` picks the shape (see PROTOCOL.md). */
export type ServerFrame = { type: string; v?: number } & Record<string, unknown>;

/** Things the app learns elsewhere (REST) and folds into the same state. */
export type LocalAction =
  | { type: 'local.status'; status: ChannelState['status']; closeReason?: string }
  | { type: 'local.sent'; clientMessageId: string; text: string; at: number }
  | { type: 'local.queue'; items: StageRequest[] }
  | { type: 'local.error'; code: string; message: string; at: number }
  | { type: 'local.history'; messages: ChatMessage[] };

export function initialChannelState(): ChannelState {
  return {
    status: 'idle',
    reactionTypes: [],
    maxTextLength: 500,
    presence: { viewers: 0, guests: 0 },
    messages: [],
    lastSeq: 0,
    pending: {},
    reactions: [],
    reactionsTotal: 0,
    stageQueue: [],
    captions: [],
    recording: { active: false, inProgress: [], events: [] },
    system: [],
    errors: [],
  };
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v == null ? fallback : String(v));
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const bool = (v: unknown, fallback = false): boolean => (typeof v === 'boolean' ? v : fallback);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function toYou(v: unknown): You {
  const y = obj(v);
  return {
    userId: y.userId == null ? null : str(y.userId),
    name: y.name == null ? null : str(y.name),
    role: (str(y.role, 'VIEWER') as Role) || 'VIEWER',
    anonymous: bool(y.anonymous),
    canChat: bool(y.canChat),
    moderator: bool(y.moderator),
  };
}

function toSettings(v: unknown): Settings {
  const s = obj(v);
  return {
    enableChat: bool(s.enableChat, true),
    enableReactions: bool(s.enableReactions, true),
    slowModeSeconds: num(s.slowModeSeconds),
    signedInOnly: bool(s.signedInOnly),
    reactionsOnly: bool(s.reactionsOnly),
  };
}

export function toMessage(v: unknown): ChatMessage | null {
  const m = obj(v);
  const id = str(m.messageId ?? m.id);
  if (!id) {
    return null;
  }
  const author = obj(m.author);
  return {
    id,
    seq: num(m.seq),
    author: { userId: str(author.userId), name: str(author.name, 'Someone'), role: str(author.role, 'VIEWER') },
    text: str(m.text),
    clientMessageId: m.clientMessageId == null ? null : str(m.clientMessageId),
    sentAt: str(m.sentAt),
    deleted: false,
  };
}

function toRequest(v: unknown, position?: number): StageRequest {
  const r = obj(v);
  return {
    id: str(r.id),
    userId: str(r.userId ?? r.identity),
    name: str(r.name, str(r.userId, 'Someone')),
    status: str(r.status, 'PENDING') as StageRequest['status'],
    xp: num(r.xp),
    requestedAt: str(r.requestedAt),
    position: typeof r.position === 'number' ? r.position : position,
  };
}

/** Adds messages in seq order, each id once (a message may arrive twice around a resume). */
export function mergeMessages(existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const ids = new Set(existing.map((m) => m.id));
  const fresh = incoming.filter((m) => {
    if (ids.has(m.id)) {
      return false;
    }
    ids.add(m.id);
    return true;
  });
  if (fresh.length === 0) {
    return existing;
  }
  const all = existing.concat(fresh);
  const last = existing.length > 0 ? existing[existing.length - 1].seq : -Infinity;
  if (fresh.some((m) => m.seq < last) || fresh.some((m, i) => i > 0 && m.seq < fresh[i - 1].seq)) {
    all.sort((a, b) => a.seq - b.seq);
  }
  return all.length > MAX_MESSAGES ? all.slice(all.length - MAX_MESSAGES) : all;
}

function renumber(queue: StageRequest[]): StageRequest[] {
  return queue.map((r, i) => (r.position === i + 1 ? r : { ...r, position: i + 1 }));
}

function push<T>(list: T[], item: T, max: number): T[] {
  const next = list.concat([item]);
  return next.length > max ? next.slice(next.length - max) : next;
}

function applyCaption(captions: Caption[], segment: unknown): Caption[] {
  const s = obj(segment);
  const streamId = str(s.streamId);
  const utteranceId = str(s.utteranceId);
  const key = `${streamId}/${utteranceId}`;
  const caption: Caption = {
    key,
    streamId,
    utteranceId,
    participantIdentity: str(s.participantIdentity),
    speakerName: str(s.speakerName, str(s.participantIdentity, 'Speaker')),
    text: str(s.text),
    isFinal: bool(s.isFinal ?? s.final),
    startAt: str(s.startAt),
    endAt: str(s.endAt),
    language: s.language == null ? undefined : str(s.language),
  };
  const index = captions.findIndex((c) => c.key === key);
  if (index >= 0) {
    if (captions[index].isFinal) {
      return captions; // a final never changes
    }
    const next = captions.slice();
    next[index] = caption;
    return next;
  }
  return push(captions, caption, MAX_CAPTIONS);
}

function applyRecording(state: ChannelState, frame: ServerFrame): ChannelState['recording'] {
  const event: RecordingEvent = {
    event: str(frame.event) as RecordingEvent['event'],
    recordingId: str(frame.recordingId),
    format: str(frame.format),
    trigger: frame.trigger == null ? undefined : str(frame.trigger),
    startedAt: frame.startedAt == null ? undefined : str(frame.startedAt),
    durationMillis: frame.durationMillis == null ? undefined : num(frame.durationMillis),
    sizeBytes: frame.sizeBytes == null ? undefined : num(frame.sizeBytes),
    downloadUrl: frame.downloadUrl == null ? undefined : str(frame.downloadUrl),
    reason: frame.reason == null ? undefined : str(frame.reason),
  };
  const key = `${event.recordingId}/${event.format}`;
  let inProgress = state.recording.inProgress;
  if (event.event === 'recording.started') {
    inProgress = inProgress.includes(key) ? inProgress : inProgress.concat([key]);
  } else {
    inProgress = inProgress.filter((k) => k !== key);
  }
  return { active: inProgress.length > 0, inProgress, events: push(state.recording.events, event, 20) };
}

/** The state after one server frame (or local action). Pure; `now` stamps reaction windows and notices. */
export function reduce(state: ChannelState, frame: ServerFrame | LocalAction, now: number = Date.now()): ChannelState {
  const f = frame as ServerFrame;
  switch (frame.type) {
    case 'local.status': {
      const a = frame as Extract<LocalAction, { type: 'local.status' }>;
      return { ...state, status: a.status, closeReason: a.closeReason ?? state.closeReason };
    }
    case 'local.sent': {
      const a = frame as Extract<LocalAction, { type: 'local.sent' }>;
      return { ...state, pending: { ...state.pending, [a.clientMessageId]: { text: a.text, at: a.at } } };
    }
    case 'local.queue': {
      const a = frame as Extract<LocalAction, { type: 'local.queue' }>;
      return { ...state, stageQueue: renumber(a.items.filter((r) => r.status === 'PENDING')) };
    }
    case 'local.error': {
      const a = frame as Extract<LocalAction, { type: 'local.error' }>;
      return { ...state, errors: push(state.errors, { code: a.code, message: a.message, at: a.at }, MAX_ERRORS) };
    }
    case 'local.history': {
      const a = frame as Extract<LocalAction, { type: 'local.history' }>;
      const messages = mergeMessages(state.messages, a.messages);
      return { ...state, messages, lastSeq: Math.max(state.lastSeq, ...a.messages.map((m) => m.seq)) };
    }
    case 'welcome': {
      const s = obj(f.session);
      const limits = obj(f.limits);
      const presence = obj(f.presence);
      return {
        ...state,
        status: 'open',
        closeReason: undefined,
        connectionId: str(f.connectionId),
        session: {
          id: str(s.id),
          title: str(s.title),
          status: str(s.status),
          visibility: str(s.visibility),
          kind: str(s.kind),
        },
        you: toYou(f.you),
        settings: toSettings(f.settings),
        reactionTypes: Array.isArray(f.reactions) ? f.reactions.map((r) => str(r)) : state.reactionTypes,
        presence: { viewers: num(presence.viewers), guests: num(presence.guests) },
        maxTextLength: num(limits.maxTextLength, state.maxTextLength),
      };
    }
    case 'chat.ack': {
      const { [str(f.clientMessageId)]: _acked, ...pending } = state.pending;
      return { ...state, pending };
    }
    case 'chat.message': {
      const message = toMessage(f.message);
      if (!message) {
        return state;
      }
      const messages = mergeMessages(state.messages, [message]);
      const lastSeq = Math.max(state.lastSeq, message.seq);
      let pending = state.pending;
      if (message.clientMessageId && pending[message.clientMessageId] && message.author.userId === state.you?.userId) {
        const { [message.clientMessageId]: _done, ...rest } = pending;
        pending = rest;
      }
      if (messages === state.messages && lastSeq === state.lastSeq && pending === state.pending) {
        return state;
      }
      return { ...state, messages, lastSeq, pending };
    }
    case 'chat.deleted': {
      const id = str(f.id);
      if (!state.messages.some((m) => m.id === id)) {
        return state;
      }
      return {
        ...state,
        messages: state.messages.map((m) =>
          m.id === id ? { ...m, deleted: true, deletedBy: f.deletedBy == null ? undefined : str(f.deletedBy) } : m,
        ),
      };
    }
    case 'reactions': {
      const counts: Record<string, number> = {};
      for (const [k, v] of Object.entries(obj(f.counts))) {
        counts[k] = num(v);
      }
      const total = num(f.total, Object.values(counts).reduce((a, b) => a + b, 0));
      const id = (state.reactions.length > 0 ? state.reactions[state.reactions.length - 1].id : 0) + 1;
      return {
        ...state,
        reactions: push(state.reactions, { id, counts, total, windowMs: num(f.windowMs, 500), at: now }, MAX_REACTION_WINDOWS),
        reactionsTotal: state.reactionsTotal + total,
      };
    }
    case 'presence':
      return { ...state, presence: { viewers: num(f.viewers), guests: num(f.guests) } };
    case 'system': {
      const event = str(f.event);
      let session = state.session;
      if (session && event === 'session.started') {
        session = { ...session, status: 'ACTIVE' };
      }
      const next = {
        ...state,
        session,
        system: push(
          state.system,
          {
            event,
            userId: f.userId == null ? null : str(f.userId),
            name: f.name == null ? null : str(f.name),
            role: f.role == null ? null : str(f.role),
            text: str(f.text, event),
            at: now,
          },
          MAX_SYSTEM,
        ),
      };
      if (event === 'session.ended') {
        return { ...next, session: session && { ...session, status: 'ENDED' }, ended: next.ended ?? { endedAt: '' } };
      }
      return next;
    }
    case 'stage': {
      const event = str(f.event);
      const request = toRequest(f.request);
      const others = state.stageQueue.filter((r) => r.id !== request.id);
      if (event === 'guest.requested' && request.status === 'PENDING') {
        const position = typeof f.position === 'number' ? f.position : others.length + 1;
        const index = Math.max(0, Math.min(others.length, position - 1));
        const queue = others.slice(0, index).concat([request], others.slice(index));
        return { ...state, stageQueue: renumber(queue) };
      }
      return { ...state, stageQueue: renumber(others) };
    }
    case 'unmute.request':
      return {
        ...state,
        unmuteRequest: { audio: bool(f.audio), video: bool(f.video), requestedBy: str(f.requestedBy), at: now },
      };
    case 'settings':
      return { ...state, settings: toSettings(f) };
    case 'you':
      return { ...state, you: toYou(f) };
    case 'resume.done':
      return { ...state, resume: { count: num(f.count), complete: bool(f.complete, true) } };
    case 'caption':
      return { ...state, captions: applyCaption(state.captions, f.segment) };
    case 'recording':
      return { ...state, recording: applyRecording(state, f) };
    case 'session.ended':
      return {
        ...state,
        ended: { endedAt: str(f.endedAt) },
        session: state.session && { ...state.session, status: 'ENDED' },
      };
    case 'error': {
      const error: ChannelError = {
        code: str(f.code, 'error'),
        message: str(f.message, str(f.code, 'error')),
        retryAfterMs: f.retryAfterMs == null ? undefined : num(f.retryAfterMs),
        until: f.until == null ? undefined : str(f.until),
        clientMessageId: f.clientMessageId == null ? undefined : str(f.clientMessageId),
        at: now,
      };
      let pending = state.pending;
      if (error.clientMessageId && pending[error.clientMessageId]) {
        const { [error.clientMessageId]: _refused, ...rest } = pending;
        pending = rest;
      }
      return { ...state, pending, errors: push(state.errors, error, MAX_ERRORS) };
    }
    default:
      return state;
  }
}

/** Close codes after which reconnecting cannot help (PROTOCOL.md). */
const FINAL_CLOSES: Record<number, string> = {
  1000: 'The session has ended',
  4403: 'You are not allowed in this session',
  4404: 'No such session',
};

export interface WebSocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface ChannelOptions {
  /** ws(s)://host/ws/sessions/{id} */
  url: string;
  /** the bearer token, or null to connect anonymously (PUBLIC sessions only) */
  token: () => Promise<string | null>;
  createSocket?: (url: string) => WebSocketLike;
  /** first retry delay; doubles up to maxDelayMs, with ±20 % jitter */
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** a fresh client message id */
  newId?: () => string;
}

/** The URL of the room channel on the page's own origin (the gateway proxies ws too). */
export function roomChannelUrl(sessionId: string, origin: { protocol: string; host: string } = location): string {
  const scheme = origin.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${origin.host}/ws/sessions/${encodeURIComponent(sessionId)}`;
}

let idCounter = 0;
function defaultId(): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID().replace(/-/g, '').slice(0, 16)
      : Math.random().toString(36).slice(2, 12);
  idCounter += 1;
  return `c-${random}-${idCounter}`;
}

export class RoomChannel {
  private socket: WebSocketLike | null = null;
  private listeners = new Set<(state: ChannelState) => void>();
  private attempts = 0;
  private timer: unknown = null;
  private stopped = false;
  private welcomed = false;
  private current: ChannelState = initialChannelState();
  private readonly opts: Required<Omit<ChannelOptions, 'url' | 'token'>> & Pick<ChannelOptions, 'url' | 'token'>;

  constructor(options: ChannelOptions) {
    this.opts = {
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      initialDelayMs: 500,
      maxDelayMs: 15_000,
      random: Math.random,
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      newId: defaultId,
      ...options,
    };
  }

  get state(): ChannelState {
    return this.current;
  }

  subscribe(listener: (state: ChannelState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Folds a frame or local action into the state and tells the listeners. */
  dispatch(action: ServerFrame | LocalAction): void {
    const next = reduce(this.current, action, this.opts.now());
    if (next !== this.current) {
      this.current = next;
      for (const l of this.listeners) {
        l(next);
      }
    }
  }

  connect(): void {
    this.stopped = false;
    if (this.socket) {
      return;
    }
    this.dispatch({ type: 'local.status', status: this.attempts === 0 && !this.welcomed ? 'connecting' : 'reconnecting' });
    let socket: WebSocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let firstWelcome = false;
    socket.onopen = () => {
      void this.opts.token().then(
        (token) => {
          if (this.socket !== socket) {
            return;
          }
          const frame: Record<string, unknown> = { type: 'auth', v: PROTOCOL_VERSION };
          if (token) {
            frame.token = token;
          }
          socket.send(JSON.stringify(frame));
        },
        () => socket.close(4000, 'no token'),
      );
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket || typeof ev.data !== 'string') {
        return;
      }
      let frame: ServerFrame;
      try {
        frame = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      if (!frame || typeof frame.type !== 'string') {
        return;
      }
      this.dispatch(frame);
      if (frame.type === 'welcome' && !firstWelcome) {
        firstWelcome = true;
        this.welcomed = true;
        this.attempts = 0;
        // history on the first connect (lastSeq 0), the missed messages after a reconnect
        this.sendFrame({ type: 'resume', lastSeq: this.current.lastSeq });
      } else if (frame.type === 'resume.done' && frame.complete === false && num(frame.count) > 0) {
        this.sendFrame({ type: 'resume', lastSeq: this.current.lastSeq });
      }
    };
    socket.onerror = () => {
      // onclose follows
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      const final = FINAL_CLOSES[ev.code];
      if (this.stopped) {
        this.dispatch({ type: 'local.status', status: 'closed' });
        return;
      }
      if (final || this.current.ended) {
        this.stopped = true;
        this.dispatch({ type: 'local.status', status: ev.code === 1000 ? 'closed' : 'refused', closeReason: ev.reason || final });
        return;
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.dispatch({ type: 'local.status', status: 'reconnecting' });
    const base = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** this.attempts);
    const delay = Math.round(base * (0.8 + 0.4 * this.opts.random()));
    this.attempts += 1;
    this.timer = this.opts.setTimer(() => {
      this.timer = null;
      if (!this.stopped) {
        this.connect();
      }
    }, delay);
  }

  /** Stops for good (leaving the room). */
  close(): void {
    this.stopped = true;
    if (this.timer != null) {
      this.opts.clearTimer(this.timer);
      this.timer = null;
    }
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'leaving');
    this.dispatch({ type: 'local.status', status: 'closed' });
  }

  private sendFrame(frame: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1 || this.current.status !== 'open') {
      return false;
    }
    socket.send(JSON.stringify({ ...frame, v: PROTOCOL_VERSION }));
    return true;
  }

  /** `chat.send`; returns the clientMessageId (the ack and the message carry it back). */
  sendChat(text: string): string {
    const clientMessageId = this.opts.newId();
    if (this.sendFrame({ type: 'chat.send', clientMessageId, text })) {
      this.dispatch({ type: 'local.sent', clientMessageId, text, at: this.opts.now() });
    } else {
      this.dispatch({ type: 'local.error', code: 'not_connected', message: 'Chat is reconnecting; try again in a moment', at: this.opts.now() });
    }
    return clientMessageId;
  }

  /** `reaction` (one of `welcome.reactions`); false when not connected */
  react(reaction: string): boolean {
    return this.sendFrame({ type: 'reaction', reaction });
  }
}
