package io.livestage.platform.ws;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Recognises a WebSocket frame or message the server refused for its size, so that a channel's {@code @OnError} can
 * close with 1009 and a reason instead of leaving the socket open and deaf (the default: the frame is dropped, and
 * after an oversized frame the connection reads nothing more).
 */
public final class OversizedMessages {
    /** RFC 6455 close code 1009, Message Too Big. */
    public static final int CLOSE_CODE = 1009;
    private static final String LIMIT = "quarkus.websockets-next.server.max-message-size";

    private OversizedMessages() {
    }

    /**
     * Whether {@code failure} is the refusal of a frame over {@code max-frame-size} (Netty: a corrupted frame with
     * status 1009) or of a message over {@code max-message-size} (Vert.x: an IllegalStateException naming that limit).
     */
    public static boolean isOversized(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CorruptedWebSocketFrameException corrupted && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == CLOSE_CODE) {
                return true;
            }
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().contains("max message size")) {
                return true;
            }
        }
        return false;
    }

    /** The close reason: the channel's message limit, in bytes. */
    public static String reason() {
        return ConfigProvider.getConfig().getOptionalValue(LIMIT, Integer.class)
                .map(limit -> "message too big: at most " + limit + " bytes").orElse("message too big");
    }
}
