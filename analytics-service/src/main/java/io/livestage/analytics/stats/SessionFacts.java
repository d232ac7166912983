package io.livestage.analytics.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.livestage.analytics.topology.Fact;
import io.livestage.analytics.topology.FactKeys;

/** Every fact of one session, read with one prefix scan of the facts store. */
public record SessionFacts(
        String sessionId,
        Fact.SessionMeta meta,
        Map<String, Fact.Participant> participants,
        List<Fact.StageRequest> requests,
        List<Fact.Connection> connections,
        List<Long> messages,
        List<Fact.Reactions> reactions) {

    private static final StringSerializer KEYS = new StringSerializer();

    /** The session's facts, or empty when the store holds none. */
    public static Optional<SessionFacts> load(ReadOnlyKeyValueStore<String, Fact> store, String sessionId) {
        Fact.SessionMeta meta = null;
        Map<String, Fact.Participant> participants = new LinkedHashMap<>();
        List<Fact.StageRequest> requests = new ArrayList<>();
        List<Fact.Connection> connections = new ArrayList<>();
        List<Long> messages = new ArrayList<>();
        List<Fact.Reactions> reactions = new ArrayList<>();
        boolean any = false;
        try (KeyValueIterator<String, Fact> facts = store.prefixScan(FactKeys.prefix(sessionId), KEYS)) {
            while (facts.hasNext()) {
                KeyValue<String, Fact> next = facts.next();
                any = true;
                switch (next.value) {
                    case Fact.SessionMeta s -> meta = s;
                    case Fact.Participant p -> participants.put(next.key.substring(next.key.lastIndexOf('/') + 1), p);
                    case Fact.StageRequest r -> requests.add(r);
                    case Fact.Connection c -> connections.add(c);
                    case Fact.Message m -> messages.add(m.sentAt());
                    case Fact.Reactions r -> reactions.add(r);
                }
            }
        }
        return any ? Optional.of(new SessionFacts(sessionId, meta, participants, requests, connections, messages,
                reactions)) : Optional.empty();
    }
}
