package io.livestage.chat.room;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.service.ChatService;

/**
 * Counts reactions per room on this instance and, once per window, stores and publishes them as one aggregated
 * {@code chat.reaction} burst — a room of thousands clicking hearts costs one event and one frame per window, not
 * one per click.
 */
@ApplicationScoped
public class ReactionAggregator {
    private static final Logger LOG = Logger.getLogger(ReactionAggregator.class);
    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
    private final List<String> names;
    private final ChatService chat;
    private volatile Instant windowStart = Instant.now();

    public ReactionAggregator(ChatConfig config, ChatService chat) {
        this.names = List.copyOf(config.reactions().names());
        this.chat = chat;
    }

    public List<String> names() {
        return names;
    }

    /** Counts one reaction; false when {@code name} is not one of the configured reactions. */
    public boolean add(String sessionId, String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            return false;
        }
        counts.computeIfAbsent(sessionId, id -> new AtomicLongArray(names.size())).incrementAndGet(index);
        return true;
    }

    /** Ends the current window: every room with reactions gets one burst. */
    void flush() {
        Instant start = windowStart;
        Instant end = Instant.now();
        windowStart = end;
        for (Map.Entry<String, AtomicLongArray> entry : counts.entrySet()) {
            AtomicLongArray array = entry.getValue();
            Map<String, Long> burst = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                long n = array.getAndSet(i, 0);
                if (n > 0) {
                    burst.put(names.get(i), n);
                }
            }
            if (burst.isEmpty()) {
                counts.remove(entry.getKey(), array);
                continue;
            }
            chat.reactions(UUID.fromString(entry.getKey()), burst, start, end).subscribe().with(ignored -> {
            }, failure -> LOG.warnf("reactions of session %s not stored: %s", entry.getKey(), failure.getMessage()));
        }
    }
}
