/**
 * Where the room page takes its chat panel, reactions bar, captions and host panel from: the full components
 * (src/room/chat, reactions, captions, host). Tests may hand the page others (web/docs/room.md, "Slots").
 */
import type { ReactNode } from 'react';
import { Captions } from './captions/Captions';
import { ChatPanel } from './chat/ChatPanel';
import { HostPanel } from './host/HostPanel';
import { ReactionsBar } from './reactions/ReactionsBar';
import type { RoomContextValue } from './RoomProvider';

export interface RoomSlots {
  chat: (room: RoomContextValue) => ReactNode;
  reactions: (room: RoomContextValue) => ReactNode;
  captions: (room: RoomContextValue) => ReactNode;
  hostPanel: (room: RoomContextValue) => ReactNode;
}

/** What the room page uses: the full components, fed from the room state. */
export const DEFAULT_SLOTS: RoomSlots = {
  chat: (room) =>
    room.session?.id ? (
      <ChatPanel
        sessionId={room.session.id}
        messages={room.channel.messages}
        system={room.channel.system}
        you={room.channel.you ?? null}
        settings={room.channel.settings ?? null}
        maxTextLength={room.channel.maxTextLength}
        onSend={room.actions.sendChat}
        lastError={room.channel.errors.at(-1) ?? null}
        connected={room.channel.status === 'open'}
      />
    ) : null,
  reactions: (room) => (
    <ReactionsBar
      reactions={room.channel.reactionTypes}
      windows={room.channel.reactions}
      onReact={room.actions.react}
      enabled={room.channel.settings?.enableReactions !== false}
      canReact={Boolean(room.channel.you) && !room.channel.you?.anonymous}
      total={room.channel.reactionsTotal}
    />
  ),
  captions: (room) => <Captions segments={room.channel.captions} />,
  hostPanel: (room) =>
    room.session?.id ? (
      <HostPanel
        sessionId={room.session.id}
        sessionRef={room.session.slug}
        you={room.channel.you ?? null}
        queueVersion={room.channel.stageQueue}
        participantsVersion={room.channel.system}
        recordingsVersion={room.channel.recording}
      />
    ) : null,
};
