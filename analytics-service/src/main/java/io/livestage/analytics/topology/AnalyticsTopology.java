package io.livestage.analytics.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

import io.livestage.analytics.stats.SessionFacts;
import io.livestage.analytics.stats.StatsCalculator;
import io.livestage.events.ChatEvent;
import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.codec.Decoded;
import io.livestage.events.codec.MalformedEventException;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.StageChange;
import io.livestage.events.stage.StageRequestSnapshot;

/**
 * The analytics topology (docs/adr/0016-analytics.md): {@code livestage.session} and {@code livestage.chat} in, one
 * fact per event into {@link #FACTS_STORE}; a wall-clock punctuator records the final statistics of ended sessions
 * through a {@link FinalStatsSink} and later drops their facts.
 */
public final class AnalyticsTopology {
    public static final String FACTS_STORE = "analytics-facts";
    /** Ended sessions waiting for their final statistics: session id -> due (epoch ms, wall clock). */
    public static final String PENDING_STORE = "analytics-pending";
    /** Sessions whose final statistics were recorded: session id -> recorded at (ms); negative once facts were dropped. */
    public static final String FINAL_STORE = "analytics-final";
    static final String SOURCE = "session-and-chat";
    static final String PROCESSOR = "collect-facts";
    private static final Logger LOG = Logger.getLogger(AnalyticsTopology.class);

    /** Told of every event the topology took (its type) or skipped ({@code null}). */
    @FunctionalInterface
    public interface Listener {
        void on(String type);
    }

    private AnalyticsTopology() {
    }

    public static Topology topology(AnalyticsSettings settings, FinalStatsSink sink) {
        return topology(settings, sink, type -> {
        });
    }

