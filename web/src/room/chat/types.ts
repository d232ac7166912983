/**
 * The room-channel data this panel reads (chat-service/PROTOCOL.md, version 1), typed structurally identical to the
 * room core's `web/src/room/state.ts` (`ChatMessage`, `SystemEvent`, `ChannelError`, `You`, `Settings`), so the
 * room page passes its state straight in. (Once both branches are merged these can become re-exports of state.ts.)
 */
export type RoomRole = 'HOST' | 'COHOST' | 'GUEST' | 'VIEWER';

/** `welcome.you` / `you` */
export interface RoomYou {
  userId: string | null;
  name: string | null;
  role: RoomRole | string;
  anonymous: boolean;
  canChat: boolean;
  moderator: boolean;
}

/** `welcome.settings` / `settings` */
export interface ChatSettings {
  enableChat: boolean;
  enableReactions: boolean;
  slowModeSeconds: number;
  signedInOnly: boolean;
  reactionsOnly: boolean;
}

/** a `chat.message`, `deleted` once a `chat.deleted` named it */
export interface ChatMessage {
  id: string;
  seq: number;
  author: { userId: string; name: string | null; role: RoomRole | string };
  text: string;
  clientMessageId?: string | null;
  sentAt: string;
  deleted: boolean;
  deletedBy?: string;
}

/** a `system` frame; `at` = when it was received (ms) */
export interface SystemEvent {
  event: string;
  userId?: string | null;
  name?: string | null;
  role?: string | null;
  text: string;
  at: number;
}

/** an `error` frame; `at` = when it was received (ms) */
export interface ChannelError {
  code: string;
  message: string;
  retryAfterMs?: number;
  until?: string;
  clientMessageId?: string;
  at: number;
}

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
