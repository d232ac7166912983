package io.livestage.recording.streaming.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.streaming.model.StreamRow;
import io.livestage.recording.streaming.repository.StreamRepository;

/**
 * Pushes stream status changes to server-sent-event subscribers. Every change is committed with a
 * {@code pg_notify} ({@link StreamRepository#changed}); each replica LISTENs, and for a session it has subscribers
 * of, reads the status once, serialises it once per view (public, host) and writes the same text to every
 * subscriber. Pushes of one session are throttled ({@code streaming.status-throttle}: the first change goes at once,
 * changes during the wait together after it) and never overlap, so subscribers see versions in order. A poll of the
 * subscribed sessions' versions every few seconds repairs a notification lost while the LISTEN connection was down.
 */
@ApplicationScoped
public class StreamHub {
    private static final Logger LOG = Logger.getLogger(StreamHub.class);

    /** One event for a subscriber: the status version and its JSON; {@code json} null is a keep-alive comment. */
    public record Frame(long version, String json) {
    }

    private record Subscriber(MultiEmitter<? super Frame> emitter, boolean host) {
    }

    /** The subscribers of one session and its push state. */
    private static final class Room {
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        final AtomicBoolean pushing = new AtomicBoolean();
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean timer = new AtomicBoolean();
        volatile long lastPushNanos;
        volatile long version = -1;
    }

    private final Map<UUID, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private final StreamRepository streams;
    private final StreamControl control;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Config config;
    private final long throttleNanos;
    private PgSubscriber listener;

    public StreamHub(StreamRepository streams, StreamControl control, ObjectMapper json, Vertx vertx, Config config,
            RecordingConfig recording, MeterRegistry registry) {
        this.streams = streams;
        this.control = control;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
        this.throttleNanos = recording.streaming().statusThrottle().toNanos();
        registry.gauge("livestage_stream_status_subscribers", subscriberCount);
    }

    void listen(@Observes StartupEvent event) {
        String url = config.getOptionalValue("quarkus.datasource.reactive.url", String.class).orElse(null);
        if (url == null) {
            LOG.warn("No quarkus.datasource.reactive.url: stream status pushes rely on the version poll");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:")
                ? url.substring("vertx-reactive:".length()) : url);
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        listener = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        listener.channel(StreamRepository.CHANNEL).handler(this::notified);
        listener.connect().subscribe().with(ok -> LOG.debug("Listening for stream status changes"),
                failure -> LOG.warnf("LISTEN %s failed (%s); status pushes rely on the version poll until it "
                        + "reconnects", StreamRepository.CHANNEL, failure.toString()));
    }

    void close(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.closeAndForget();
        }
        rooms.values().forEach(room -> room.subscribers.forEach(s -> s.emitter().complete()));
    }

    /** The status events of a session for one subscriber: the current status first, then every change. */
    public Multi<Frame> subscribe(UUID session, boolean host) {
        return Multi.createFrom().emitter(emitter -> {
            Room room = rooms.computeIfAbsent(session, id -> new Room());
            Subscriber subscriber = new Subscriber(emitter, host);
            room.subscribers.add(subscriber);
            subscriberCount.incrementAndGet();
            emitter.onTermination(() -> {
                room.subscribers.remove(subscriber);
                subscriberCount.decrementAndGet();
                if (room.subscribers.isEmpty()) {
                    rooms.remove(session, room);
                }
            });
            streams.status(session).subscribe().with(row -> {
                if (row != null) {
                    if (row.version() > room.version) {
                        room.version = row.version();
                    }
                    emitter.emit(new Frame(row.version(), write(control.view(row, host))));
                }
            }, emitter::fail);
        });
    }

    /** A keep-alive comment to every subscriber, so proxies do not close idle streams. */
    @Scheduled(every = "20s", delayed = "20s")
    void keepAlive() {
        Frame ping = new Frame(-1, null);
        rooms.values().forEach(room -> room.subscribers.forEach(s -> s.emitter().emit(ping)));
    }

    /** Repairs a lost notification: sessions whose stored version is newer than the last one pushed. */
    @Scheduled(every = "3s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        List<UUID> subscribed = new ArrayList<>(rooms.keySet());
        if (subscribed.isEmpty()) {
            return;
        }
        streams.versions(subscribed).subscribe().with(versions -> {
            for (long[] v : versions) {
                UUID id = new UUID(v[0], v[1]);
                Room room = rooms.get(id);
                if (room != null && v[2] > room.version) {
                    notified(id.toString());
                }
            }
        }, failure -> LOG.debugf("Stream status version poll failed: %s", failure.toString()));
    }

    private void notified(String payload) {
        UUID session;
        try {
            session = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            return;
        }
        Room room = rooms.get(session);
        if (room == null) {
            return;
        }
        long wait = room.lastPushNanos + throttleNanos - System.nanoTime();
        if (wait <= 0) {
            push(session, room);
        } else if (room.timer.compareAndSet(false, true)) {
            vertx.setTimer(Math.max(1, Duration.ofNanos(wait).toMillis()), id -> {
                room.timer.set(false);
                push(session, room);
            });
        }
    }

    private void push(UUID session, Room room) {
        if (!room.pushing.compareAndSet(false, true)) {
            room.dirty.set(true);
            return;
        }
        room.dirty.set(false);
        room.lastPushNanos = System.nanoTime();
        streams.status(session).subscribe().with(row -> {
            try {
                if (row != null && row.version() > room.version) {
                    send(room, row);
                }
            } finally {
                room.pushing.set(false);
                if (room.dirty.get()) {
                    notified(session.toString());
                }
            }
        }, failure -> {
            room.pushing.set(false);
            LOG.warnf("Stream status of %s not pushed (%s); the version poll retries", session, failure.toString());
        });
    }

    private void send(Room room, StreamRow row) {
        room.version = row.version();
        String open = null;
        String owner = null;
        for (Subscriber s : room.subscribers) {
            if (s.host()) {
                owner = owner == null ? write(control.view(row, true)) : owner;
                s.emitter().emit(new Frame(row.version(), owner));
            } else {
                open = open == null ? write(control.view(row, false)) : open;
                s.emitter().emit(new Frame(row.version(), open));
            }
        }
    }

    private String write(Object status) {
        try {
            return json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stream status cannot be written as JSON", e);
        }
    }
}
