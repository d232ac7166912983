import { RoomAudioRenderer } from '@livekit/components-react';
import type { Room } from 'livekit-client';

/** Plays every remote participant's audio (LiveKit's renderer); loaded lazily with the media, not with the first page. */
export default function RoomAudio({ room, muted }: { room: Room; muted: boolean }) {
  return <RoomAudioRenderer room={room} muted={muted} />;
}
