/**
 * Where the room page takes its chat panel, reactions bar, captions and host panel from. Until the full components
 * (src/room/chat, reactions, captions, host) are merged, the room's own minimal ones (fallback/) fill the slots; to
 * swap, change only this file (web/docs/room.md, "Slots").
 */
import type { ReactNode } from 'react';
import { MinimalCaptions } from './fallback/MinimalCaptions';
import { MinimalChat } from './fallback/MinimalChat';
import { MinimalHostPanel } from './fallback/MinimalHostPanel';
import { MinimalReactions } from './fallback/MinimalReactions';
import type { RoomContextValue } from './RoomProvider';

export interface RoomSlots {
  chat: (room: RoomContextValue) => ReactNode;
  reactions: (room: RoomContextValue) => ReactNode;
  captions: (room: RoomContextValue) => ReactNode;
  hostPanel: (room: RoomContextValue) => ReactNode;
}

export const DEFAULT_SLOTS: RoomSlots = {
  chat: (room) => <MinimalChat channel={room.channel} actions={room.actions} />,
  reactions: (room) => <MinimalReactions channel={room.channel} actions={room.actions} />,
  captions: (room) => <MinimalCaptions captions={room.channel.captions} />,
  hostPanel: (room) => (
    <MinimalHostPanel
      channel={room.channel}
      participants={room.participants}
      actions={room.actions}
      youIdentity={room.channel.you?.userId ?? room.token?.identity ?? null}
    />
  ),
};
