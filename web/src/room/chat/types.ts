/**
 * The room-channel data this panel reads (chat-service/PROTOCOL.md, version 1): the room core's own types
 * (`../state.ts`), so the room page passes its state straight in.
 */
import type { ChatMessage, SystemEvent } from '../state';

export type {
  ChannelError,
  ChatMessage,
  Role as RoomRole,
  Settings as ChatSettings,
  SystemEvent,
  You as RoomYou,
} from '../state';

/** One line of the chat log: a message or a system line. */
export type ChatEntry =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'system'; key: string; event: string; text: string };

/**
 * Messages (in `seq` order, as the room core keeps them) and system lines (in arrival order) as one log: each system
 * line goes after the messages sent before it arrived. Messages carry the server's time and system lines the
 * browser's, so a line can be off by the clock difference; the order within each kind is exact.
 */
export function chatTimeline(messages: readonly ChatMessage[], system: readonly SystemEvent[]): ChatEntry[] {
  const out: ChatEntry[] = [];
  let s = 0;
  for (const m of messages) {
    const sent = Date.parse(m.sentAt);
    while (s < system.length && system[s].at < sent) {
      out.push(systemEntry(system[s], s));
      s++;
    }
    out.push({ kind: 'message', key: `m-${m.id}`, message: m });
  }
  for (; s < system.length; s++) {
    out.push(systemEntry(system[s], s));
  }
  return out;
}

function systemEntry(e: SystemEvent, index: number): ChatEntry {
  return { kind: 'system', key: `s-${e.at}-${index}-${e.event}`, event: e.event, text: e.text };
}
