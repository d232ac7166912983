package io.livestage.session.messaging;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.EventType;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.kafka.RecordHeaders;
import io.livestage.session.MediaSource;
import io.livestage.session.service.RoomTruth;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * LiveKit's webhooks (topic {@code livestage.livekit}, one consumer group for all replicas) turned into room truth:
 * joins and leaves, microphone and camera state, the room's end. Participants that are not people (egress, ingress,
 * SIP, agents) and rooms that are not sessions are skipped. Redeliveries are skipped by {@code ce_id} in
 * {@link RoomTruth}.
 */
@ApplicationScoped
public class LiveKitWebhookConsumer {
    private final LiveKitWebhookDecoder decoder;
    private final RoomTruth room;

    public LiveKitWebhookConsumer(LiveKitWebhookDecoder decoder, RoomTruth room) {
        this.decoder = decoder;
        this.room = room;
    }

    @Incoming("livekit-webhooks")
    public Uni<Void> onWebhook(ConsumerRecord<String, byte[]> record) throws IOException {
        String id = RecordHeaders.text(record, CloudEventHeaders.ID);
        if (id == null || !EventType.LIVEKIT_WEBHOOK.typeName().equals(RecordHeaders.text(record, CloudEventHeaders.TYPE))) {
            return Uni.createFrom().voidItem();
        }
        LiveKitWebhookReceived webhook = decoder.decode(record.value());
        UUID session = sessionOf(webhook.room());
        LiveKitWebhookReceived.Participant participant = webhook.participant();
        if (session == null || (participant != null && !ParticipantKinds.isPerson(participant.kind()))) {
            return Uni.createFrom().voidItem();
        }
        Instant at = (webhook.createdAt() == null ? Instant.now() : webhook.createdAt()).truncatedTo(ChronoUnit.MICROS);
        return switch (webhook.event()) {
            case "participant_joined" -> participant == null ? Uni.createFrom().voidItem()
                    : room.connected(id, session, participant.identity(), at);
            case "participant_left", "participant_connection_aborted" -> participant == null ? Uni.createFrom().voidItem()
                    : room.disconnected(id, session, participant.identity(), at);
            case "track_published", "track_unpublished" -> media(id, session, webhook, at);
            case "room_finished" -> room.roomFinished(id, session, at);
            case "room_started" -> room.roomStarted(id, session);
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> media(String id, UUID session, LiveKitWebhookReceived webhook, Instant at) {
        LiveKitWebhookReceived.Track track = webhook.track();
        MediaSource source = track == null ? null : MediaSource.of(track.type(), track.source());
        if (source == null || webhook.participant() == null) {
            return Uni.createFrom().voidItem();
        }
        boolean muted = "track_unpublished".equals(webhook.event()) || track.muted();
        return room.media(id, session, webhook.participant().identity(), source, muted, at);
    }

    /** The session a room belongs to: token-service names each room after its session id. */
    private static UUID sessionOf(LiveKitWebhookReceived.Room room) {
        try {
            return room == null || room.name() == null ? null : UUID.fromString(room.name());
        } catch (IllegalArgumentException notASession) {
            return null;
        }
    }
}