    public static Topology topology(AnalyticsSettings settings, FinalStatsSink sink, Listener listener) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.SESSION,
                Topics.CHAT);
        topology.addProcessor(PROCESSOR, () -> new Collector(settings, sink, listener), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FACTS_STORE), Serdes.String(),
                FactSerde.serde()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE),
                Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FINAL_STORE),
                Serdes.String(), Serdes.Long()), PROCESSOR);
        return topology;
    }

    private static final class Collector implements Processor<String, byte[], Void, Void> {
        private final AnalyticsSettings settings;
        private final FinalStatsSink sink;
        private final Listener listener;
        private final CloudEventCodec codec = new CloudEventCodec();
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, Fact> facts;
        private KeyValueStore<String, Long> pending;
        private KeyValueStore<String, Long> finals;
        /**
         * Sessions of this task that ended or were recorded (a copy of what {@link #pending} and {@link #finals} hold,
         * rebuilt at init): most events belong to live sessions and need no store lookup for this.
         */
        private final Set<String> ended = new HashSet<>();
        /** Final statistics being written: session -> the pending due it was computed for, and the write. */
        private final Map<String, InFlight> inFlight = new HashMap<>();

        private record InFlight(long due, CompletableFuture<Void> write) {
        }

        Collector(AnalyticsSettings settings, FinalStatsSink sink, Listener listener) {
            this.settings = settings;
            this.sink = sink;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.facts = context.getStateStore(FACTS_STORE);
            this.pending = context.getStateStore(PENDING_STORE);
            this.finals = context.getStateStore(FINAL_STORE);
            try (KeyValueIterator<String, Long> all = pending.all()) {
                all.forEachRemaining(kv -> ended.add(kv.key));
            }
            try (KeyValueIterator<String, Long> all = finals.all()) {
                all.forEachRemaining(kv -> ended.add(kv.key));
            }
            context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String session = record.key();
            String topic = context.recordMetadata().map(m -> m.topic()).orElse(Topics.CHAT);
            if (session == null || session.isEmpty() || session.indexOf('/') >= 0) {
                listener.on(null);
                return;
            }
            boolean known = ended.contains(session);
            Long recorded = known ? finals.get(session) : null;
            if (recorded != null && recorded < 0) {
                listener.on(null); // facts already dropped: a very late event changes nothing any more
                return;
            }
            ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>(topic, 0, 0, record.timestamp(),
                    TimestampType.CREATE_TIME, -1, -1, session, record.value(), record.headers(), Optional.empty());
            boolean ended;
            try {
                ended = Topics.SESSION.equals(topic) ? sessionEvent(session, consumed) : chatEvent(session, consumed);
            } catch (MalformedEventException e) {
                LOG.warnf("Skipping a malformed event of session %s: %s", session, e.getMessage());
                listener.on(null);
                return;
            }
            if (ended || known) {
                this.ended.add(session);
                pending.put(session, context.currentSystemTimeMs() + settings.finalDelay().toMillis());
            }
        }

        /** Applies a session-topic event; true when it says the session ended. */
        private boolean sessionEvent(String session, ConsumerRecord<String, byte[]> consumed) {
            Decoded<SessionEvent> decoded = codec.decode(consumed, SessionEvent.class);
            if (!(decoded instanceof Decoded.Event<SessionEvent>(CloudEvent<SessionEvent> event))) {
                listener.on(null);
                return false;
            }
            listener.on(event.type());
            long sequence = event.sequence() == null ? 0 : event.sequence();
            boolean ended = false;
            if (event.data() instanceof SessionChange change && change.session() != null) {
                ended = meta(session, change.session(), sequence);
            }
            if (event.data() instanceof ParticipantChange change && change.participant() != null) {
                participant(session, change.participant(), sequence,
                        change instanceof ParticipantMediaChanged media && "MICROPHONE".equals(media.source()));
            }
            if (event.data() instanceof StageChange change && change.request() != null) {
                request(session, change.request(), change instanceof GuestRequested, change instanceof GuestApproved);
            }
            return ended;
        }

        private boolean meta(String session, SessionSnapshot snapshot, long sequence) {
            String key = FactKeys.session(session);
            Fact.SessionMeta current = (Fact.SessionMeta) facts.get(key);
            if (current == null || sequence > current.sequence()) {
                current = new Fact.SessionMeta(sequence, snapshot.title(), snapshot.hostId(), snapshot.spaceId(),
                        millis(snapshot.startedAt()), millis(snapshot.endedAt()));
                facts.put(key, current);
            }
            return current.endedAt() != null;
        }

        private void participant(String session, ParticipantSnapshot p, long sequence, boolean microphoneReport) {
            if (p.identity() == null) {
                return;
            }
            String key = FactKeys.of(session, FactKeys.PARTICIPANT, p.identity());
            Fact.Participant current = (Fact.Participant) facts.get(key);
            boolean spoke = microphoneReport && !p.audioMuted() && p.role() != null && p.role().onStage();
            String role = p.role() == null ? null : p.role().name();
            Fact.Participant merged;
            if (current == null) {
                merged = new Fact.Participant(p.userId(), sequence, role, p.name(), p.speakingSeconds(), spoke);
            } else {
                boolean newer = sequence > current.roleSequence();
                merged = new Fact.Participant(current.userId() != null ? current.userId() : p.userId(),
                        newer ? sequence : current.roleSequence(), newer ? role : current.role(),
                        newer ? p.name() : current.name(), Math.max(current.speakingSeconds(), p.speakingSeconds()),
                        current.spoke() || spoke);
            }
            if (!merged.equals(current)) {
                facts.put(key, merged);
            }
        }

        private void request(String session, StageRequestSnapshot r, boolean requested, boolean approved) {
            if (r.id() == null || (!requested && !approved)) {
                return;
            }
            String key = FactKeys.of(session, FactKeys.REQUEST, r.id());
            Fact.StageRequest current = (Fact.StageRequest) facts.get(key);
            Fact.StageRequest merged = current == null ? new Fact.StageRequest(r.userId(), requested, approved)
                    : new Fact.StageRequest(current.userId(), current.requested() || requested,
                            current.approved() || approved);
            if (!merged.equals(current)) {
                facts.put(key, merged);
            }
        }

        private boolean chatEvent(String session, ConsumerRecord<String, byte[]> consumed) {
            Decoded<ChatEvent> decoded = codec.decode(consumed, ChatEvent.class);
            if (!(decoded instanceof Decoded.Event<ChatEvent>(CloudEvent<ChatEvent> event))) {
                listener.on(null);
                return false;
            }
            listener.on(event.type());
            switch (event.data()) {
                case ViewerPresence p -> presence(session, p);
                case ChatMessagePosted m when m.sentAt() != null ->
                    facts.put(FactKeys.of(session, FactKeys.MESSAGE, event.id()), new Fact.Message(millis(m.sentAt())));
                case ChatReactionBurst r when r.windowStart() != null && r.counts() != null ->
                    facts.put(FactKeys.of(session, FactKeys.REACTIONS, event.id()),
                            new Fact.Reactions(millis(r.windowStart()), Map.copyOf(r.counts())));
                default -> {
                }
            }
            return false;
        }

        private void presence(String session, ViewerPresence p) {
            if (p.connectionId() == null || p.at() == null || p.change() == null) {
                return;
            }
            String key = FactKeys.of(session, FactKeys.CONNECTION, p.connectionId());
            Fact.Connection current = (Fact.Connection) facts.get(key);
            boolean joined = p.change() == ViewerPresence.PresenceChange.JOINED;
            String viewer = p.anonymous() || p.userId() == null ? "anonymous:" + p.connectionId() : p.userId();
            String role = p.role() == null ? null : p.role().name();
            Fact.Connection merged;
            if (current == null) {
                merged = new Fact.Connection(viewer, role, p.deviceType(), p.region(), joined ? millis(p.at()) : null,
                        joined ? null : millis(p.at()));
            } else if (joined) {
                merged = new Fact.Connection(viewer, role, p.deviceType(), p.region(), millis(p.at()),
                        current.leftAt());
            } else {
                merged = new Fact.Connection(current.viewerKey(), current.role(), current.deviceType(),
                        current.region(), current.joinedAt(), millis(p.at()));
            }
            if (!merged.equals(current)) {
                facts.put(key, merged);
            }
        }

        private void punctuate(long now) {
            List<KeyValue<String, Long>> due = new ArrayList<>();
            try (KeyValueIterator<String, Long> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> next = all.next();
                    if (next.value <= now && !inFlight.containsKey(next.key)) {
                        due.add(next);
                    }
                }
            }
            for (KeyValue<String, Long> entry : due) {
                String session = entry.key;
                Optional<SessionFacts> loaded = SessionFacts.load(facts, session);
                if (loaded.isEmpty() || loaded.get().meta() == null || loaded.get().meta().endedAt() == null) {
                    pending.delete(session);
                    continue;
                }
                StatsCalculator.Computed computed = StatsCalculator.computeWithViewers(loaded.get(),
                        Instant.ofEpochMilli(now), settings.viewGrace(), 0);
                CompletableFuture<Void> write;
                try {
                    write = sink.record(new FinalStatsSink.FinalStats(computed.stats(), computed.viewerKeys(),
                            computed.cohosts())).toCompletableFuture();
                } catch (RuntimeException e) {
                    write = CompletableFuture.failedFuture(e);
                }
                inFlight.put(session, new InFlight(entry.value, write));
            }
            settle(now);
            purge(now);
        }

        /**
         * Applies the writes that finished: a recorded session leaves {@link #pending} unless a later event re-armed it
         * meanwhile (then it is recorded again, with what that event changed); a failed write stays pending.
         */
        private void settle(long now) {
            for (Iterator<Map.Entry<String, InFlight>> it = inFlight.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, InFlight> entry = it.next();
                CompletableFuture<Void> write = entry.getValue().write();
                if (!write.isDone()) {
                    continue;
                }
                it.remove();
                String session = entry.getKey();
                if (write.isCompletedExceptionally()) {
                    LOG.warnf("Final statistics of session %s not recorded (%s); retrying", session,
                            write.exceptionNow().toString());
                    continue;
                }
                Long due = pending.get(session);
                if (due != null && due == entry.getValue().due()) {
                    pending.delete(session);
                }
                finals.put(session, now);
            }
        }

        /** Drops the facts of sessions recorded longer than the retention ago; their final row answers from now on. */
        private void purge(long now) {
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, Long> all = finals.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> next = all.next();
                    if (next.value >= 0 && next.value + settings.retentionAfterEnd().toMillis() <= now
                            && pending.get(next.key) == null) {
                        expired.add(next.key);
                    }
                }
            }
            for (String session : expired) {
                List<String> keys = new ArrayList<>();
                try (KeyValueIterator<String, Fact> all = facts.prefixScan(FactKeys.prefix(session),
                        new StringSerializer())) {
                    all.forEachRemaining(kv -> keys.add(kv.key));
                }
                keys.forEach(facts::delete);
                finals.put(session, -now);
            }
        }
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
