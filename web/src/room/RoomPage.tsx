/**
 * The room at `/s/:ref`: title, status line, audience counts, the stage (AUDIO) or video grid (VIDEO), your controls
 * (microphone, camera, screen share as your grants allow; raise or lower your hand), host lifecycle (start, end for
 * everyone) and the slots for chat, reactions, captions and the host panel.
 */
import { StartAudio, VideoTrack, type TrackReference } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../auth/auth';
import type { MediaParticipant } from './media';
import { useRoom, type RoomContextValue } from './RoomProvider';
import { DEFAULT_SLOTS, type RoomSlots } from './slots';
import type { Participant } from './state';
import './room.css';

/** The status line's connection text. */
export function connectionText(room: RoomContextValue): string {
  if (room.loading) {
    return 'Loading the session…';
  }
  if (room.ended) {
    return 'The session has ended';
  }
  if (room.session?.status === 'CANCELLED') {
    return 'The session was cancelled';
  }
  const parts: string[] = [];
  const status = room.session?.status;
  if (status === 'SCHEDULED') {
    parts.push('Waiting for the host to start the session');
  } else if (status === 'ACTIVE') {
    switch (room.media.status) {
      case 'connected':
        parts.push('Connected');
        break;
      case 'connecting':
      case 'idle':
        parts.push(room.token || room.joinError ? 'Connecting to the media server…' : 'Joining…');
        break;
      case 'reconnecting':
        parts.push('Reconnecting to the media server…');
        break;
      case 'unreachable':
        parts.push('Media server unreachable: audio and video are paused, chat, stage and captions keep working. Retrying…');
        break;
      case 'closed':
        parts.push('Disconnected from the media server');
        break;
    }
  }
  switch (room.channel.status) {
    case 'connecting':
      parts.push('Chat connecting…');
      break;
    case 'reconnecting':
      parts.push('Chat reconnecting…');
      break;
    case 'refused':
      parts.push(`Chat unavailable: ${room.channel.closeReason ?? 'refused'}`);
      break;
    default:
      break;
  }
  return parts.join(' · ');
}

function SpeakerList({ speakers }: { speakers: Participant[] }) {
  return (
    <ul className="room-speakers" aria-label="Speakers">
      {speakers.map((p) => (
        <li key={p.identity} className={p.speaking ? 'speaking' : undefined}>
          <span className="room-avatar" aria-hidden="true">
            {p.name.slice(0, 1).toUpperCase()}
          </span>
          <span className="room-name">{p.name}</span>
          <span className="room-role muted">{p.role.toLowerCase()}</span>
          <span className="room-state">
            {p.speaking ? 'speaking' : p.audioMuted ? 'muted' : 'unmuted'}
          </span>
        </li>
      ))}
      {speakers.length === 0 ? <li className="muted">Nobody on stage yet</li> : null}
    </ul>
  );
}

function tracksOf(p: MediaParticipant): TrackReference[] {
  const refs: TrackReference[] = [];
  for (const source of [Track.Source.Camera, Track.Source.ScreenShare]) {
    const publication = p.participant.getTrackPublication(source);
    if (publication && !publication.isMuted && (p.isLocal || publication.isSubscribed)) {
      refs.push({ participant: p.participant, publication, source });
    }
  }
  return refs;
}

