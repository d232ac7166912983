package io.livestage.chat.room;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.model.StoredMessage;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.Frames;

/**
 * A socket's {@code resume}: the messages after the one it names (or after a sequence number), up to
 * {@code livestage.chat.resume-limit}, as replayed {@code chat.message} frames, then {@code resume.done}.
 */
@ApplicationScoped
public class RoomReplay {
    private final ChatRepository repository;
    private final Frames frames;
    private final ChatConfig config;
    private final MeterRegistry metrics;

    public RoomReplay(ChatRepository repository, Frames frames, ChatConfig config, MeterRegistry metrics) {
        this.repository = repository;
        this.frames = frames;
        this.config = config;
        this.metrics = metrics;
    }

    /** After the message {@code lastMessageId} when not null, else after {@code lastSeq}. */
    public Uni<Void> resume(ChatConnection c, UUID lastMessageId, long lastSeq) {
        UUID session = UUID.fromString(c.sessionId());
        Uni<Long> after = lastMessageId != null ? repository.seqOf(session, lastMessageId)
                : Uni.createFrom().item(lastSeq);
        int limit = config.resumeLimit();
        return after.flatMap(seq -> {
            if (seq == null) {
                metrics.counter("livestage.chat.refused", "code", "not_found").increment();
                c.send(frames.error("not_found", "no such message in this session"));
                return Uni.createFrom().voidItem();
            }
            return repository.messagesAfter(session, seq, limit + 1).map(messages -> {
                int count = Math.min(limit, messages.size());
                for (StoredMessage m : messages.subList(0, count)) {
                    c.send(frames.replayedMessage(m));
                }
                c.send(frames.resumeDone(count, messages.size() <= limit));
                return null;
            });
        });
    }
}
