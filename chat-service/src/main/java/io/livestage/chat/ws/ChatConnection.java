package io.livestage.chat.ws;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.impl.ContextInternal;

import io.livestage.chat.service.TokenBucket;

/**
 * One open room-channel socket and what the server knows about it. Frames from the client are handled one at a time
 * (websockets-next's serial mode), so the per-connection state needs no locking; the role fields are written by the
 * Kafka feed and read by the handlers, hence volatile.
 *
 * <p>The socket belongs to the event loop of its Netty channel: {@link #eventLoop()} is that loop (never the thread
 * that happened to run a callback), the room groups sockets by it, and broadcasts reach the socket through
 * {@link #writer()} on that loop.
 */
public final class ChatConnection {
    /**
     * websockets-next's {@code sendText} wraps every write in a Uni with context propagation, which costs more than
     * the write (see docs/benchmarks/chat-fanout.md). Frames for this socket alone (welcome, acks, replies) go to the
     * connection's Vert.x socket directly, reached once; broadcasts go through {@link #writer()}. If a future Quarkus
     * moves it, {@code sendText} is used instead.
     */
    private static final MethodHandle VERTX_SOCKET = vertxSocketAccessor();
    /** Frames not written because the socket's write queue was full (a viewer that cannot keep up). */
    public static final LongAdder DROPPED = new LongAdder();
    private final WebSocketConnection socket;
    private final WebSocketBase vertxSocket;
    private final String sessionId;
    private final Context context;
    private final EventLoop eventLoop;
    private final SocketWriter writer;
    private final Thread openedOn = Thread.currentThread();
    private volatile Thread closedOn;
    private final Instant openedAt = Instant.now();
    private final TokenBucket flood;
    private final String deviceType;
    private final String region;
    private volatile boolean authenticated;
    private volatile boolean closing;
    private volatile String userId;
    private volatile String name;
    private volatile boolean anonymous;
    private volatile String role = "VIEWER";
    private volatile boolean banned;
    private volatile Instant timedOutUntil;
    private volatile long authTimer = -1;
    private TokenBucket messages;

    ChatConnection(WebSocketConnection socket, String sessionId, Context context, TokenBucket flood, String deviceType,
            String region) {
        this.socket = socket;
        this.vertxSocket = vertxSocket(socket);
        this.sessionId = sessionId;
        this.context = context;
        ChannelHandlerContext channel = socket.userData().get(RoomChannelUpgrade.CHANNEL);
        if (channel != null) {
            this.eventLoop = channel.channel().eventLoop();
            this.writer = SocketWriter.on(channel, () -> closing || socket.isClosed());
        } else {
            // not seen at the upgrade (never expected): the callback's context knows the loop, frames go one by one
            this.eventLoop = ((ContextInternal) context).nettyEventLoop();
            this.writer = SocketWriter.viaText(this::send);
        }
        this.flood = flood;
        this.deviceType = deviceType;
        this.region = region;
    }

    /**
     * Writes a frame; never blocks. The same string may be written to many connections. A socket whose write queue is
     * full (the viewer reads slower than the room talks) skips the frame rather than buffer without bound; the
     * client sees the gap in {@code seq} and can {@code resume}.
     */
    public void send(String frame) {
        if (closing) {
            return;
        }
        if (vertxSocket != null) {
            if (vertxSocket.writeQueueFull()) {
                DROPPED.increment();
                return;
            }
            vertxSocket.writeTextMessage(frame);
            return;
        }
        socket.sendText(frame).subscribe().with(ignored -> {
        }, failure -> {
        });
    }

    private static MethodHandle vertxSocketAccessor() {
        try {
            Method method = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase")
                    .getDeclaredMethod("webSocket");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static WebSocketBase vertxSocket(WebSocketConnection socket) {
        if (VERTX_SOCKET == null) {
            return null;
        }
        try {
            return (WebSocketBase) VERTX_SOCKET.invoke(socket);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Sends a last frame (if any) and closes with {@code code}. */
    public void close(String lastFrame, int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        Uni<Void> last = lastFrame == null ? Uni.createFrom().voidItem()
                : socket.sendText(lastFrame);
        last.onFailure().recoverWithNull().chain(() -> socket.close(new CloseReason(code, reason)))
                .subscribe().with(ignored -> {
                }, failure -> {
                });
    }

    public String id() {
        return socket.id();
    }

    public String sessionId() {
        return sessionId;
    }

    public Context context() {
        return context;
    }

    /** The event loop that owns the socket (its Netty channel's). */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    /** Writes broadcast frames to the socket; only on {@link #eventLoop()}. */
    public SocketWriter writer() {
        return writer;
    }

    /** The thread that ran the socket's open callback. */
    public Thread openedOn() {
        return openedOn;
    }

    /** The thread that ran the socket's close callback; null while open. */
    public Thread closedOn() {
        return closedOn;
    }

    void closed() {
        closedOn = Thread.currentThread();
    }

    public Instant openedAt() {
        return openedAt;
    }

    public TokenBucket flood() {
        return flood;
    }

    public String deviceType() {
        return deviceType;
    }

    public String region() {
        return region;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public boolean closing() {
        return closing;
    }

    public void authenticate(String userId, String name, boolean anonymous, String role, TokenBucket messages) {
        this.userId = userId;
        this.name = name;
        this.anonymous = anonymous;
        this.role = role;
        this.messages = messages;
        this.authenticated = true;
    }

    public String userId() {
        return userId;
    }

    public String name() {
        return name;
    }

    public boolean anonymous() {
        return anonymous;
    }

    public String role() {
        return role;
    }

    public void role(String role) {
        this.role = role;
    }

    public boolean moderator() {
        return "HOST".equals(role) || "COHOST".equals(role);
    }

    public void banned(boolean banned) {
        this.banned = banned;
    }

    public boolean banned() {
        return banned;
    }

    public Instant timedOutUntil() {
        return timedOutUntil;
    }

    public void timedOutUntil(Instant until) {
        this.timedOutUntil = until;
    }

    /** What this connection may do as far as the server last heard; the database decides on each message. */
    public boolean canChat() {
        Instant until = timedOutUntil;
        return !anonymous && !banned && (until == null || until.isBefore(Instant.now()));
    }

    /** The sender's message bucket in this room, shared by the user's sockets on this instance; null when anonymous. */
    public TokenBucket messages() {
        return messages;
    }

    long authTimer() {
        return authTimer;
    }

    void authTimer(long timer) {
        this.authTimer = timer;
    }
}
