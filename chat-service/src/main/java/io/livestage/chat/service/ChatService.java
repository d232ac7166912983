package io.livestage.chat.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.StoredMessage;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.repository.ChatRepository.MemberRow;
import io.livestage.chat.repository.ChatRepository.RoomRow;
import io.livestage.events.EventType;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatModerationAction;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.platform.outbox.Outbox;
import io.livestage.platform.problem.ProblemException;

/**
 * The chat use cases. Each writes its state and its outbox row in one transaction that takes the room's next chat
 * sequence under the room row's lock — so state and event commit together, and a room's events are numbered in commit
 * order. A message is checked and stored by one database call ({@code chat_post_message}, migrations V2 and V3): the checks
 * (chat on, modes, removal, bans, timeouts, slow mode, blocked terms, retries) read the locked row, so they hold across
 * instances, and the lock lasts microseconds rather than round trips.
 */
@ApplicationScoped
public class ChatService {
    private final ChatRepository repository;
    private final Outbox outbox;
    private final ObjectMapper json;

    public ChatService(ChatRepository repository, Outbox outbox, ObjectMapper json) {
        this.repository = repository;
        this.outbox = outbox;
        this.json = json;
    }

    /** The outcome of a chat send. */
    public sealed interface PostResult {
        record Accepted(StoredMessage message) implements PostResult {
        }

        /** The same client message id was stored before: nothing new was written. */
        record Duplicate(StoredMessage message) implements PostResult {
        }

        record Refused(String code, String message, Long retryAfterMs, Instant until) implements PostResult {
            static Refused of(String code, String message) {
                return new Refused(code, message, null, null);
            }
        }
    }

