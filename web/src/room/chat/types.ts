/**
 * The room channel's frames this panel reads (chat-service/PROTOCOL.md, version 1). Kept structurally identical to
 * the protocol so the room core's state types fit.
 */
export type RoomRole = 'HOST' | 'COHOST' | 'GUEST' | 'VIEWER';

export interface RoomYou {
  userId: string | null;
  name: string | null;
  role: RoomRole | string;
  anonymous: boolean;
  canChat: boolean;
  moderator: boolean;
}

export interface ChatSettings {
  enableChat: boolean;
  enableReactions: boolean;
  slowModeSeconds: number;
  signedInOnly: boolean;
  reactionsOnly: boolean;
}

export interface ChatAuthor {
  userId: string;
  name: string | null;
  role: RoomRole | string;
}

/** `chat.message`'s `message` */
export interface ChatMessage {
  messageId: string;
  seq: number;
  sessionId: string;
  author: ChatAuthor;
  text: string;
  clientMessageId?: string | null;
  sentAt: string;
}

/** a `system` frame */
export interface SystemFrame {
  type: 'system';
  event: string;
  userId?: string | null;
  name?: string | null;
  role?: string | null;
  text: string;
}

/** an `error` frame */
export interface RoomErrorFrame {
  type: 'error';
  code: string;
  message: string;
  retryAfterMs?: number;
  until?: string;
  clientMessageId?: string;
}

/** One line of the chat log: a message (possibly deleted by a moderator) or a system line. */
export type ChatEntry =
  | { kind: 'message'; key: string; message: ChatMessage; deleted?: boolean }
  | { kind: 'system'; key: string; event: string; text: string };

export type ChatFrame =
  | { type: 'chat.message'; message: ChatMessage; replay?: boolean }
  | { type: 'chat.deleted'; id: string; deletedBy?: string }
  | SystemFrame;

/** Keeps at most this many lines in the log (older ones scroll out; history is `GET /api/sessions/{id}/chat`). */
export const MAX_CHAT_ENTRIES = 500;

let systemCounter = 0;

/**
 * Applies a frame to the chat log: messages deduplicated on their id (a resume can deliver one twice) and kept in
 * `seq` order, deletions mark the message, system lines appended. Returns the same array when nothing changed.
 */
export function applyChatFrame(entries: readonly ChatEntry[], frame: ChatFrame): ChatEntry[] {
  switch (frame.type) {
    case 'chat.message': {
      const m = frame.message;
      if (entries.some((e) => e.kind === 'message' && e.message.messageId === m.messageId)) {
        return entries as ChatEntry[];
      }
      const entry: ChatEntry = { kind: 'message', key: `m-${m.messageId}`, message: m };
      const next = [...entries];
      // replayed messages may arrive after newer live ones: insert before the first message with a higher seq
      let at = next.length;
      while (at > 0) {
        const prev = next[at - 1];
        if (prev.kind === 'message' && prev.message.seq > m.seq) {
          at--;
        } else {
          break;
        }
      }
      next.splice(at, 0, entry);
      return next.length > MAX_CHAT_ENTRIES ? next.slice(next.length - MAX_CHAT_ENTRIES) : next;
    }
    case 'chat.deleted': {
      let changed = false;
      const next = entries.map((e) => {
        if (e.kind === 'message' && e.message.messageId === frame.id && !e.deleted) {
          changed = true;
          return { ...e, deleted: true };
        }
        return e;
      });
      return changed ? next : (entries as ChatEntry[]);
    }
    case 'system': {
      const next: ChatEntry[] = [
        ...entries,
        { kind: 'system', key: `s-${++systemCounter}`, event: frame.event, text: frame.text },
      ];
      return next.length > MAX_CHAT_ENTRIES ? next.slice(next.length - MAX_CHAT_ENTRIES) : next;
    }
  }
}
