package io.livestage.chat.room;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.LoopWriter;
import io.livestage.chat.ws.OutboundFrame;
import io.livestage.chat.ws.SocketWriter;

/**
 * The room channel's meters: sockets and rooms on this instance, frames skipped for slow sockets, and the fan-out's
 * write path (frames encoded, deliveries written from them, batches, writes made off a socket's own event loop).
 */
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
        FunctionCounter.builder("livestage.chat.frames.encoded", OutboundFrame.ENCODED, LongAdder::sum)
                .description("Frames encoded once for a broadcast, each shared by every socket it goes to")
                .register(registry);
        FunctionCounter.builder("livestage.chat.frames.written", SocketWriter.WRITTEN, LongAdder::sum)
                .description("Broadcast frames written to sockets from a shared buffer").register(registry);
        FunctionCounter.builder("livestage.chat.fanout.batches", LoopWriter.BATCHES, LongAdder::sum)
                .description("Fan-out batches run on event loops (one flush per socket written in each)")
                .register(registry);
        FunctionCounter.builder("livestage.chat.fanout.off.loop", SocketWriter.OFF_LOOP, LongAdder::sum)
                .description("Sockets written to from a thread other than their own event loop (expected 0)")
                .register(registry);
    }
}
