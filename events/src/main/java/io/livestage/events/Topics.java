package io.livestage.events;

import java.util.List;

/**
 * Every Kafka topic of livestage: names and partition count in one place (services, the local stack and the tests
 * create them from here). Key = session id on every topic but {@link #PODCAST}, whose key is the episode id.
 */
public final class Topics {

    /**
     * Partitions of every topic, aggregate and per-type alike, so one session's events sit on the same partition
     * number everywhere; the unit of consumer parallelism per service.
     */
    public static final int PARTITIONS = 6;

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

    /**
     * The recording aggregate owned by recording-service: {@code recording.started}, {@code recording.completed},
     * {@code recording.failed} (one per output of a recording), with one per-session {@code ce_sequence}.
     */
    public static final String RECORDING = "livestage.recording";

    /**
     * The podcast episode aggregate owned by recording-service: {@code podcast.published}, {@code podcast.unpublished}.
     * Key and {@code ce_subject} = the episode id, with one per-episode {@code ce_sequence}.
     */
    public static final String PODCAST = "livestage.podcast";

    /**
     * The analytics aggregate owned by analytics-service: {@code analytics.session-stats} (a session's final
     * statistics, revised when late events change them), with one per-session {@code ce_sequence}.
     */
    public static final String ANALYTICS = "livestage.analytics";

    /**
     * chat-service's own viewer-presence beats between its instances (not part of the public catalogue, not routed
     * to type topics).
     */
    public static final String CHAT_PRESENCE = "livestage.chat.presence";

    /** The ordered aggregate topics of the public catalogue. */
    public static final List<String> AGGREGATES = List.of(SESSION, LIVEKIT, CHAT, TRANSCRIPT, RECORDING, PODCAST,
            ANALYTICS);

    /** Every topic a local stack creates up front: the aggregates and chat's presence topic. */
    public static final List<String> ALL = List.of(SESSION, LIVEKIT, CHAT, TRANSCRIPT, RECORDING, PODCAST,
            ANALYTICS, CHAT_PRESENCE);

    /** The sealed interface of the events on {@code topic}, or null for a topic outside the public catalogue. */
    public static Class<?> eventType(String topic) {
        return switch (topic) {
            case SESSION -> SessionEvent.class;
            case LIVEKIT -> LiveKitEvent.class;
            case CHAT -> ChatEvent.class;
            case TRANSCRIPT -> TranscriptEvent.class;
            case RECORDING -> RecordingEvent.class;
            case PODCAST -> PodcastEvent.class;
            case ANALYTICS -> AnalyticsEvent.class;
            default -> null;
        };
    }

    private Topics() {
    }
}
