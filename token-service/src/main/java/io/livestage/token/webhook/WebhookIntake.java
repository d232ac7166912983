package io.livestage.token.webhook;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;

import io.livestage.events.EventType;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.outbox.Outbox;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

/**
 * Accepts a verified webhook once: its id is recorded in the same transaction as the outbox row that publishes it,
 * so a redelivery or a replay is refused (409) and never published twice.
 */
@ApplicationScoped
public class WebhookIntake {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Outbox outbox;
    private final ObjectMapper json;

    public WebhookIntake(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    public Uni<LiveKitWebhookReceived> accept(WebhookEvent event) {
        if (event.getId().isBlank()) {
            throw ProblemException.invalid("id", "A LiveKit webhook carries an id; this one has none");
        }
        LiveKitWebhookReceived payload = toEvent(event);
        String room = event.hasRoom() && !event.getRoom().getName().isBlank() ? event.getRoom().getName()
                : event.hasEgressInfo() ? event.getEgressInfo().getRoomName()
                : event.hasIngressInfo() ? event.getIngressInfo().getRoomName() : "";
        Instant now = Instant.now();
        return outbox.transaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("insert into webhook_receipts (id, event, room, received_at) values (?1, ?2, ?3, ?4) "
                        + "on conflict do nothing")
                .setParameter(1, event.getId()).setParameter(2, event.getEvent()).setParameter(3, room)
                .setParameter(4, now)
                .executeUpdate()
                .chain(inserted -> {
                    if (inserted == 0) {
                        throw new ProblemException(ProblemType.DUPLICATE,
                                "Webhook " + event.getId() + " was already received");
                    }
                    return session.createNativeQuery("insert into room_event_sequences (room, sequence) values (?1, 1) "
                            + "on conflict (room) do update set sequence = room_event_sequences.sequence + 1 "
                            + "returning sequence", Long.class)
                            .setParameter(1, room).getSingleResult();
                })
                .chain(sequence -> outbox.append(EventType.LIVEKIT_WEBHOOK, room, sequence, now, payload))
                .replaceWith(payload)));
    }

    private LiveKitWebhookReceived toEvent(WebhookEvent event) {
        LiveKitWebhookReceived.Room room = event.hasRoom()
                ? new LiveKitWebhookReceived.Room(event.getRoom().getSid(), event.getRoom().getName()) : null;
        LiveKitWebhookReceived.Participant participant = event.hasParticipant()
                ? new LiveKitWebhookReceived.Participant(event.getParticipant().getSid(),
                        event.getParticipant().getIdentity(), event.getParticipant().getName(),
                        event.getParticipant().getState().name(), event.getParticipant().getKind().name())
                : null;
        LiveKitWebhookReceived.Track track = event.hasTrack()
                ? new LiveKitWebhookReceived.Track(event.getTrack().getSid(), event.getTrack().getType().name(),
                        event.getTrack().getSource().name(), event.getTrack().getMuted())
                : null;
        Instant createdAt = event.getCreatedAt() > 0 ? Instant.ofEpochSecond(event.getCreatedAt()) : Instant.now();
        return new LiveKitWebhookReceived(event.getEvent(), event.getId(), createdAt, room, participant, track,
                event.hasEgressInfo() ? WebhookRedaction.redact(asMap(event.getEgressInfo())) : null,
                event.hasIngressInfo() ? WebhookRedaction.redact(asMap(event.getIngressInfo())) : null);
    }

    private Map<String, Object> asMap(MessageOrBuilder message) {
        try {
            return json.readValue(JsonFormat.printer().print(message), MAP);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("LiveKit payload cannot be converted", e);
        }
    }
}
