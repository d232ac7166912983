package io.livestage.testing.gladia;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * One TCP connection to the {@link GladiaStub}: HTTP requests until a WebSocket upgrade for a session, then that
 * session's frames. All methods run on the connection's event loop except the close helpers and {@link #sendText},
 * which Netty makes safe from any thread.
 */
final class GladiaChannel extends SimpleChannelInboundHandler<Object> {

    /**
     * Frames over 1 MiB are refused with 1009 (Gladia's SDK caps its frames at 512 KiB citing a 1 MiB server limit).
     * No close on protocol violation by Netty itself: the stub closes gracefully so the close frame is not lost to a
     * TCP reset while the oversized payload is still arriving.
     */
    private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(GladiaStub.MAX_FRAME_BYTES)
            .allowExtensions(false)
            .closeOnProtocolViolation(false)
            .build();
    /** How long a closing connection waits for the client to close its side before the stub closes the socket. */
    private static final long LINGER_SECONDS = 2;
    private static final int ABBREVIATE = 120;

    private final GladiaStub stub;
    Channel channel;
    /** Set on the upgrade; read by the stub's controls. */
    volatile GladiaSession session;
    /** Guarded by the session: number 1, 2, ... among the session's connections. */
    int number;
    long openedNanos;
    /** No longer the session's current connection (guarded by the session; volatile for write listeners). */
    volatile boolean detached;
    private volatile boolean closing;

    GladiaChannel(GladiaStub stub) {
        this.stub = stub;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
        if (message instanceof FullHttpRequest request) {
            http(ctx, request);
        } else if (message instanceof WebSocketFrame frame) {
            frame(ctx, frame);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // HTTP and the upgrade

    private void http(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (session != null) {
            ctx.close();
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            stub.reject(ctx, request, 400, "Malformed HTTP request", null);
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        if (GladiaStub.LIVE_PATH.equals(query.path()) && HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, request, query);
        } else {
            stub.http(ctx, request, query);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        List<String> tokens = query.parameters().get("token");
        String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
        GladiaSession target = token == null ? null : stub.sessionByToken(token);
        if (target == null) {
            stub.reject(ctx, request, 401, token == null ? "Missing token" : "Invalid or expired token", null);
            return;
        }
        if (target.isEnded()) {
            stub.reject(ctx, request, 401, "Session " + target.id() + " has ended (" + target.endedBy()
                    + "): its token is no longer valid", null);
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(target.url(), null, DECODER)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
            return;
        }
        if (!target.attach(this)) {
            stub.reject(ctx, request, 401, "Session " + target.id() + " has ended", null);
            return;
        }
        session = target;
        // Fragmented messages are reassembled up to the same limit; the HTTP aggregator is removed by the handshake.
        ctx.pipeline().addBefore(ctx.name(), "gladia-ws-aggregator",
                new WebSocketFrameAggregator(GladiaStub.MAX_FRAME_BYTES));
        handshaker.handshake(channel, request).addListener(future -> {
            if (future.isSuccess()) {
                target.opened(this);
            } else {
                target.endConnection(this, "network", 1006);
                channel.close();
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // WebSocket frames

    private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        long receivedNanos = System.nanoTime();
        GladiaSession target = session;
        if (target == null) {
            ctx.close();
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            target.audio(this, ByteBufUtil.getBytes(frame.content()), true, receivedNanos);
        } else if (frame instanceof TextWebSocketFrame text) {
            text(target, text.text(), receivedNanos);
        } else if (frame instanceof PingWebSocketFrame) {
            if (!closing) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            target.clientClosed(this, code < 0 ? 1005 : code);
            closeWithFrame(code < 0 ? -1 : code, ""); // the echo; a no-op if the stub closed first
        }
    }

    private void text(GladiaSession target, String text, long receivedNanos) {
        JsonNode message;
        try {
            message = GladiaStub.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            target.violation(this, "text message is not JSON: " + abbreviate(text));
            return;
        }
        if (message == null || !message.isObject()) {
            target.violation(this, "text message is not a JSON object: " + abbreviate(text));
            return;
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            target.violation(this, "message without a string \"type\": " + abbreviate(text));
            return;
        }
        switch (type.asText()) {
            case "audio_chunk" -> {
                JsonNode chunk = message.path("data").path("chunk");
                if (!chunk.isTextual()) {
                    target.violation(this, "audio_chunk without a data.chunk string: " + abbreviate(text));
                    return;
                }
                byte[] audio;
                try {
                    audio = Base64.getDecoder().decode(chunk.asText());
                } catch (IllegalArgumentException e) {
                    target.violation(this, "audio_chunk data.chunk is not base64 (" + e.getMessage() + ")");
                    return;
                }
                target.audio(this, audio, false, receivedNanos);
            }
            case "stop_recording" -> target.stopRecording(this);
            default -> target.violation(this, "unknown message type \"" + type.asText() + "\": " + abbreviate(text));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= ABBREVIATE ? text : text.substring(0, ABBREVIATE) + "... (" + text.length()
                + " chars)";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        GladiaSession target = session;
        if (target != null && cause instanceof CorruptedWebSocketFrameException corrupted) {
            int code = corrupted.closeStatus().code();
            target.refusedFrame(this, code, "invalid WebSocket frame, closed " + code + ": " + cause.getMessage());
            closeWithFrame(code, corrupted.closeStatus().reasonText());
        } else if (target != null && cause instanceof TooLongFrameException) {
            target.refusedFrame(this, 1009, "fragmented message over " + GladiaStub.MAX_FRAME_BYTES
                    + " bytes, closed 1009");
            closeWithFrame(1009, "Message Too Big");
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        GladiaSession target = session;
        if (target != null) {
            target.endConnection(this, "network", 1006);
        }
        super.channelInactive(ctx);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writing and closing (any thread)

    ChannelFuture sendText(String json) {
        return channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    /** Sends a close frame ({@code code} -1: one without a code), then closes the TCP connection gracefully. */
    void closeWithFrame(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        CloseWebSocketFrame frame = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason);
        channel.writeAndFlush(frame).addListener(future -> halfClose());
    }

    /**
     * Ends the connection without a close frame: a TCP half-close (FIN after everything already written), so the
     * client sees the connection end abnormally (1006) but still reads every acknowledgement the stub counted as
     * delivered; a reset could make its kernel drop them.
     */
    void closeWithoutFrame() {
        if (closing) {
            return;
        }
        closing = true;
        if (channel.eventLoop().inEventLoop()) {
            halfClose();
        } else {
            channel.eventLoop().execute(this::halfClose);
        }
    }

    void closeNow() {
        closing = true;
        channel.close();
    }

    private void halfClose() {
        if (channel instanceof SocketChannel socket && socket.isActive() && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
            // what the client still sends is read and ignored (detached); the socket closes when it closes its side
            channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        } else {
            channel.close();
        }
    }
}
