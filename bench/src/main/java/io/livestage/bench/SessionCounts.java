package io.livestage.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.livestage.events.ChatEvent;
import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.codec.Decoded;
import io.livestage.events.participant.ParticipantRole;

/**
 * The plain consumer's work per record: decode the CloudEvent with {@link CloudEventCodec} (as analytics-service's
 * topology does, against the topic's sealed type) and keep, per session in memory, the distinct viewers seen in
 * presence (role VIEWER; a signed-in viewer by user id, an anonymous one by connection, as ADR 0016 defines a viewer),
 * the chat messages and the reactions.
 */
final class SessionCounts {
    /** One session's counts. */
    static final class Counts {
        final Set<String> viewers = new HashSet<>();
        long messages;
        long reactions;
        boolean started;
        boolean ended;
    }

    /** Totals over every session. */
    record Totals(long events, long sessions, long viewers, long messages, long reactions, long started, long ended,
            long skipped) {
        /** One line, {@code key=value} pairs, for the peer's output. */
        String line() {
            return "events=" + events + " sessions=" + sessions + " viewers=" + viewers + " messages=" + messages
                    + " reactions=" + reactions + " started=" + started + " ended=" + ended + " skipped=" + skipped;
        }

        static Totals parse(String line) {
            Map<String, Long> values = numbers(line);
            return new Totals(values.getOrDefault("events", -1L), values.getOrDefault("sessions", -1L),
                    values.getOrDefault("viewers", -1L), values.getOrDefault("messages", -1L),
                    values.getOrDefault("reactions", -1L), values.getOrDefault("started", -1L),
                    values.getOrDefault("ended", -1L), values.getOrDefault("skipped", -1L));
        }
    }

    /** The {@code key=number} pairs of a line. */
    static Map<String, Long> numbers(String line) {
        Map<String, Long> values = new HashMap<>();
        for (String part : line.trim().split("\\s+")) {
            String[] pair = part.split("=", 2);
            if (pair.length == 2 && pair[1].matches("-?\\d+")) {
                values.put(pair[0], Long.parseLong(pair[1]));
            }
        }
        return values;
    }

    private final CloudEventCodec codec = new CloudEventCodec();
    private final Map<String, Counts> sessions = new HashMap<>();
    private long events;
    private long skipped;

    void accept(ConsumerRecord<String, byte[]> record) {
        events++;
        String session = record.key();
        if (session == null) {
            skipped++;
            return;
        }
        if (Topics.SESSION.equals(record.topic())) {
            if (codec.decode(record, SessionEvent.class) instanceof Decoded.Event<SessionEvent>(
                    CloudEvent<SessionEvent> event)) {
                Counts counts = sessions.computeIfAbsent(session, s -> new Counts());
                switch (event.type()) {
                    case "session.started" -> counts.started = true;
                    case "session.ended" -> counts.ended = true;
                    default -> {
                    }
                }
            } else {
                skipped++;
            }
            return;
        }
        if (!(codec.decode(record, ChatEvent.class) instanceof Decoded.Event<ChatEvent>(CloudEvent<ChatEvent> event))) {
            skipped++;
            return;
        }
        Counts counts = sessions.computeIfAbsent(session, s -> new Counts());
        switch (event.data()) {
            case ViewerPresence p when p.role() == ParticipantRole.VIEWER && p.connectionId() != null ->
                counts.viewers.add(p.anonymous() || p.userId() == null ? "anonymous:" + p.connectionId() : p.userId());
            case ChatMessagePosted m -> counts.messages++;
            case ChatReactionBurst r when r.counts() != null ->
                counts.reactions += r.counts().values().stream().mapToLong(Long::longValue).sum();
            default -> {
            }
        }
    }

    Counts session(String id) {
        return sessions.get(id);
    }

    Totals totals() {
        long viewers = 0;
        long messages = 0;
        long reactions = 0;
        long started = 0;
        long ended = 0;
        for (Counts c : sessions.values()) {
            viewers += c.viewers.size();
            messages += c.messages;
            reactions += c.reactions;
            started += c.started ? 1 : 0;
            ended += c.ended ? 1 : 0;
        }
        return new Totals(events, sessions.size(), viewers, messages, reactions, started, ended, skipped);
    }
}
