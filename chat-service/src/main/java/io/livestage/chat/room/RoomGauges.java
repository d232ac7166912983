package io.livestage.chat.room;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import io.livestage.chat.ws.ChatConnection;

/** The room channel's meters: sockets and rooms on this instance, and frames skipped for slow sockets. */
@Startup
@ApplicationScoped
public class RoomGauges {

    public RoomGauges(RoomRegistry rooms, MeterRegistry registry) {
        Gauge.builder("livestage.chat.connections", rooms, r -> r.rooms().stream().mapToInt(Room::size).sum())
                .description("Open room-channel sockets on this instance").register(registry);
        Gauge.builder("livestage.chat.rooms", rooms, r -> r.rooms().size())
                .description("Rooms with sockets on this instance").register(registry);
        FunctionCounter.builder("livestage.chat.frames.dropped", ChatConnection.DROPPED, LongAdder::sum)
                .description("Frames skipped for sockets whose write queue was full").register(registry);
    }
}
