package io.livestage.recording.streaming.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
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
 * of, reads the status once, encodes the SSE event once per view (public, host) and hands the same bytes to every
 * subscriber, in one task per event loop (a subscriber's response is written on its connection's own loop). Pushes of
 * one session are throttled ({@code streaming.status-throttle}: the first change goes at once, changes during the wait
 * together after it) and never overlap, so subscribers see versions in order. A subscriber whose connection cannot
 * take more (its write queue is full) skips that event: every event is the whole status, so the next one catches it
 * up. A poll of the subscribed sessions' versions every few seconds repairs a notification lost while the LISTEN
 * connection was down.
 */
@ApplicationScoped
public class StreamHub {
    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

    /** One subscriber: its response, the event loop it is written on, and whether it gets the host's view. */
    public record Subscriber(HttpServerResponse response, Context context, boolean host) {
    }

    /** The subscribers of one session and its push state. */
    private static final class Room {
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        final AtomicBoolean pushing = new AtomicBoolean();
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean timer = new AtomicBoolean();
        volatile long lastPushNanos;
        volatile long version = -1;
        volatile Buffer lastOpen;
        volatile Buffer lastHost;
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
    }

    /**
     * Adds a subscriber of {@code row}'s session (its status as read for the access check) and sends it that status
     * at once, or the newer one already pushed to the others. The subscriber leaves when its connection closes.
     */
    public void subscribe(StreamRow row, Subscriber subscriber) {
        UUID session = row.sessionId();
        Room room = rooms.computeIfAbsent(session, id -> new Room());
        room.subscribers.add(subscriber);
        subscriberCount.incrementAndGet();
        Runnable leave = () -> {
            if (room.subscribers.remove(subscriber)) {
                subscriberCount.decrementAndGet();
                if (room.subscribers.isEmpty()) {
                    rooms.remove(session, room);
                }
            }
        };
        subscriber.response().closeHandler(ignored -> leave.run());
        subscriber.response().exceptionHandler(ignored -> leave.run());
        Buffer newer = subscriber.host() ? room.lastHost : room.lastOpen;
        Buffer first = newer != null && room.version > row.version() ? newer
                : event(row.version(), write(control.view(row, subscriber.host())));
        if (row.version() > room.version && newer == null) {
            room.version = row.version();
        }
        subscriber.context().runOnContext(ignored -> send(subscriber, first));
    }

    /** A keep-alive comment to every subscriber, so proxies do not close idle streams. */
    @Scheduled(every = "20s", delayed = "20s")
    void keepAlive() {
        rooms.values().forEach(room -> deliver(room.subscribers, KEEP_ALIVE, KEEP_ALIVE));
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
                    Buffer open = event(row.version(), write(control.view(row, false)));
                    Buffer host = event(row.version(), write(control.view(row, true)));
                    room.lastOpen = open;
                    room.lastHost = host;
                    room.version = row.version();
                    deliver(room.subscribers, open, host);
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

    /** One task per event loop writes the event to that loop's subscribers. */
    private static void deliver(List<Subscriber> subscribers, Buffer open, Buffer host) {
        Map<Context, List<Subscriber>> byLoop = new IdentityHashMap<>();
        for (Subscriber s : subscribers) {
            byLoop.computeIfAbsent(s.context(), c -> new ArrayList<>()).add(s);
        }
        byLoop.forEach((context, group) -> context.runOnContext(ignored -> {
            for (Subscriber s : group) {
                send(s, s.host() ? host : open);
            }
        }));
    }

    private static void send(Subscriber s, Buffer event) {
        HttpServerResponse response = s.response();
        if (!response.ended() && !response.closed() && !response.writeQueueFull()) {
            response.write(event);
        }
    }

    /** {@code event: stream}, the version as its id, the status JSON (one line) as its data. */
    static Buffer event(long version, String status) {
        return Buffer.buffer("event: stream\nid: " + version + "\ndata: " + status + "\n\n", "UTF-8");
    }

    private String write(Object status) {
        try {
            return json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stream status cannot be written as JSON", e);
        }
    }
}
