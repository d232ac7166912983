/**
 * The joined room, above the routes so it survives navigation (the mini-player shows it elsewhere): the session
 * (by slug or id), the join (session-service), the LiveKit token (token-service), the LiveKit connection (media.ts),
 * the room channel (channel.ts) and, while you speak, the captions stream (speaker.ts).
 */
import type { Room } from 'livekit-client';
import {
  createContext,
  lazy,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useApi } from '../api/ApiContext';
import type { Api, SessionResponse } from '../api/client';
import type { components as TokenComponents } from '../api/generated/token-service';
import { useAuth } from '../auth/auth';
import { initialChannelState, RoomChannel, roomChannelUrl } from './channel';
import { grantsFromToken, NO_GRANTS, type PublishGrants } from './grants';
// livekit-client is loaded when a session's media starts (a chunk of its own), not with the first page
import type { Desired, MediaConnection, MediaSnapshot } from './media';
import { problemText } from './problem';
import { SpeakerStream, type SpeakerStatus } from './speaker';
import type { ChannelState, Participant, Role, RoomActions, StageRequest } from './state';

export type IssuedToken = TokenComponents['schemas']['IssuedToken'];

export interface RoomContextValue {
  /** the ref (slug or id) of the room you are in, null when none */
  ref: string | null;
  /** opens the room `ref` (leaving another one first); idempotent */
  enter: (ref: string) => void;
  loading: boolean;
  session: SessionResponse | null;
  /** the session could not be loaded (404, not visible) */
  loadError: string | null;
  /** joining or getting a media token failed; chat may still work */
  joinError: string | null;
  role: Role;
  onStage: boolean;
  isHost: boolean;
  ended: boolean;
  signedIn: boolean;
  token: IssuedToken | null;
  grants: PublishGrants;
  media: MediaSnapshot;
  mediaRoom: Room | null;
  channel: ChannelState;
  /** your raised hand (pending) with its place */
  myRequest: StageRequest | null;
  /** session-service's present participants, stage first, with LiveKit's live state where known */
  participants: Participant[];
  local: Desired;
  audioMuted: boolean;
  setAudioMuted: (muted: boolean) => void;
  speaker: { status: SpeakerStatus; detail?: string };
  actionError: string | null;
  clearActionError: () => void;
  actions: RoomActions;
}

const RoomCtx = createContext<RoomContextValue | null>(null);

export function useRoom(): RoomContextValue {
  const value = useContext(RoomCtx);
  if (!value) {
    throw new Error('useRoom outside <RoomProvider>');
  }
  return value;
}

/** The room when a provider is mounted (the mini-player renders nothing without one). */
export function useOptionalRoom(): RoomContextValue | null {
  return useContext(RoomCtx);
}

/** Lets tests (and storybook-like harnesses) provide a room state without any connection. */
export const RoomContextProvider = RoomCtx.Provider;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAGE_ROLES: Role[] = ['HOST', 'COHOST', 'GUEST'];
const IDLE_MEDIA: MediaSnapshot = { status: 'idle', participants: [], grants: null, canPlaybackAudio: true };
const NO_DESIRED: Desired = { microphone: false, camera: false, screenShare: false };

export async function loadSession(api: Api, ref: string): Promise<{ session?: SessionResponse; error?: string }> {
  const { data, error, response } = UUID.test(ref)
    ? await api.sessions.GET('/api/sessions/{id}', { params: { path: { id: ref } } })
    : await api.sessions.GET('/api/sessions/by-slug/{slug}', { params: { path: { slug: ref } } });
  if (data) {
    return { session: data };
  }
  return { error: response.status === 404 ? 'No such session' : problemText(error, response) };
}

function toRequest(r: {
  id?: string;
  userId?: string;
  identity?: string;
  name?: string;
  status?: string;
  xp?: number;
  requestedAt?: string;
  position?: number;
}): StageRequest {
  return {
    id: r.id ?? '',
    userId: r.userId ?? r.identity ?? '',
    name: r.name ?? r.userId ?? 'Someone',
    status: (r.status ?? 'PENDING') as StageRequest['status'],
    xp: r.xp ?? 0,
    requestedAt: r.requestedAt ?? '',
    position: r.position,
  };
}

const RoomAudio = lazy(() => import('./RoomAudio'));

interface Live {
  id: string;
  channel: RoomChannel;
  media: MediaConnection | null;
  /** the media module is being loaded for this session (startMedia runs once) */
  mediaLoading?: boolean;
  speaker: SpeakerStream | null;
}

