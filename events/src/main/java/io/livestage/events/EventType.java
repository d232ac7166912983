package io.livestage.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.livestage.events.analytics.SessionStatsRecorded;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.podcast.PodcastUnpublished;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.transcript.TranscriptSegment;

/**
 * The event catalogue: name (the CloudEvents {@code ce_type}), topic, payload type and JSON Schema.
 * The AsyncAPI document and a contract test keep this list, the schemas and the records in step.
 */
public enum EventType {
    SESSION_CREATED("session.created", Topics.SESSION, SessionCreated.class),
    SESSION_UPDATED("session.updated", Topics.SESSION, SessionUpdated.class),
    SESSION_STARTED("session.started", Topics.SESSION, SessionStarted.class),
    SESSION_ENDED("session.ended", Topics.SESSION, SessionEnded.class),
    SESSION_CANCELLED("session.cancelled", Topics.SESSION, SessionCancelled.class),
    SESSION_DELETED("session.deleted", Topics.SESSION, SessionDeleted.class),
    PARTICIPANT_JOINED("participant.joined", Topics.SESSION, ParticipantJoined.class),
    PARTICIPANT_LEFT("participant.left", Topics.SESSION, ParticipantLeft.class),
    PARTICIPANT_ROLE_CHANGED("participant.role-changed", Topics.SESSION, ParticipantRoleChanged.class),
    PARTICIPANT_MUTED("participant.muted", Topics.SESSION, ParticipantMuted.class),
    PARTICIPANT_REMOVED("participant.removed", Topics.SESSION, ParticipantRemoved.class),
    PARTICIPANT_MEDIA_CHANGED("participant.media-changed", Topics.SESSION, ParticipantMediaChanged.class),
    PARTICIPANT_UNMUTE_REQUESTED("participant.unmute-requested", Topics.SESSION, ParticipantUnmuteRequested.class),
    GUEST_REQUESTED("guest.requested", Topics.SESSION, GuestRequested.class),
    GUEST_APPROVED("guest.approved", Topics.SESSION, GuestApproved.class),
    GUEST_REJECTED("guest.rejected", Topics.SESSION, GuestRejected.class),
    GUEST_WITHDRAWN("guest.withdrawn", Topics.SESSION, GuestWithdrawn.class),
    LIVEKIT_WEBHOOK("livekit.webhook", Topics.LIVEKIT, LiveKitWebhookReceived.class),
    CHAT_MESSAGE("chat.message", Topics.CHAT, ChatMessagePosted.class),
    CHAT_REACTION("chat.reaction", Topics.CHAT, ChatReactionBurst.class),
    CHAT_MODERATED("chat.moderated", Topics.CHAT, ChatModerated.class),
    VIEWER_PRESENCE("viewer.presence", Topics.CHAT, ViewerPresence.class),
    TRANSCRIPT_SEGMENT("transcript.segment", Topics.TRANSCRIPT, TranscriptSegment.class),
    RECORDING_STARTED("recording.started", Topics.RECORDING, RecordingStarted.class),
    RECORDING_COMPLETED("recording.completed", Topics.RECORDING, RecordingCompleted.class),
    RECORDING_FAILED("recording.failed", Topics.RECORDING, RecordingFailed.class),
    PODCAST_PUBLISHED("podcast.published", Topics.PODCAST, PodcastPublished.class),
    PODCAST_UNPUBLISHED("podcast.unpublished", Topics.PODCAST, PodcastUnpublished.class),
    ANALYTICS_SESSION_STATS("analytics.session-stats", Topics.ANALYTICS, SessionStatsRecorded.class);

    /** Base of {@code ce_dataschema}; the same path resolves inside this jar under {@code schemas/}. */
    public static final String SCHEMA_BASE_URI = "https://livestage.io/schemas/";

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, type -> type));

    private final String typeName;
    private final String topic;
    private final Class<?> payloadType;

    EventType(String typeName, String topic, Class<?> payloadType) {
        this.typeName = typeName;
        this.topic = topic;
        this.payloadType = payloadType;
    }

    public String typeName() {
        return typeName;
    }

    public String topic() {
        return topic;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    /** Classpath location of the JSON Schema of this event's data. */
    public String schemaResource() {
        return "schemas/" + typeName + ".json";
    }

    public String schemaUri() {
        return SCHEMA_BASE_URI + typeName + ".json";
    }

    public static EventType fromTypeName(String typeName) {
        return find(typeName).orElseThrow(() -> new IllegalArgumentException("Unknown event type: " + typeName));
    }

    /** The catalogue entry of a {@code ce_type}, or empty for a type this version of the catalogue does not know. */
    public static Optional<EventType> find(String typeName) {
        return typeName == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(typeName));
    }

    public static EventType forPayload(Class<?> payloadClass) {
        for (EventType type : values()) {
            if (type.payloadType.equals(payloadClass)) {
                return type;
            }
        }
        throw new IllegalArgumentException("No event type for payload " + payloadClass.getName());
    }
}
