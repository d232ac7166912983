package io.livestage.chat.feed;

import java.time.Instant;

import io.livestage.chat.model.ChatSettings;

/**
 * What an event does to a room on this instance, decided before any socket is touched: {@link RoomChatEvents} and
 * {@link RoomSessionEvents} turn events into these, {@link RoomUpdates} carries them out on the sockets.
 */
public sealed interface RoomUpdate {

    /** A frame for every socket of the room. */
    record ToRoom(String frame) implements RoomUpdate {
    }

    /** A frame for the room's hosts and cohosts only. */
    record ToModerators(String frame) implements RoomUpdate {
    }

    /** A frame for one user's sockets only. */
    record ToUser(String userId, String frame) implements RoomUpdate {
    }

    /** A user's chat rights or role changed: their sockets take the change, get {@code notice} (if any), then {@code you}. */
    record ChangeUser(String userId, UserChange change, String notice) implements RoomUpdate {
    }

    /** Closes one user's sockets after {@code frame}. */
    record CloseUser(String userId, String frame, int code, String reason) implements RoomUpdate {
    }

    /** Closes the room's anonymous sockets after {@code frame}. */
    record CloseAnonymous(String frame, int code, String reason) implements RoomUpdate {
    }

    /** The room's chat settings are now {@code settings}. */
    record Settings(ChatSettings settings) implements RoomUpdate {
    }

    /** The session is over: the room goes, and each socket gets {@code frame} and closes with 1000. */
    record End(String frame) implements RoomUpdate {
    }

    /** What changed about a user, as their sockets must know it. */
    sealed interface UserChange {
        record TimedOut(Instant until) implements UserChange {
        }

        record Banned() implements UserChange {
        }

        /** Unbanned, and any timeout lifted. */
        record Unbanned() implements UserChange {
        }

        record Role(String role) implements UserChange {
        }
    }
}
