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

/** The room's own minimal components (fallback/): enough for the UI contract's chat, reactions, captions and stage queue. */
export const FALLBACK_SLOTS: RoomSlots = {
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

/** What the room page uses. Swap for the full components here once they are merged (web/docs/room.md, "Slots"). */
export const DEFAULT_SLOTS: RoomSlots = FALLBACK_SLOTS;
