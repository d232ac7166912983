package io.livestage.recording.event;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.ChatEvent;
import io.livestage.events.CloudEvent;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.platform.inbox.ProcessedEvents;
import io.livestage.platform.kafka.EventReader;
import io.livestage.recording.streaming.repository.StreamRepository;

/**
 * chat-service's {@code viewer.presence} events (livestage.chat, one consumer group): who is connected to a session's
 * room channel, for the viewer and guest counts of its stream status. Other chat events are not this service's.
 */
@ApplicationScoped
public class StreamEvents {
    static final String CONSUMER = "recording-service.stream-audience";

    private final EventReader events;
    private final StreamRepository streams;
    private final ProcessedEvents processed;

    public StreamEvents(EventReader events, StreamRepository streams, ProcessedEvents processed) {
        this.events = events;
        this.streams = streams;
        this.processed = processed;
    }

    @Incoming("chat-presence")
    public Uni<Void> onChatEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent<ChatEvent> event = events.read(CONSUMER, record, ChatEvent.class).orElse(null);
        if (event == null || event.id() == null || !(event.data() instanceof ViewerPresence presence)
                || presence.sessionId() == null || presence.connectionId() == null) {
            return Uni.createFrom().voidItem();
        }
        UUID session = UUID.fromString(presence.sessionId());
        Instant at = presence.at() == null ? event.time() : presence.at();
        String role = presence.role() == null ? null : presence.role().name();
        Instant now = Instant.now();
        return streams.pool().withTransaction(tx -> processed.firstDelivery(tx, CONSUMER, event.id()).chain(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            Uni<Boolean> changed = presence.change() == ViewerPresence.PresenceChange.JOINED
                    ? streams.joined(tx, session, presence.connectionId(), role, at)
                    : streams.left(tx, session, presence.connectionId(), role, at);
            return changed.chain(c -> c ? streams.changed(tx, session, now) : Uni.createFrom().voidItem());
        }));
    }
}
