package io.livestage.chat.ws;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;

/**
 * Writes shared {@link OutboundFrame}s to one socket, on the socket's own event loop: queued without a flush, the
 * caller flushes once at the end of its batch. Writes go into the Netty pipeline at the Vert.x socket's handler, so
 * they take the same path as Vert.x's own (and keep their order with them), minus Vert.x's per-write promise, lock
 * and flush.
 *
 * <p>A socket whose outbound buffer is over its high-water mark (a viewer reading slower than the room talks) skips
 * the frame, counted in {@link ChatConnection#DROPPED}, rather than buffer without bound: before skipping, what this
 * batch already queued for it is flushed, so a healthy socket taking a large batch is not mistaken for a slow one.
 * A socket that negotiated a compression extension gets the payload as a frame for its own encoders to compress.
 *
 * <p>Not thread-safe: only the socket's event loop calls it.
 */
public final class SocketWriter {
    /** Frames written to sockets from shared buffers (deliveries of the fan-out). */
    public static final LongAdder WRITTEN = new LongAdder();
    /**
     * Sockets written to from a thread other than their own event loop (Netty then hands each write over as a task,
     * the cost this design removes): counted once per socket and batch, and expected to stay 0.
     */
    public static final LongAdder OFF_LOOP = new LongAdder();

    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final ChannelPromise voidPromise;
    private final BooleanSupplier closed;
    private final Consumer<String> fallback;
    private Boolean compressed;
    private boolean unflushed;

    private SocketWriter(ChannelHandlerContext ctx, BooleanSupplier closed, Consumer<String> fallback) {
        this.ctx = ctx;
        this.channel = ctx == null ? null : ctx.channel();
        this.voidPromise = ctx == null ? null : new VoidChannelPromise(ctx.channel(), false);
        this.closed = closed;
        this.fallback = fallback;
    }

    /**
     * Writes into {@code ctx}'s pipeline (the handler that owns the socket: frames pass the WebSocket encoders between
     * it and the network); {@code closed} tells when the socket must not get data frames any more (closing, or its
     * close handshake started).
     */
    public static SocketWriter on(ChannelHandlerContext ctx, BooleanSupplier closed) {
        return new SocketWriter(ctx, closed, null);
    }

    /** For a socket whose channel is out of reach: each frame is handed to {@code send} as text, one at a time. */
    public static SocketWriter viaText(Consumer<String> send) {
        return new SocketWriter(null, () -> false, send);
    }

    /** The event loop that owns the socket; null when written through {@link #viaText}. */
    public EventLoop eventLoop() {
        return channel == null ? null : channel.eventLoop();
    }

    /**
     * Queues {@code frame} for this socket without flushing. Returns true when the socket now waits for a
     * {@link #flush()} that nobody has been told about yet (its first write since the last flush).
     */
    public boolean write(OutboundFrame frame) {
        if (ctx == null) {
            fallback.accept(frame.text());
            return false;
        }
        if (closed.getAsBoolean()) {
            return false;
        }
        if (!channel.isWritable()) {
            flush();
            if (!channel.isWritable()) {
                ChatConnection.DROPPED.increment();
                return false;
            }
        }
        boolean first = !unflushed;
        if (first && !channel.eventLoop().inEventLoop()) {
            OFF_LOOP.increment();
        }
        ctx.write(compressed() ? frame.payloadFrame() : frame.wire(), voidPromise);
        WRITTEN.increment();
        unflushed = true;
        return first;
    }

    /** Sends what {@link #write} queued since the last flush. */
    public void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    /** Bytes queued for the socket that the network has not taken yet. */
    public long pendingBytes() {
        if (channel == null || channel.unsafe().outboundBuffer() == null) {
            return 0;
        }
        return channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    /** The outbound buffer's high-water mark: above it the socket counts as slow and frames for it are skipped. */
    public int pendingLimit() {
        return channel == null ? 0 : channel.config().getWriteBufferHighWaterMark();
    }

    /**
     * Whether a compression extension sits in the pipeline. Extensions are installed once the handshake response is
     * written, before the client can send its auth frame, and only authenticated sockets get broadcasts, so the
     * first answer holds for the socket's life.
     */
    private boolean compressed() {
        if (compressed == null) {
            compressed = ctx.pipeline().get(WebSocketExtensionEncoder.class) != null;
        }
        return compressed;
    }
}
