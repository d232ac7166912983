package io.livestage.chat.room;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.events.Topics;

/**
 * Viewer counts across chat-service instances. Each instance publishes how many sockets it holds per room on the
 * internal topic {@value #TOPIC} (key = session id) when the number changes and as a heartbeat; each instance adds
 * up the latest count of every instance it heard from recently. An instance that dies stops heartbeating and drops
 * out of the sum after {@code livestage.chat.presence.expiry} — counts never stick after a crash.
 */
@ApplicationScoped
public class PresenceBoard {
    /** Internal topic (not part of the public event catalogue). */
    public static final String TOPIC = Topics.CHAT_PRESENCE;
    private static final Logger LOG = Logger.getLogger(PresenceBoard.class);

    private final String instance = UUID.randomUUID().toString();
    private final Map<String, Map<String, Count>> remote = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final RoomRegistry rooms;
    private final ChatConfig config;
    private final ObjectMapper json;
    private final String bootstrapServers;
    private volatile KafkaProducer<String, String> producer;

    private record Count(long viewers, long atMillis) {
    }

    /** The value of a {@value #TOPIC} record: an instance's socket count of one room at {@code at} (epoch ms). */
    record PublishedCount(String instance, long viewers, long at) {
    }

    public PresenceBoard(RoomRegistry rooms, ChatConfig config, ObjectMapper json,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.rooms = rooms;
        this.config = config;
        this.json = json;
        this.bootstrapServers = bootstrapServers;
    }

    public String instance() {
        return instance;
    }

    /** Viewers of a room across every live instance (this one counted live). */
    public long viewers(String sessionId) {
        Room local = rooms.room(sessionId);
        long total = local == null ? 0 : local.size();
        Map<String, Count> others = remote.get(sessionId);
        if (others != null) {
            long fresh = System.currentTimeMillis() - config.presence().expiry().toMillis();
            for (Map.Entry<String, Count> e : others.entrySet()) {
                if (e.getValue().atMillis() >= fresh) {
                    total += e.getValue().viewers();
                }
            }
        }
        return total;
    }

    /** This instance's count of a room changed: publish it soon. */
    public void changed(String sessionId) {
        dirty.add(sessionId);
    }

    /** Publishes the counts that changed since the last call. */
    void publishChanged() {
        for (String sessionId : dirty) {
            dirty.remove(sessionId);
            Room room = rooms.room(sessionId);
            publish(sessionId, room == null ? 0 : room.size());
        }
    }

    /** Republishes every local count, so other instances keep counting this one. */
    void heartbeat() {
        for (Room room : rooms.rooms()) {
            publish(room.sessionId(), room.size());
        }
        long stale = System.currentTimeMillis() - 4 * config.presence().expiry().toMillis();
        remote.values().forEach(counts -> counts.values().removeIf(c -> c.atMillis() < stale));
        remote.values().removeIf(Map::isEmpty);
    }

    /** A count published by an instance (maybe this one, which is ignored). */
    public void onRecord(String sessionId, byte[] value) {
        try {
            PublishedCount count = json.readValue(value, PublishedCount.class);
            if (count.instance() == null || instance.equals(count.instance()) || sessionId == null) {
                return;
            }
            Map<String, Count> counts = remote.computeIfAbsent(sessionId, id -> new ConcurrentHashMap<>());
            if (count.viewers() == 0) {
                counts.remove(count.instance());
            } else {
                counts.put(count.instance(), new Count(count.viewers(), count.at()));
            }
        } catch (IOException e) {
            LOG.debugf("ignoring an unreadable presence record: %s", e.getMessage());
        }
    }

    private void publish(String sessionId, long viewers) {
        producer().send(new ProducerRecord<>(TOPIC, sessionId, value(viewers)), (metadata, failure) -> {
            if (failure != null) {
                LOG.debugf("presence count for %s not published: %s", sessionId, failure.getMessage());
            }
        });
    }

    private String value(long viewers) {
        try {
            return json.writeValueAsString(new PublishedCount(instance, viewers, System.currentTimeMillis()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("presence count cannot be serialised", e);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "1");
                    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
                    // a count is republished every few seconds anyway: do not hold a worker long for one
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "chat-service-presence-" + instance);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    producer = new KafkaProducer<>(props);
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            for (Room room : rooms.rooms()) {
                p.send(new ProducerRecord<>(TOPIC, room.sessionId(), value(0)));
            }
            p.close(Duration.ofSeconds(2));
        }
    }
}
