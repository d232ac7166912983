package io.livestage.chat.room;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.ws.Frames;

/**
 * The rooms' clocks, from start to shutdown: reaction windows closed into bursts, this instance's presence counts
 * published (on change and as a heartbeat), and {@code presence} frames for the rooms whose counts changed.
 */
@ApplicationScoped
public class RoomTimers {
    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final ReactionAggregator reactions;
    private final Frames frames;
    private final ChatConfig config;
    private final Vertx vertx;
    private final List<Long> timers = new ArrayList<>();

    public RoomTimers(RoomRegistry rooms, PresenceBoard presence, ReactionAggregator reactions, Frames frames,
            ChatConfig config, Vertx vertx) {
        this.rooms = rooms;
        this.presence = presence;
        this.reactions = reactions;
        this.frames = frames;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
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
}
