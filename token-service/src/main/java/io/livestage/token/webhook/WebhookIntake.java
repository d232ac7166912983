package io.livestage.token.webhook;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import livekit.LivekitWebhook.WebhookEvent;

import io.livestage.events.EventType;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.outbox.Outbox;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

/**
 * Accepts a verified webhook once: its id is recorded in the same statement as the outbox row that publishes it (and
 * the room's next event sequence), so a redelivery or a replay is refused (409) and never published twice.
 */
@ApplicationScoped
public class WebhookIntake {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Records the webhook's id; returns a row only the first time. */
    private static final String RECEIVE = "insert into webhook_receipts (id, event, room, received_at) "
            + "values ($1, $2, $3, $4) on conflict do nothing returning room";
    /** The room's next event sequence, taken only when the webhook was new. */
    private static final String NEXT_SEQUENCE = "insert into room_event_sequences (room, sequence) "
            + "select room, 1 from change on conflict (room) do update "
            + "set sequence = room_event_sequences.sequence + 1 returning sequence as seq";

    private final Outbox outbox;
    private final Pool pool;
    private final ObjectMapper json;

    public WebhookIntake(Outbox outbox, Pool pool, ObjectMapper json) {
        this.outbox = outbox;
        this.pool = pool;
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
        Tuple receipt = Tuple.of(event.getId(), event.getEvent(), room, now.atOffset(ZoneOffset.UTC));
        return outbox.appendWithChange(pool, RECEIVE, NEXT_SEQUENCE, receipt, EventType.LIVEKIT_WEBHOOK, room, now,
                payload).map(appended -> {
                    if (!appended) {
                        throw new ProblemException(ProblemType.DUPLICATE,
                                "Webhook " + event.getId() + " was already received");
                    }
                    outbox.committed();
                    return payload;
                });
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
