package io.livestage.chat.ws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.EventLoop;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;

/**
 * One {@link LoopWriter} per event loop, shared by every room with sockets on that loop, so frames of several rooms
 * that arrive together reach a loop's sockets in one batch. Each writer runs on a Vert.x context of its own on that
 * loop (a new duplicated context), so the actions it runs see a Vert.x context as the socket callbacks do.
 */
@ApplicationScoped
public class LoopWriters {
    private final Map<EventLoop, LoopWriter> writers = new ConcurrentHashMap<>();

    /** The writer of the event loop that owns {@code c}'s socket. */
    public LoopWriter of(ChatConnection c) {
        return writers.computeIfAbsent(c.eventLoop(), loop -> {
            Context context = VertxContext.createNewDuplicatedContext(c.context());
            return new LoopWriter(task -> context.runOnContext(ignored -> task.run()));
        });
    }
}
