package io.livestage.events;

/** Kafka topics of the public event catalogue. Key = session id on every topic. */
public final class Topics {
    /**
     * Every event of the session aggregate owned by session-service ({@code session.*}, {@code participant.*},
     * {@code guest.*}), in per-session order with one shared {@code ce_sequence}.
     */
    public static final String SESSION = "livestage.session";

    /** Verified, deduplicated LiveKit webhooks (room, participant, track, egress, ingress), key = room name. */
    public static final String LIVEKIT = "livestage.livekit";

    /**
     * The chat room aggregate owned by chat-service: {@code chat.message}, {@code chat.reaction} (aggregated bursts),
     * {@code chat.moderated}, {@code viewer.presence}, with one per-session {@code ce_sequence}.
     */
    public static final String CHAT = "livestage.chat";

    /**
     * The transcript aggregate owned by transcription-service: {@code transcript.segment} (partials and finals), with
     * one per-session {@code ce_sequence}.
     */
    public static final String TRANSCRIPT = "livestage.transcript";

    /** The sealed interface of the events on {@code topic}, or null for a topic outside the public catalogue. */
    public static Class<?> eventType(String topic) {
        return switch (topic) {
            case SESSION -> SessionEvent.class;
            case LIVEKIT -> LiveKitEvent.class;
            case CHAT -> ChatEvent.class;
            case TRANSCRIPT -> TranscriptEvent.class;
            default -> null;
        };
    }

    private Topics() {
    }
}
