/**
 * The floating mini-player: while you are in a room and look at another page, a small "Now playing" region with the
 * title, who speaks (or the last caption), mute, "Back to room" and "Leave". The audio keeps playing (it is rendered
 * by RoomProvider, above the routes).
 */
import { Link, useLocation } from 'react-router-dom';
import { useOptionalRoom, type RoomContextValue } from './RoomProvider';
import './room.css';

export function liveLine(room: RoomContextValue): string {
  const caption = room.channel.captions.length > 0 ? room.channel.captions[room.channel.captions.length - 1] : null;
  if (caption) {
    return `${caption.speakerName}: ${caption.text}`;
  }
  const speaking = room.participants.filter((p) => p.speaking).map((p) => p.name);
  if (speaking.length > 0) {
    return `${speaking.join(', ')} speaking`;
  }
  const onStage = room.participants.filter((p) => p.onStage).map((p) => p.name);
  return onStage.length > 0 ? `On stage: ${onStage.join(', ')}` : 'Nobody is speaking';
}

export function MiniPlayer() {
  const room = useOptionalRoom();
  const location = useLocation();
  if (!room || !room.ref || !room.session) {
    return null;
  }
  const refs = [room.ref, room.session.id, room.session.slug].filter(Boolean).map((r) => `/s/${r}`);
  if (refs.some((r) => location.pathname === r || location.pathname === `${r}/`)) {
    return null;
  }
  const title = room.session.title ?? 'Session';
  return (
    <section aria-label="Now playing" className="mini-player">
      <h2>{title}</h2>
      <p className="mini-line" aria-live="off">
        {room.ended ? 'This session has ended' : liveLine(room)}
      </p>
      <div className="mini-actions">
        {!room.ended ? (
          <button type="button" aria-pressed={room.audioMuted} onClick={() => room.setAudioMuted(!room.audioMuted)}>
            Mute
          </button>
        ) : null}
        <Link to={`/s/${room.session.slug ?? room.ref}`}>Back to room</Link>
        <button type="button" onClick={() => void room.actions.leave().catch(() => undefined)}>
          Leave
        </button>
      </div>
    </section>
  );
}
