package io.livestage.chat.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the room channel's background parts with the application: makes sure chat's topics exist, starts the Kafka
 * feed, and the timers that close reaction windows, publish presence counts and send presence frames.
 */
@ApplicationScoped
public class RoomChannelLifecycle {
    private static final Logger LOG = Logger.getLogger(RoomChannelLifecycle.class);
    private final RoomFeed feed;
    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final ReactionAggregator reactions;
    private final Frames frames;
    private final ChatConfig config;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final int partitions;
    private final List<Long> timers = new ArrayList<>();

    public RoomChannelLifecycle(RoomFeed feed, RoomRegistry rooms, PresenceBoard presence, ReactionAggregator reactions,
            Frames frames, ChatConfig config, Vertx vertx, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "livestage.chat.topic-partitions", defaultValue = "6") int partitions) {
        this.feed = feed;
        this.rooms = rooms;
        this.presence = presence;
        this.reactions = reactions;
        this.frames = frames;
        this.config = config;
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        Gauge.builder("livestage.chat.connections", rooms, r -> r.rooms().stream().mapToInt(Room::size).sum())
                .description("Open room-channel sockets on this instance").register(registry);
        Gauge.builder("livestage.chat.rooms", rooms, r -> r.rooms().size())
                .description("Rooms with sockets on this instance").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("livestage.chat.frames.dropped", ChatConnection.DROPPED,
                java.util.concurrent.atomic.LongAdder::sum)
                .description("Frames skipped for sockets whose write queue was full").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        ensureTopics();
        feed.start();
        timers.add(vertx.setPeriodic(config.reactions().window().toMillis(), id -> reactions.flush()));
        // KafkaProducer.send may wait for metadata when the broker is away: never on an event loop
        timers.add(vertx.setPeriodic(250, id -> vertx.executeBlocking(() -> {
            presence.publishChanged();
            return null;
        }, false)));
        timers.add(vertx.setPeriodic(config.presence().heartbeat().toMillis(), id -> vertx.executeBlocking(() -> {
            presence.heartbeat();
            return null;
        }, false)));
        timers.add(vertx.setPeriodic(config.presence().throttle().toMillis(), id -> sendPresence()));
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        reactions.flush();
        feed.stop();
    }

    /** One presence frame per room whose counts changed since the last one. */
    private void sendPresence() {
        for (Room room : rooms.rooms()) {
            long viewers = presence.viewers(room.sessionId());
            long guests = room.guests();
            if (room.presenceChanged(viewers, guests)) {
                room.broadcast(frames.presence(viewers, guests));
            }
        }
    }

    /** Creates chat's topics when missing (6 partitions, key = session id), as session-service's are. */
    private void ensureTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            // livestage.transcript too: the feed reads it for captions, whichever service starts first
            for (String topic : List.of(Topics.CHAT, PresenceBoard.TOPIC, Topics.TRANSCRIPT)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            LOG.warnf("could not check or create chat topics (%s); they will be auto-created if the broker allows it",
                    e.toString());
        }
    }
}
