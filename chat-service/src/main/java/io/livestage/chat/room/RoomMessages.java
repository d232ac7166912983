package io.livestage.chat.room;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.service.ChatService;
import io.livestage.chat.service.ChatService.PostResult;
import io.livestage.chat.service.TextRules;
import io.livestage.chat.service.TokenBucket;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.Frames;

/**
 * A socket's {@code chat.send}: who may send, the id and the text, the per-user rate limit on this instance, then the
 * database decides the rest ({@link ChatService#post}). The sender gets {@code chat.ack} or an {@code error} that
 * echoes its {@code clientMessageId}; the room gets the message through the feed.
 */
@ApplicationScoped
public class RoomMessages {
    private static final Logger LOG = Logger.getLogger(RoomMessages.class);
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ChatService chat;
    private final Frames frames;
    private final ChatConfig config;
    private final MeterRegistry metrics;

    public RoomMessages(ChatService chat, Frames frames, ChatConfig config, MeterRegistry metrics) {
        this.chat = chat;
        this.frames = frames;
        this.config = config;
        this.metrics = metrics;
    }

    /** {@code clientMessageId} and {@code text} are null when the frame had them missing or not as strings. */
    public Uni<Void> post(ChatConnection c, String clientMessageId, String text) {
        if (c.anonymous()) {
            return refuse(c, clientMessageId, "sign_in_required", "sign in to chat", null);
        }
        if (clientMessageId == null || !CLIENT_ID.matcher(clientMessageId).matches()) {
            return refuse(c, null, "invalid_message", "clientMessageId must be 1-64 characters of A-Z a-z 0-9 _ -", null);
        }
        if (text == null) {
            return refuse(c, clientMessageId, "invalid_message", "text must be a string", null);
        }
        String valid;
        try {
            valid = TextRules.validate(text, config.maxTextLength());
        } catch (TextRules.InvalidText e) {
            return refuse(c, clientMessageId, "invalid_message", e.getMessage(), null);
        }
        long wait = nanosToWait(c.messages());
        if (wait > 0) {
            return refuse(c, clientMessageId, "rate_limited", "too many messages; wait a moment",
                    Math.max(1, wait / 1_000_000));
        }
        return chat.post(UUID.fromString(c.sessionId()), c.userId(), c.name(), clientMessageId, valid).map(result -> {
            switch (result) {
                case PostResult.Accepted accepted -> {
                    metrics.counter("livestage.chat.messages", "outcome", "accepted").increment();
                    c.send(frames.ack(accepted.message(), false));
                }
                case PostResult.Duplicate duplicate -> {
                    metrics.counter("livestage.chat.messages", "outcome", "duplicate").increment();
                    c.send(frames.ack(duplicate.message(), true));
                }
                case PostResult.Refused refused -> {
                    metrics.counter("livestage.chat.refused", "code", refused.code()).increment();
                    c.send(frames.error(refused.code(), refused.message(), clientMessageId, refused.retryAfterMs(),
                            refused.until()));
                }
            }
            return (Void) null;
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("chat message in session %s not stored: %s", c.sessionId(), failure.toString());
            refuse(c, clientMessageId, "unavailable", "your message was not stored; send it again", null);
            return null;
        });
    }

    /** Takes a token from the user's bucket (shared by their sockets on this instance), or says how long to wait. */
    private static long nanosToWait(TokenBucket bucket) {
        synchronized (bucket) {
            long now = System.nanoTime();
            return bucket.tryTake(now) ? 0 : bucket.nanosUntilToken(now);
        }
    }

    private Uni<Void> refuse(ChatConnection c, String clientMessageId, String code, String message, Long retryAfterMs) {
        metrics.counter("livestage.chat.refused", "code", code).increment();
        c.send(frames.error(code, message, clientMessageId, retryAfterMs, null));
        return Uni.createFrom().voidItem();
    }
}