function VideoGrid({ room, speakers }: { room: RoomContextValue; speakers: Participant[] }) {
  const tiles = room.media.participants.flatMap((p) => tracksOf(p).map((ref) => ({ p, ref })));
  const withVideo = new Set(tiles.map((t) => t.p.identity));
  const placeholders = speakers.filter((s) => !withVideo.has(s.identity));
  return (
    <ul className="room-grid" aria-label="Video">
      {tiles.map(({ p, ref }) => (
        <li key={`${p.identity}-${ref.source}`} className={p.speaking ? 'speaking' : undefined}>
          <VideoTrack trackRef={ref} aria-label={`${p.name}${ref.source === Track.Source.ScreenShare ? ' (screen)' : ''}`} />
          <span className="room-tile-name">
            {p.name}
            {ref.source === Track.Source.ScreenShare ? ' (screen)' : ''} {p.microphoneOn ? '' : '· muted'}
          </span>
        </li>
      ))}
      {placeholders.map((s) => (
        <li key={s.identity} className={`room-tile-empty${s.speaking ? ' speaking' : ''}`}>
          <span className="room-avatar" aria-hidden="true">
            {s.name.slice(0, 1).toUpperCase()}
          </span>
          <span className="room-tile-name">
            {s.name} · camera off{s.audioMuted ? ' · muted' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function EndDialog({ onConfirm, onCancel }: { onConfirm: () => void; onCancel: () => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        onCancel();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="room-dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="room-end-title" aria-describedby="room-end-text" className="room-dialog">
        <h2 id="room-end-title">End the session for everyone?</h2>
        <p id="room-end-text">Everyone leaves the room, and the session cannot be started again.</p>
        <button ref={confirmRef} type="button" className="danger" onClick={onConfirm}>
          End session
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function RoomView({ room, slots = DEFAULT_SLOTS }: { room: RoomContextValue; slots?: RoomSlots }) {
  const auth = useAuth();
  const endButton = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // the dialog closed without ending: focus goes back to the button that opened it
    if (wasConfirming.current && !confirmEnd) {
      endButton.current?.focus();
    }
    wasConfirming.current = confirmEnd;
  }, [confirmEnd]);
  const [busy, setBusy] = useState(false);
  const [dismissedUnmute, setDismissedUnmute] = useState<number | null>(null);
  const { session, channel, actions } = room;

  if (room.loadError) {
    return (
      <section aria-labelledby="room-title">
        <h1 id="room-title">Session unavailable</h1>
        <p role="alert">{room.loadError}</p>
        <p>
          <Link to="/">Back to Discover</Link>
        </p>
      </section>
    );
  }
  const title = session?.title ?? channel.session?.title ?? 'Loading…';
  const speakers = room.participants.filter((p) => p.onStage);
  const onStageCount = speakers.length > 0 ? speakers.length : channel.presence.guests;
  const listening = Math.max(0, channel.presence.viewers - onStageCount);
  const kind = session?.kind ?? channel.session?.kind;
  const status = session?.status;
  const pending = room.myRequest?.status === 'PENDING' ? room.myRequest : null;
  const act = (p: Promise<void>) => {
    setBusy(true);
    p.catch(() => undefined).finally(() => setBusy(false));
  };

  return (
    <article className="room" aria-labelledby="room-title">
      <header className="room-head">
        <h1 id="room-title">{title}</h1>
        <p role="status" className="room-status">
          <span>{connectionText(room)}</span>
          {room.onStage && !room.ended && status === 'ACTIVE' ? <span className="room-onstage"> · You are on stage</span> : null}
        </p>
        {room.joinError ? <p role="alert">{room.joinError}</p> : null}
        {room.actionError ? <p role="alert">{room.actionError}</p> : null}
        {room.media.error ? <p role="alert">Media: {room.media.error}</p> : null}
      </header>

      {status === 'CANCELLED' ? (
        <section aria-labelledby="room-ended" className="room-ended">
          <h2 id="room-ended">This session was cancelled</h2>
          <p>
            <Link to="/">Back to Discover</Link>
          </p>
        </section>
      ) : room.ended ? (
        <section aria-labelledby="room-ended" className="room-ended">
          <h2 id="room-ended">This session has ended</h2>
          <p>
            <Link to="/">Back to Discover</Link>
          </p>
        </section>
      ) : (
        <>
          <div role="group" aria-label="Audience" className="room-audience">
            <span>{listening} listening</span> · <span>{onStageCount} on stage</span>
          </div>

          {kind === 'VIDEO' ? <VideoGrid room={room} speakers={speakers} /> : <SpeakerList speakers={speakers} />}

          {room.mediaRoom && room.media.status === 'connected' ? (
            <StartAudio room={room.mediaRoom} label="Start audio" className="room-start-audio" />
          ) : null}

          <div className="room-controls" role="group" aria-label="Your controls">
            {room.grants.microphone ? (
              <button type="button" aria-pressed={room.local.microphone} onClick={() => act(actions.toggleMicrophone())}>
                Microphone
              </button>
            ) : null}
            {room.grants.camera ? (
              <button type="button" aria-pressed={room.local.camera} onClick={() => act(actions.toggleCamera())}>
                Camera
              </button>
            ) : null}
            {room.grants.screenShare ? (
              <button type="button" aria-pressed={room.local.screenShare} onClick={() => act(actions.toggleScreenShare())}>
                Share screen
              </button>
            ) : null}
            {!room.onStage && room.signedIn ? (
              pending ? (
                <>
                  <span aria-live="polite">
                    {pending.position ? `You are #${pending.position} in the queue` : 'Your hand is raised'}
                  </span>{' '}
                  <button type="button" disabled={busy} onClick={() => act(actions.lowerHand())}>
                    Lower hand
                  </button>
                </>
              ) : (
                <button type="button" disabled={busy} onClick={() => act(actions.raiseHand())}>
                  Raise hand
                </button>
              )
            ) : null}
            {!room.signedIn && auth.available ? <span className="muted">Sign-in is needed to raise your hand.</span> : null}
            {room.myRequest?.status === 'REJECTED' ? <span>Your request to speak was declined</span> : null}
            {room.isHost && status === 'SCHEDULED' ? (
              <button type="button" disabled={busy} onClick={() => act(actions.startSession())}>
                Start session
              </button>
            ) : null}
            {room.role === 'HOST' && (status === 'ACTIVE' || status === 'SCHEDULED') && !confirmEnd ? (
              <button ref={endButton} type="button" className="danger" onClick={() => setConfirmEnd(true)}>
                End session for everyone
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => {
                void actions.leave().catch(() => undefined);
                navigate('/');
              }}
            >
              Leave
            </button>
          </div>

          {channel.unmuteRequest &&
          channel.unmuteRequest.at !== dismissedUnmute &&
          room.onStage &&
          room.grants.microphone &&
          !room.local.microphone ? (
            <p role="alert" className="room-unmute">
              A host asks you to unmute.{' '}
              <button type="button" onClick={() => act(actions.toggleMicrophone())}>
                Unmute
              </button>{' '}
              <button type="button" onClick={() => setDismissedUnmute(channel.unmuteRequest?.at ?? null)}>
                Not now
              </button>
            </p>
          ) : null}
          {room.onStage && room.local.microphone && room.speaker.status !== 'idle' ? (
            <p className="muted room-speaker">
              Your live captions:{' '}
              {room.speaker.status === 'streaming'
                ? 'on'
                : room.speaker.status === 'unavailable'
                  ? `unavailable${room.speaker.detail ? ` (${room.speaker.detail})` : ''}`
                  : room.speaker.status === 'reconnecting'
                    ? 'reconnecting…'
                    : 'starting…'}
            </p>
          ) : null}

          {confirmEnd ? (
            <EndDialog
              onCancel={() => setConfirmEnd(false)}
              onConfirm={() => {
                setConfirmEnd(false);
                act(actions.endSession());
              }}
            />
          ) : null}
        </>
      )}

      <div className="room-panels">
        {!room.ended ? slots.captions(room) : null}
        {!room.ended ? slots.reactions(room) : null}
        {slots.chat(room)}
        {room.isHost && !room.ended ? slots.hostPanel(room) : null}
      </div>
    </article>
  );
}

/** The route element: enters the room named in the URL, then shows it. */
export function RoomPage({ slots }: { slots?: RoomSlots }) {
  const { ref } = useParams();
  const room = useRoom();
  const { enter } = room;
  useEffect(() => {
    if (ref) {
      enter(ref);
    }
  }, [ref, enter]);
  return <RoomView room={room} slots={slots} />;
}