export function RoomProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const auth = useAuth();
  const signedIn = Boolean(auth.user);
  const apiRef = useRef(api);
  apiRef.current = api;
  const authRef = useRef(auth);
  authRef.current = auth;

  const [ref, setRef] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [session, setSession] = useState<SessionResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  /** your role as the last word on it said: the join answer, a token answer or a `you` frame (latest wins) */
  const [joinRole, setJoinRole] = useState<Role | null>(null);
  const [token, setToken] = useState<IssuedToken | null>(null);
  const [channel, setChannel] = useState<ChannelState>(initialChannelState);
  const [media, setMedia] = useState<MediaSnapshot>(IDLE_MEDIA);
  const [mediaRoom, setMediaRoom] = useState<Room | null>(null);
  const [myRequest, setMyRequest] = useState<StageRequest | null>(null);
  const [sessionParticipants, setSessionParticipants] = useState<Participant[]>([]);
  const [local, setLocal] = useState<Desired>(NO_DESIRED);
  const [audioMuted, setAudioMuted] = useState(false);
  const [speaker, setSpeaker] = useState<{ status: SpeakerStatus; detail?: string }>({ status: 'idle' });
  const [actionError, setActionError] = useState<string | null>(null);

  const live = useRef<Live | null>(null);
  /** the room entered: the ref asked for, then its id and slug (the same room by another name is not re-entered) */
  const entered = useRef<{ ref: string; id?: string; slug?: string } | null>(null);
  const generation = useRef(0);
  const tokenRef = useRef<IssuedToken | null>(null);
  tokenRef.current = token;

  const fetchToken = useCallback(async (sessionId: string): Promise<IssuedToken> => {
    const { data, error, response } = await apiRef.current.tokens.POST('/api/tokens', {
      body: { session: sessionId, name: authRef.current.displayName ?? undefined },
    });
    if (!data) {
      throw new Error(
        response.status === 401 ? 'Sign in to join this session' : problemText(error, response),
      );
    }
    return data;
  }, []);

  /**
   * A token for a role just changed: token-service learns roles from its projection of the session's events
   * (docs/adr/0019), so for a moment after the change it may still answer the previous role; asked again a few times.
   */
  const fetchTokenAs = useCallback(
    async (sessionId: string, role: string): Promise<IssuedToken> => {
      let t = await fetchToken(sessionId);
      for (let attempt = 0; attempt < 8 && t.role !== role; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        t = await fetchToken(sessionId);
      }
      return t;
    },
    [fetchToken],
  );

  const teardown = useCallback(() => {
    const l = live.current;
    live.current = null;
    if (l) {
      l.channel.close();
      l.speaker?.stop();
      void l.media?.stop();
    }
  }, []);

  const reset = useCallback(() => {
    setSession(null);
    setLoadError(null);
    setJoinError(null);
    setJoinRole(null);
    setToken(null);
    setChannel(initialChannelState());
    setMedia(IDLE_MEDIA);
    setMediaRoom(null);
    setMyRequest(null);
    setSessionParticipants([]);
    setLocal(NO_DESIRED);
    setSpeaker({ status: 'idle' });
    setActionError(null);
  }, []);

  const startMedia = useCallback(
    (sessionId: string) => {
      const l = live.current;
      if (!l || l.id !== sessionId || l.media || l.mediaLoading) {
        return;
      }
      l.mediaLoading = true;
      import('./media').then(
        ({ MediaConnection, mediaUrl }) => {
          l.mediaLoading = false;
          if (live.current !== l || l.media) {
            return; // left (or started) while the module loaded
          }
          const m = new MediaConnection({
            credentials: async () => {
              // a fresh token each attempt: grants follow the current role (docs/adr/0002)
              const t = await fetchToken(sessionId);
              if (live.current === l) {
                setToken(t);
                setJoinRole((t.role as Role | undefined) ?? null);
              }
              return { url: mediaUrl(t.url), token: t.token ?? '' };
            },
          });
          l.media = m;
          m.subscribe((s) => {
            if (live.current === l) {
              setMedia(s);
            }
          });
          setMediaRoom(m.room);
          m.start();
        },
        () => {
          // the chunk could not be loaded (offline, or a new deployment replaced it): the media is unreachable
          l.mediaLoading = false;
          if (live.current === l) {
            setMedia({ ...IDLE_MEDIA, status: 'unreachable' });
          }
        },
      );
    },
    [fetchToken],
  );

  const enter = useCallback(
    (nextRef: string) => {
      const current = entered.current;
      if (current && (current.ref === nextRef || current.id === nextRef || current.slug === nextRef)) {
        return;
      }
      if (live.current && authRef.current.user) {
        const previous = live.current.id;
        void apiRef.current.sessions.POST('/api/sessions/{id}/leave', { params: { path: { id: previous } } });
      }
      teardown();
      reset();
      const gen = ++generation.current;
      entered.current = { ref: nextRef };
      setRef(nextRef);
      setLoading(true);
      void (async () => {
        const loaded = await loadSession(apiRef.current, nextRef);
        if (gen !== generation.current) {
          return;
        }
        if (!loaded.session?.id) {
          setLoadError(loaded.error ?? 'No such session');
          setLoading(false);
          return;
        }
        const s = loaded.session;
        const id = s.id as string;
        entered.current = { ref: nextRef, id, slug: s.slug };
        setSession(s);
        setLoading(false);
        if (s.status === 'ENDED' || s.status === 'CANCELLED') {
          return;
        }
        const ch = new RoomChannel({ url: roomChannelUrl(id), token: () => authRef.current.accessToken() });
        const l: Live = { id, channel: ch, media: null, speaker: null };
        live.current = l;
        ch.subscribe((state) => {
          if (live.current === l) {
            setChannel(state);
          }
        });
        ch.connect();
        // no separate join: the token answers the role, and LiveKit's participant_joined registers us in the
        // session (raising a hand does too, if the media never connects) — docs/adr/0019
        try {
          const t = await fetchToken(id);
          if (gen !== generation.current) {
            return;
          }
          setToken(t);
          setJoinRole((t.role as Role | undefined) ?? null);
        } catch (e) {
          if (gen === generation.current) {
            setJoinError(e instanceof Error ? e.message : String(e));
          }
          return;
        }
      })().catch((e: unknown) => {
        if (gen === generation.current) {
          setLoading(false);
          setLoadError(e instanceof Error ? e.message : String(e));
        }
      });
    },
    [teardown, reset, fetchToken, startMedia],
  );

  const sessionId = session?.id ?? null;
  const role: Role = joinRole ?? (channel.you?.role as Role | undefined) ?? 'VIEWER';
  const onStage = STAGE_ROLES.includes(role);
  const isHost = role === 'HOST' || role === 'COHOST';
  const ended = Boolean(channel.ended) || session?.status === 'ENDED' || channel.status === 'closed' && channel.session?.status === 'ENDED';
  const channelStatus = channel.session?.status;

  // the session is live (loaded so, joined so, or the `session.started` frame came): connect the media once there
  // is a token. MediaConnection fetches a fresh token for each attempt itself.
  const isLive = !ended && (session?.status === 'ACTIVE' || channelStatus === 'ACTIVE');
  const haveToken = token !== null;
  useEffect(() => {
    if (sessionId && isLive && haveToken) {
      startMedia(sessionId);
    }
  }, [sessionId, isLive, haveToken, startMedia]);
  useEffect(() => {
    if (channelStatus === 'ACTIVE') {
      setSession((s) => (s && s.status === 'SCHEDULED' ? { ...s, status: 'ACTIVE' } : s));
    }
  }, [channelStatus]);

  // the session ended: everything stops, the page says so
  useEffect(() => {
    if (!ended) {
      return;
    }
    const l = live.current;
    if (l) {
      l.speaker?.stop();
      l.speaker = null;
      void l.media?.stop();
    }
    setSession((s) => (s && s.status !== 'ENDED' ? { ...s, status: 'ENDED' } : s));
    setLocal(NO_DESIRED);
  }, [ended]);

  // your role changed (approved, promoted, moved to the audience): a token with the new grants (docs/adr/0002)
  const youRole = channel.you?.role;
  useEffect(() => {
    if (youRole) {
      setJoinRole(youRole as Role);
    }
  }, [youRole]);
  useEffect(() => {
    if (!sessionId || !youRole || !tokenRef.current || tokenRef.current.role === youRole || ended) {
      return;
    }
    let cancelled = false;
    fetchTokenAs(sessionId, youRole).then(
      (t) => {
        if (!cancelled) {
          setToken(t);
          setJoinRole((t.role as Role | undefined) ?? null);
        }
      },
      () => undefined,
    );
    if (STAGE_ROLES.includes(youRole as Role)) {
      setMyRequest(null);
    } else {
      setLocal(NO_DESIRED);
      void live.current?.media?.setDesired(NO_DESIRED);
    }
    return () => {
      cancelled = true;
    };
  }, [sessionId, youRole, ended, fetchTokenAs]);

  // hosts and cohosts: the whole queue, then `stage` frames keep it current
  const channelOpen = channel.status === 'open';
  useEffect(() => {
    if (!sessionId || !isHost || !channelOpen) {
      return;
    }
    let cancelled = false;
    void apiRef.current.sessions
      .GET('/api/sessions/{id}/stage-requests', { params: { path: { id: sessionId } } })
      .then(({ data }) => {
        if (!cancelled && data?.items) {
          live.current?.channel.dispatch({ type: 'local.queue', items: data.items.map(toRequest) });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [sessionId, isHost, channelOpen]);

  // your own place in the queue, polled while your hand is up (stage frames go to hosts only)
  const pending = myRequest?.status === 'PENDING';
  useEffect(() => {
    if (!sessionId || !pending) {
      return;
    }
    const timer = setInterval(() => {
      void apiRef.current.sessions
        .GET('/api/sessions/{id}/stage-requests', { params: { path: { id: sessionId } } })
        .then(({ data }) => {
          if (!data) {
            return;
          }
          setMyRequest((current) => {
            if (!current) {
              return current;
            }
            const mine = data.mine;
            if (mine?.status === 'APPROVED') {
              // on stage: a token minted now carries the new role and grants, whether or not the `you` frame came
              fetchToken(sessionId).then(
                (t) => {
                  if (live.current?.id === sessionId) {
                    setToken(t);
                    setJoinRole((t.role as Role | undefined) ?? null);
                  }
                },
                () => undefined,
              );
              return null;
            }
            return mine ? toRequest(mine) : null;
          });
        });
    }, 4000);
    return () => clearInterval(timer);
  }, [sessionId, pending, fetchToken]);

  // present participants: on join, on every participant event, and every 15 s
  const systemCount = channel.system.length;
  const loadParticipants = useCallback(async (id: string) => {
    const { data } = await apiRef.current.sessions.GET('/api/sessions/{id}/participants', { params: { path: { id } } });
    if (data && live.current?.id === id) {
      setSessionParticipants(
        data.map((p) => ({
          identity: p.identity ?? p.userId ?? '',
          userId: p.userId,
          name: p.name ?? p.identity ?? 'Someone',
          role: (p.role ?? 'VIEWER') as Role,
          onStage: p.onStage ?? false,
          audioMuted: p.audioMuted ?? true,
          videoMuted: p.videoMuted ?? true,
        })),
      );
    }
  }, []);
  useEffect(() => {
    if (!sessionId || ended || !live.current) {
      return;
    }
    void loadParticipants(sessionId);
    const timer = setInterval(() => void loadParticipants(sessionId), 15_000);
    return () => clearInterval(timer);
  }, [sessionId, ended, systemCount, youRole, loadParticipants]);

  // captions of your own voice: on stage, microphone on, session live, transcription on
  const transcription = session?.settings?.transcriptionEnabled !== false;
  const wantsCaptions = Boolean(
    sessionId && signedIn && onStage && local.microphone && session?.status === 'ACTIVE' && transcription && !ended,
  );
  useEffect(() => {
    const l = live.current;
    if (!wantsCaptions || !l || !sessionId) {
      return;
    }
    const s = new SpeakerStream({
      sessionId,
      token: () => authRef.current.accessToken(),
      onStatus: (status, detail) => {
        if (live.current === l) {
          setSpeaker({ status, detail });
        }
      },
    });
    l.speaker = s;
    void s.start();
    return () => {
      s.stop();
      if (l.speaker === s) {
        l.speaker = null;
      }
    };
  }, [wantsCaptions, sessionId]);

  // unmount: disconnect everything and forget the room (a remount, e.g. StrictMode's, enters it again)
  useEffect(
    () => () => {
      generation.current++;
      entered.current = null;
      teardown();
    },
    [teardown],
  );

  const tokenGrants = useMemo(() => grantsFromToken(token?.grants), [token]);
  const grants: PublishGrants = useMemo(() => {
    if (ended) {
      return NO_GRANTS;
    }
    const g = media.status === 'connected' && media.grants ? media.grants : null;
    if (!g) {
      return tokenGrants;
    }
    return {
      microphone: g.microphone || tokenGrants.microphone,
      camera: g.camera || tokenGrants.camera,
      screenShare: g.screenShare || tokenGrants.screenShare,
    };
  }, [media.status, media.grants, tokenGrants, ended]);

  // lost a grant: that device goes off
  useEffect(() => {
    setLocal((d) => {
      const next = {
        microphone: d.microphone && grants.microphone,
        camera: d.camera && grants.camera,
        screenShare: d.screenShare && grants.screenShare,
      };
      if (next.microphone === d.microphone && next.camera === d.camera && next.screenShare === d.screenShare) {
        return d;
      }
      void live.current?.media?.setDesired(next);
      return next;
    });
  }, [grants]);

  const participants: Participant[] = useMemo(() => {
    const byIdentity = new Map(media.participants.map((p) => [p.identity, p]));
    return sessionParticipants.map((p) => {
      const m = byIdentity.get(p.identity);
      return m
        ? { ...p, speaking: m.speaking, audioMuted: !m.microphoneOn, videoMuted: !m.cameraOn }
        : p;
    });
  }, [sessionParticipants, media.participants]);

  const actions: RoomActions = useMemo(() => {
    const need = (): string => {
      if (!sessionId) {
        throw new Error('Not in a room');
      }
      return sessionId;
    };
    const run = async (
      call: () => Promise<{ error?: unknown; response: Response }>,
      after?: () => void,
    ): Promise<void> => {
      setActionError(null);
      let result: { error?: unknown; response: Response };
      try {
        result = await call();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        setActionError(message);
        throw new Error(message);
      }
      if (!result.response.ok) {
        const message = problemText(result.error, result.response);
        setActionError(message);
        throw new Error(message);
      }
      after?.();
    };
    const s = () => apiRef.current.sessions;
    const toggle = async (key: keyof Desired) => {
      const next = { ...local, [key]: !local[key] };
      setLocal(next);
      await live.current?.media?.setDesired({ [key]: next[key] });
    };
    return {
      sendChat: (text) => live.current?.channel.sendChat(text) ?? '',
      react: (reaction) => {
        live.current?.channel.react(reaction);
      },
      raiseHand: async () => {
        setActionError(null);
        const { data, error, response } = await s().POST('/api/sessions/{id}/stage-requests', { params: { path: { id: need() } } });
        if (!data) {
          const message = problemText(error, response);
          setActionError(message);
          throw new Error(message);
        }
        setMyRequest(toRequest(data));
      },
      lowerHand: () =>
        run(
          () => s().DELETE('/api/sessions/{id}/stage-requests/mine', { params: { path: { id: need() } } }),
          () => setMyRequest(null),
        ),
      startSession: () =>
        run(
          () => s().POST('/api/sessions/{id}/start', { params: { path: { id: need() } } }),
          () => setSession((x) => (x ? { ...x, status: 'ACTIVE' } : x)),
        ),
      endSession: () =>
        run(
          () => s().POST('/api/sessions/{id}/end', { params: { path: { id: need() } } }),
          () => setSession((x) => (x ? { ...x, status: 'ENDED' } : x)),
        ),
      toggleMicrophone: () => toggle('microphone'),
      toggleCamera: () => toggle('camera'),
      toggleScreenShare: () => toggle('screenShare'),
      leave: async () => {
        const id = live.current?.id ?? sessionId;
        generation.current++;
        entered.current = null;
        teardown();
        reset();
        setRef(null);
        if (id && authRef.current.user) {
          await apiRef.current.sessions.POST('/api/sessions/{id}/leave', { params: { path: { id } } });
        }
      },
    };
  }, [sessionId, local, teardown, reset, loadParticipants]);

  const value: RoomContextValue = {
    ref,
    enter,
    loading,
    session,
    loadError,
    joinError,
    role,
    onStage,
    isHost,
    ended,
    signedIn,
    token,
    grants,
    media,
    mediaRoom,
    channel,
    myRequest,
    participants,
    local,
    audioMuted,
    setAudioMuted,
    speaker,
    actionError,
    clearActionError: () => setActionError(null),
    actions,
  };

  const playing = mediaRoom && (media.status === 'connected' || media.status === 'reconnecting');
  return (
    <RoomCtx.Provider value={value}>
      {children}
      {playing ? (
        <Suspense fallback={null}>
          <RoomAudio room={mediaRoom} muted={audioMuted} />
        </Suspense>
      ) : null}
    </RoomCtx.Provider>
  );
}
