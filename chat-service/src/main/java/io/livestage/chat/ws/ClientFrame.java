package io.livestage.chat.ws;

import java.util.UUID;

/** A client → server frame of the room channel (PROTOCOL.md) as {@link ClientFrameDecoder} reads it. */
public sealed interface ClientFrame {

    /** {@code auth}; {@code token} is null when the frame has none (the upgrade request's header may carry one). */
    record Auth(String token) implements ClientFrame {
    }

    /**
     * {@code chat.send}. A field that is absent or not a string is null: the room refuses it with
     * {@code invalid_message} naming the field, after deciding whether the socket may send at all.
     */
    record ChatSend(String clientMessageId, String text) implements ClientFrame {
    }

    /** {@code reaction}; null when absent or not a string (then refused as {@code invalid_reaction}). */
    record Reaction(String reaction) implements ClientFrame {
    }

    /** {@code resume}: after the message {@code lastMessageId} when the frame names one, else after {@code lastSeq}. */
    record Resume(UUID lastMessageId, long lastSeq) implements ClientFrame {
    }

    /** A frame the protocol refuses: the error code and message for the client, and the field at fault (null: the whole frame). */
    record Invalid(String code, String field, String message) implements ClientFrame {
    }
}