    public Uni<PostResult> post(UUID session, String userId, String name, String clientMessageId, String text) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return repository.postMessage(session, userId, name, clientMessageId, text, UUID.randomUUID(), now,
                outbox.metadata(EventType.CHAT_MESSAGE)).map(o -> {
                    if (o == null) {
                        return PostResult.Refused.of("not_found", "no such session");
                    }
                    return switch (o.outcome()) {
                        case "accepted" -> {
                            outbox.committed();
                            yield new PostResult.Accepted(stored(session, userId, clientMessageId, text, o));
                        }
                        case "duplicate" -> new PostResult.Duplicate(stored(session, userId, clientMessageId, text, o));
                        case "not_found" -> PostResult.Refused.of("not_found", "no such session");
                        case "over" -> PostResult.Refused.of("chat_disabled", "the session is over");
                        case "chat_disabled" -> PostResult.Refused.of("chat_disabled", "the host turned chat off for this session");
                        case "removed" -> PostResult.Refused.of("removed", "you were removed from this session");
                        case "banned" -> PostResult.Refused.of("banned", "you are banned from this chat");
                        case "timed_out" -> new PostResult.Refused("timed_out", "you are timed out", null, o.until());
                        case "reactions_only" -> PostResult.Refused.of("reactions_only", "the chat is in reactions-only mode");
                        case "slow_mode" -> new PostResult.Refused("slow_mode", "slow mode is on: wait before your next message",
                                o.retryAfterMs(), null);
                        case "blocked_term" -> PostResult.Refused.of("blocked_term",
                                "your message contains a term this chat does not allow");
                        default -> throw new IllegalStateException("unexpected outcome " + o.outcome());
                    };
                });
    }

    private static StoredMessage stored(UUID session, String userId, String clientMessageId, String text,
            ChatRepository.PostOutcome o) {
        return new StoredMessage(o.messageId(), o.seq(), session.toString(), userId, o.authorName(), o.authorRole(),
                text, clientMessageId, o.sentAt());
    }

    static String role(RoomRow room, MemberRow member, String userId) {
        if (userId.equals(room.session().hostId())) {
            return "HOST";
        }
        return member == null ? "VIEWER" : member.view().role();
    }

    static boolean isModerator(String role) {
        return "HOST".equals(role) || "COHOST".equals(role);
    }

    public static ChatMessagePosted posted(StoredMessage m) {
        return new ChatMessagePosted(m.id(), m.seq(), m.sessionId(),
                new ChatAuthor(m.authorId(), m.authorName(), ParticipantRole.valueOf(m.authorRole())), m.text(),
                m.clientMessageId(), m.sentAt());
    }

    /** Records a connection opening or closing ({@code viewer.presence}). */
    public Uni<Void> presence(ViewerPresence presence) {
        return outbox.appendWithNextSequence(repository.pool(), EventType.VIEWER_PRESENCE, presence.sessionId(),
                ChatRepository.NEXT_ROOM_SEQUENCE, UUID.fromString(presence.sessionId()), presence.at(), presence)
                .invoke(appended -> {
                    if (appended) {
                        outbox.committed();
                    }
                }).replaceWithVoid();
    }

    /** Stores one window of reactions (adds to the totals) and publishes the burst ({@code chat.reaction}). */
    public Uni<Void> reactions(UUID session, Map<String, Long> counts, Instant windowStart, Instant windowEnd) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        ChatReactionBurst burst = new ChatReactionBurst(session.toString(), windowStart, windowEnd, counts, total);
        return repository.pool().withTransaction(tx -> {
            Uni<Void> totals = Uni.createFrom().voidItem();
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                totals = totals.chain(() -> repository.addReactions(tx, session, e.getKey(), e.getValue()));
            }
            return totals.chain(() -> outbox.appendWithNextSequence(tx, EventType.CHAT_REACTION, session.toString(),
                    ChatRepository.NEXT_ROOM_SEQUENCE, session, windowEnd, burst));
        }).invoke(appended -> {
            if (appended) {
                outbox.committed();
            }
        }).replaceWithVoid();
    }

    // Moderation: hosts and cohosts. Errors are problems for the REST layer.

    /**
     * Deletes a message. Its author is the one moderated: a cohost cannot delete the host's or another cohost's
     * messages; anyone who moderates may delete their own.
     */
    public Uni<ChatModerated> deleteMessage(UUID session, String actor, UUID messageId) {
        return moderate(session, actor, tx -> repository.messageAuthor(tx, session, messageId).invoke(author -> {
            if (author == null) {
                throw ProblemException.notFound("message");
            }
        }), true, (tx, room, now) -> repository.deleteMessage(tx, session, messageId, actor, now)
                .map(author -> author == null ? null // deleted before: nothing to log or emit
                        : new Draft(ChatModerationAction.MESSAGE_DELETED, null, messageId.toString(), null, null, null, null)));
    }

    public Uni<ChatModerated> timeout(UUID session, String actor, String target, long seconds, String reason) {
        return moderate(session, actor, target, (tx, room, now) -> {
            Instant until = now.plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
            return repository.setTimeout(tx, session, target, until).replaceWith(new Draft(
                    ChatModerationAction.USER_TIMED_OUT, target, null, seconds, until, reason, null));
        });
    }

    public Uni<ChatModerated> ban(UUID session, String actor, String target, String reason) {
        return moderate(session, actor, target, (tx, room, now) -> repository.setBanned(tx, session, target, true, actor)
                .replaceWith(new Draft(ChatModerationAction.USER_BANNED, target, null, null, null, reason, null)));
    }

    public Uni<ChatModerated> unban(UUID session, String actor, String target) {
        return moderate(session, actor, target, (tx, room, now) -> repository.member(tx, session, target)
                .flatMap(member -> member == null || !member.banned() ? Uni.createFrom().<Draft> nullItem()
                        : repository.setBanned(tx, session, target, false, actor).replaceWith(new Draft(
                                ChatModerationAction.USER_UNBANNED, target, null, null, null, null, null))));
    }

    public Uni<ChatSettings> updateSettings(UUID session, String actor, SettingsChange change) {
        ChatSettings[] saved = new ChatSettings[1];
        return moderate(session, actor, null, (tx, room, now) -> {
            ChatSettings next = change.applyTo(room.settings());
            saved[0] = next;
            if (next.equals(room.settings())) {
                return Uni.createFrom().<Draft> nullItem();
            }
            return repository.saveSettings(tx, session, next, TextRules.blockedPattern(next.blockedTerms())).replaceWith(new Draft(
                    ChatModerationAction.SETTINGS_CHANGED, null, null, null, null, null, snapshot(next)));
        }).map(ignored -> saved[0]);
    }

    public static ChatSettingsSnapshot snapshot(ChatSettings settings) {
        return new ChatSettingsSnapshot(settings.slowModeSeconds(), settings.signedInOnly(), settings.reactionsOnly(),
                settings.blockedTerms().size());
    }

    /** A partial settings change: null fields stay as they are. */
    public record SettingsChange(Integer slowModeSeconds, Boolean signedInOnly, Boolean reactionsOnly,
            List<String> blockedTerms) {
        ChatSettings applyTo(ChatSettings current) {
            return new ChatSettings(slowModeSeconds != null ? slowModeSeconds : current.slowModeSeconds(),
                    signedInOnly != null ? signedInOnly : current.signedInOnly(),
                    reactionsOnly != null ? reactionsOnly : current.reactionsOnly(),
                    blockedTerms != null ? List.copyOf(blockedTerms) : current.blockedTerms());
        }
    }

    private record Draft(ChatModerationAction action, String target, String messageId, Long durationSeconds,
            Instant until, String reason, ChatSettingsSnapshot settings) {
    }

    @FunctionalInterface
    private interface ModerationStep {
        Uni<Draft> apply(SqlConnection tx, RoomRow room, Instant now);
    }

    /**
     * Checks that {@code actor} moderates the room (and may act on {@code target}), applies the step, then logs and
     * emits what it did. A step that changes nothing (already deleted, not banned, same settings) returns null:
     * nothing is logged or emitted, and the call still succeeds.
     */
    private Uni<ChatModerated> moderate(UUID session, String actor, String target, ModerationStep step) {
        return moderate(session, actor, tx -> Uni.createFrom().item(target), false, step);
    }

    /** As above, the target looked up in the transaction ({@code null}: none); {@code selfAllowed}: on oneself too. */
    private Uni<ChatModerated> moderate(UUID session, String actor, Function<SqlConnection, Uni<String>> targetOf,
            boolean selfAllowed, ModerationStep step) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return repository.pool().withTransaction(tx -> repository.lockRoom(tx, session).flatMap(room -> {
            if (room == null) {
                throw ProblemException.notFound("session");
            }
            return repository.member(tx, session, actor).flatMap(actorRow -> {
                String actorRole = role(room, actorRow, actor);
                if (!isModerator(actorRole)) {
                    throw ProblemException.forbidden("only the host and cohosts moderate this chat");
                }
                Uni<Void> targetCheck = targetOf.apply(tx).flatMap(target -> target == null
                        || (selfAllowed && target.equals(actor)) ? Uni.createFrom().voidItem()
                        : repository.member(tx, session, target).invoke(targetRow -> {
                            String targetRole = role(room, targetRow, target);
                            if (target.equals(actor)) {
                                throw ProblemException.invalid("userId", "moderators cannot moderate themselves");
                            }
                            if ("HOST".equals(targetRole) || ("COHOST".equals(targetRole) && !"HOST".equals(actorRole))) {
                                throw ProblemException.forbidden("a " + targetRole.toLowerCase() + " cannot be moderated by a "
                                        + actorRole.toLowerCase());
                            }
                        }).replaceWithVoid());
                return targetCheck.chain(() -> step.apply(tx, room, now)).flatMap(draft -> draft == null
                        ? Uni.createFrom().<ChatModerated> nullItem()
                        : record(tx, session, actor, draft, now));
            });
        })).invoke(moderated -> {
            if (moderated != null) {
                outbox.committed();
            }
        });
    }

    private Uni<ChatModerated> record(SqlConnection tx, UUID session, String actor, Draft d, Instant now) {
        ChatModerated event = new ChatModerated(UUID.randomUUID().toString(), session.toString(), d.action(), actor,
                d.target(), d.messageId(), d.durationSeconds(), d.until(), d.reason(), d.settings(), now);
        return repository.nextSeq(tx, session)
                .chain(seq -> repository.logModeration(tx, UUID.fromString(event.actionId()), session, actor,
                        d.action().name(), d.target(), d.messageId() == null ? null : UUID.fromString(d.messageId()),
                        details(d), now)
                        .chain(() -> outbox.append(tx, EventType.CHAT_MODERATED, session.toString(), seq, now, event)))
                .replaceWith(event);
    }

    private String details(Draft d) {
        var node = json.createObjectNode();
        if (d.durationSeconds() != null) {
            node.put("durationSeconds", d.durationSeconds());
            node.put("until", d.until().toString());
        }
        if (d.reason() != null) {
            node.put("reason", d.reason());
        }
        if (d.settings() != null) {
            node.set("settings", json.valueToTree(d.settings()));
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
