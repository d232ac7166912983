package io.livestage.token.event;

import java.io.IOException;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.token.config.LiveKitConfig;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.LiveKitRooms;
import io.livestage.token.livekit.LiveKitRooms.LiveKitCallFailed;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitModels;

/**
 * Applies session decisions to LiveKit as they happen: rooms open and close with the session, publish rights follow
 * the role without a reconnect, mutes and removals take effect at once. Runs on a worker thread, one event at a time
 * per partition (so per session, in order). Idempotent: an event already applied is skipped by its ce_id; LiveKit
 * calls are retried with backoff; an event that still fails goes to the dead-letter topic.
 */
@ApplicationScoped
public class LiveKitEnforcer {
    static final String CONSUMER = "token-service.livekit-enforcer";
    private static final Logger LOG = Logger.getLogger(LiveKitEnforcer.class);
    private static final Set<String> HANDLED = Set.of("session.started", "session.ended", "session.cancelled",
            "session.deleted", "guest.approved", "participant.role-changed", "participant.muted", "participant.removed");

    private final LiveKitRooms rooms;
    private final LiveKitConfig config;
    private final ProcessedEvents processed;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public LiveKitEnforcer(LiveKitRooms rooms, LiveKitConfig config, ProcessedEvents processed, ObjectMapper json,
            MeterRegistry registry) {
        this.rooms = rooms;
        this.config = config;
        this.processed = processed;
        this.json = json;
        this.registry = registry;
    }

    @Incoming("session-events")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) throws LiveKitCallFailed, IOException {
        String type = header(record, CloudEventHeaders.TYPE);
        String id = header(record, CloudEventHeaders.ID);
        if (type == null || !HANDLED.contains(type)) {
            return;
        }
        if (id != null && processed.alreadyProcessed(CONSUMER, id)) {
            registry.counter("livestage.enforcement.events", "type", type, "outcome", "duplicate").increment();
            return;
        }
        try {
            apply(type, record.key(), json.readTree(record.value()));
        } catch (LiveKitCallFailed e) {
            registry.counter("livestage.enforcement.events", "type", type, "outcome", "dead-lettered").increment();
            LOG.errorf("Could not apply %s %s to LiveKit; sending it to the dead-letter topic: %s", type, id, e.getMessage());
            throw e;
        }
        if (id != null) {
            processed.markProcessed(CONSUMER, id);
        }
        registry.counter("livestage.enforcement.events", "type", type, "outcome", "applied").increment();
    }

    void apply(String type, String sessionId, JsonNode data) throws LiveKitCallFailed {
        switch (type) {
            case "session.started" -> {
                JsonNode session = data.get("session");
                String metadata = json.createObjectNode().put("slug", session.path("slug").asText())
                        .put("title", session.path("title").asText()).put("kind", session.path("kind").asText())
                        .toString();
                rooms.createRoom(sessionId, config.rooms().emptyTimeout(), config.rooms().departureTimeout(),
                        session.at("/settings/maxParticipants").asInt(0), metadata);
            }
            case "session.ended", "session.cancelled", "session.deleted" -> rooms.deleteRoom(sessionId);
            case "guest.approved", "participant.role-changed" -> {
                JsonNode participant = data.get("participant");
                ParticipantRole role = ParticipantRole.valueOf(participant.get("role").asText());
                SessionKind kind = SessionKind.valueOf(participant.get("kind").asText());
                String metadata = "{\"role\":\"" + role + "\",\"sessionId\":\"" + sessionId + "\"}";
                rooms.updateParticipant(sessionId, participant.get("identity").asText(), metadata,
                        LiveKitPermissions.permission(role, kind));
            }
            case "participant.muted" -> mute(sessionId, data);
            case "participant.removed" -> rooms.removeParticipant(sessionId, data.at("/participant/identity").asText());
            default -> throw new IllegalStateException("Unhandled " + type);
        }
    }

    /** Mutes the published tracks of the muted kinds: audio = microphone, video = camera and screen share. */
    private void mute(String room, JsonNode data) throws LiveKitCallFailed {
        String identity = data.at("/participant/identity").asText();
        boolean audio = data.path("audio").asBoolean();
        boolean video = data.path("video").asBoolean();
        LivekitModels.ParticipantInfo participant = rooms.participant(room, identity);
        if (participant == null) {
            return;
        }
        for (LivekitModels.TrackInfo track : participant.getTracksList()) {
            boolean isAudio = track.getSource() == LivekitModels.TrackSource.MICROPHONE
                    || track.getSource() == LivekitModels.TrackSource.SCREEN_SHARE_AUDIO;
            boolean isVideo = track.getSource() == LivekitModels.TrackSource.CAMERA
                    || track.getSource() == LivekitModels.TrackSource.SCREEN_SHARE;
            if (!track.getMuted() && ((audio && isAudio) || (video && isVideo))) {
                rooms.mutePublishedTrack(room, identity, track.getSid());
            }
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return io.livestage.platform.kafka.RecordHeaders.text(record, name);
    }
}
