package io.livestage.session.messaging;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.LiveKitEvent;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.kafka.EventReader;
import io.livestage.session.MediaSource;
import io.livestage.session.service.RoomTruth;

/**
 * LiveKit's webhooks (topic {@code livestage.livekit}, one consumer group for all replicas) turned into room truth:
 * joins and leaves, microphone and camera state, the room's end. Participants that are not people (egress, ingress,
 * SIP, agents) and rooms that are not sessions are skipped. Redeliveries are skipped by {@code ce_id} in
 * {@link RoomTruth}.
 */
@ApplicationScoped
public class LiveKitWebhookConsumer {
    static final String CONSUMER = "session-service.room-truth";

    private final EventReader events;
    private final RoomTruth room;

    public LiveKitWebhookConsumer(EventReader events, RoomTruth room) {
        this.events = events;
        this.room = room;
    }

    @Incoming("livekit-webhooks")
    public Uni<Void> onWebhook(ConsumerRecord<String, byte[]> record) {
        CloudEvent<LiveKitEvent> event = events.read(CONSUMER, record, LiveKitEvent.class).orElse(null);
        if (event == null || event.id() == null) {
            return skip();
        }
        return switch (event.data()) {
            case LiveKitWebhookReceived webhook -> apply(event.id(), webhook);
        };
    }

    private Uni<Void> apply(String id, LiveKitWebhookReceived webhook) {
        UUID session = sessionOf(webhook.room());
        if (session == null || webhook.event() == null) {
            return skip();
        }
        Instant at = (webhook.createdAt() == null ? Instant.now() : webhook.createdAt()).truncatedTo(ChronoUnit.MICROS);
        LiveKitWebhookReceived.Participant participant = webhook.participant();
        if (participant == null) {
            return switch (webhook.event()) {
                case "room_finished" -> room.roomFinished(id, session, at);
                case "room_started" -> room.roomStarted(id, session);
                default -> skip();
            };
        }
        if (!ParticipantKinds.isPerson(participant.kind())) {
            return skip();
        }
        return switch (webhook.event()) {
            case "participant_joined" -> room.connected(id, session, participant.identity(), participant.name(), at);
            case "participant_left", "participant_connection_aborted" ->
                room.disconnected(id, session, participant.identity(), at);
            case "track_published", "track_unpublished" -> media(id, session, participant, webhook, at);
            default -> skip();
        };
    }

    private Uni<Void> media(String id, UUID session, LiveKitWebhookReceived.Participant participant,
            LiveKitWebhookReceived webhook, Instant at) {
        LiveKitWebhookReceived.Track track = webhook.track();
        MediaSource source = track == null ? null : MediaSource.of(track.type(), track.source());
        if (source == null) {
            return skip();
        }
        boolean muted = "track_unpublished".equals(webhook.event()) || track.muted();
        return room.media(id, session, participant.identity(), source, muted, at);
    }

    /** The session a room belongs to: token-service names each room after its session id. */
    private static UUID sessionOf(LiveKitWebhookReceived.Room room) {
        try {
            return room == null || room.name() == null ? null : UUID.fromString(room.name());
        } catch (IllegalArgumentException notASession) {
            return null;
        }
    }

    private static Uni<Void> skip() {
        return Uni.createFrom().voidItem();
    }
}
