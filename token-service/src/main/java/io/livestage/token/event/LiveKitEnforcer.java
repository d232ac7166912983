package io.livestage.token.event;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import livekit.LivekitModels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.platform.kafka.EventReader;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.platform.tracing.EventTracing;
import io.livestage.platform.tracing.EventTracing.ConsumerSpan;
import io.livestage.token.config.TokenLiveKitConfig;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.LiveKitRooms;
import io.livestage.token.livekit.ParticipantMetadata;

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

    private final LiveKitRooms rooms;
    private final TokenLiveKitConfig config;
    private final ProcessedEvents processed;
    private final EventReader events;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final EventTracing tracing;

    /** What an event makes LiveKit do. */
    @FunctionalInterface
    private interface Enforcement {
        void apply() throws LiveKitCallFailed;
    }

    /** The metadata of a LiveKit room: what the session is. */
    private record RoomMetadata(String slug, String title, SessionKind kind) {
    }

    public LiveKitEnforcer(LiveKitRooms rooms, TokenLiveKitConfig config, ProcessedEvents processed, EventReader events,
            ObjectMapper json, MeterRegistry registry, EventTracing tracing) {
        this.rooms = rooms;
        this.config = config;
        this.processed = processed;
        this.events = events;
        this.json = json;
        this.registry = registry;
        this.tracing = tracing;
    }

    @Incoming("session-events")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) throws LiveKitCallFailed {
        CloudEvent<SessionEvent> event = events.read(CONSUMER, record, SessionEvent.class).orElse(null);
        Enforcement enforcement = event == null ? null : enforcement(record.key(), event.data());
        if (enforcement == null) {
            return;
        }
        String type = event.type();
        String id = event.id();
        if (id != null && processed.alreadyProcessed(CONSUMER, id)) {
            registry.counter("livestage.enforcement.events", "type", type, "outcome", "duplicate").increment();
            return;
        }
        try (ConsumerSpan span = tracing.consume("enforce " + type, record.headers())) {
            try {
                enforcement.apply();
            } catch (LiveKitCallFailed e) {
                span.failed(e);
                throw e;
            }
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

    /** What {@code event} changes in the session's room, or null when LiveKit has nothing to do. */
    private Enforcement enforcement(String sessionId, SessionEvent event) {
        return switch (event) {
            case SessionStarted started -> () -> openRoom(sessionId, started.session());
            case SessionEnded ended -> () -> rooms.deleteRoom(sessionId);
            case SessionCancelled cancelled -> () -> rooms.deleteRoom(sessionId);
            case SessionDeleted deleted -> () -> rooms.deleteRoom(sessionId);
            case SessionChange other -> null;
            case GuestApproved approved -> () -> updatePermissions(sessionId, approved.participant());
            case ParticipantRoleChanged changed -> () -> updatePermissions(sessionId, changed.participant());
            case ParticipantMuted muted -> () -> mute(sessionId, muted);
            case ParticipantRemoved removed -> () -> rooms.removeParticipant(sessionId,
                    removed.participant().identity());
            case ParticipantChange other -> null;
            case StageChange other -> null;
        };
    }

    private void openRoom(String sessionId, SessionSnapshot session) throws LiveKitCallFailed {
        String metadata;
        try {
            metadata = json.writeValueAsString(new RoomMetadata(session.slug(), session.title(), session.kind()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("room metadata cannot be serialised", e);
        }
        int maxParticipants = session.settings() == null ? 0 : session.settings().maxParticipants();
        rooms.createRoom(sessionId, config.rooms().emptyTimeout(), config.rooms().departureTimeout(), maxParticipants,
                metadata);
    }

    private void updatePermissions(String sessionId, ParticipantSnapshot participant) throws LiveKitCallFailed {
        rooms.updateParticipant(sessionId, participant.identity(),
                new ParticipantMetadata(participant.role(), sessionId).json(),
                LiveKitPermissions.permission(participant.role(), participant.kind()));
    }

    /** Mutes the published tracks of the muted kinds: audio = microphone, video = camera and screen share. */
    private void mute(String room, ParticipantMuted muted) throws LiveKitCallFailed {
        String identity = muted.participant().identity();
        LivekitModels.ParticipantInfo participant = rooms.participant(room, identity);
        if (participant == null) {
            return;
        }
        for (LivekitModels.TrackInfo track : participant.getTracksList()) {
            boolean isAudio = track.getSource() == LivekitModels.TrackSource.MICROPHONE
                    || track.getSource() == LivekitModels.TrackSource.SCREEN_SHARE_AUDIO;
            boolean isVideo = track.getSource() == LivekitModels.TrackSource.CAMERA
                    || track.getSource() == LivekitModels.TrackSource.SCREEN_SHARE;
            if (!track.getMuted() && ((muted.audio() && isAudio) || (muted.video() && isVideo))) {
                rooms.mutePublishedTrack(room, identity, track.getSid());
            }
        }
    }
}
