package io.livestage.chat.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.model.StoredMessage;
import io.livestage.platform.outbox.OutboxMetadata;

/**
 * SQL of chat-service on the reactive PostgreSQL client. Reads take the pool; the parts of a transaction take the
 * transaction's connection. {@link #lockRoom} locks the room row, which serialises a room's writers so the chat
 * sequence follows commit order.
 */
@ApplicationScoped
public class ChatRepository {
    private static final String ROOM_COLUMNS = "session_id, slug, title, host_id, kind, visibility, status, "
            + "enable_chat, enable_reactions, ended_at, session_seq, slow_mode_seconds, signed_in_only, "
            + "reactions_only, blocked_terms, last_seq";
    private static final String MEMBER_COLUMNS = "user_id, name, role, on_stage, removed, participant_seq, banned, "
            + "timed_out_until, last_message_at";
    private static final String MESSAGE_COLUMNS = "id, seq, session_id, author_id, author_name, author_role, text, "
            + "client_message_id, sent_at";

    private final Pool pool;

    public ChatRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** A room row: the session view, chat settings and the chat sequence. */
    public record RoomRow(SessionView session, ChatSettings settings, long lastSeq) {
    }

    /** A member row: the participant view and the member's chat state. */
    public record MemberRow(MemberView view, boolean banned, Instant timedOutUntil, Instant lastMessageAt) {
    }

    public Uni<RoomRow> room(UUID session) {
        return pool.preparedQuery("select " + ROOM_COLUMNS + " from chat_rooms where session_id = $1")
                .execute(Tuple.of(session)).map(rows -> first(rows, ChatRepository::roomRow));
    }

    /** Locks the room row for the rest of the transaction (null when the session is unknown). */
    public Uni<RoomRow> lockRoom(SqlClient tx, UUID session) {
        return tx.preparedQuery("select " + ROOM_COLUMNS + " from chat_rooms where session_id = $1 for update")
                .execute(Tuple.of(session)).map(rows -> first(rows, ChatRepository::roomRow));
    }

    /** Takes the next chat sequence number of a locked room. */
    public Uni<Long> nextSeq(SqlClient tx, UUID session) {
        return tx.preparedQuery("update chat_rooms set last_seq = last_seq + 1 where session_id = $1 returning last_seq")
                .execute(Tuple.of(session)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<MemberRow> member(SqlClient client, UUID session, String userId) {
        return client.preparedQuery("select " + MEMBER_COLUMNS + " from chat_members where session_id = $1 and user_id = $2")
                .execute(Tuple.of(session, userId)).map(rows -> first(rows, ChatRepository::memberRow));
    }

    public Uni<MemberRow> member(UUID session, String userId) {
        return member(pool, session, userId);
    }

    /** Participants on stage or moderating: what a room needs for badges, guest counts and stage frames. */
    public Uni<List<MemberView>> stageMembers(UUID session) {
        return pool.preparedQuery("select " + MEMBER_COLUMNS + " from chat_members where session_id = $1 "
                + "and (on_stage or role in ('HOST', 'COHOST'))").execute(Tuple.of(session))
                .map(rows -> list(rows, row -> memberRow(row).view()));
    }

    public Uni<List<MemberRow>> bannedOrTimedOut(UUID session, Instant now) {
        return pool.preparedQuery("select " + MEMBER_COLUMNS + " from chat_members where session_id = $1 "
                + "and (banned or timed_out_until > $2) order by user_id")
                .execute(Tuple.of(session, utc(now))).map(rows -> list(rows, ChatRepository::memberRow));
    }

    /** Marks a message deleted; returns its author, or null when there is no such (undeleted) message. */
    public Uni<String> deleteMessage(SqlClient tx, UUID session, UUID messageId, String by, Instant at) {
        return tx.preparedQuery("update chat_messages set deleted_at = $4, deleted_by = $3 "
                + "where session_id = $1 and id = $2 and deleted_at is null returning author_id")
                .execute(Tuple.of(session, messageId, by, utc(at))).map(rows -> first(rows, row -> row.getString(0)));
    }

    /** The author of a message of the session, deleted or not; null when there is no such message. */
    public Uni<String> messageAuthor(SqlClient tx, UUID session, UUID messageId) {
        return tx.preparedQuery("select author_id from chat_messages where session_id = $1 and id = $2")
                .execute(Tuple.of(session, messageId)).map(rows -> first(rows, row -> row.getString(0)));
    }

    public Uni<Void> setTimeout(SqlClient tx, UUID session, String userId, Instant until) {
        return tx.preparedQuery("insert into chat_members (session_id, user_id, timed_out_until) values ($1, $2, $3) "
                + "on conflict (session_id, user_id) do update set timed_out_until = excluded.timed_out_until")
                .execute(Tuple.of(session, userId, utc(until))).replaceWithVoid();
    }

    public Uni<Void> setBanned(SqlClient tx, UUID session, String userId, boolean banned, String by) {
        return tx.preparedQuery("insert into chat_members (session_id, user_id, banned, banned_by) values ($1, $2, $3, $4) "
                + "on conflict (session_id, user_id) do update set banned = excluded.banned, banned_by = excluded.banned_by")
                .execute(Tuple.of(session, userId, banned, banned ? by : null)).replaceWithVoid();
    }

    public Uni<Void> saveSettings(SqlClient tx, UUID session, ChatSettings settings, String blockedPattern) {
        return tx.preparedQuery("update chat_rooms set slow_mode_seconds = $2, signed_in_only = $3, reactions_only = $4, "
                + "blocked_terms = $5, blocked_pattern = $6 where session_id = $1")
                .execute(Tuple.from(Arrays.asList(session, settings.slowModeSeconds(), settings.signedInOnly(),
                        settings.reactionsOnly(), settings.blockedTerms().toArray(String[]::new), blockedPattern)))
                .replaceWithVoid();
    }

    /** What {@code chat_post_message} answered. */
    public record PostOutcome(String outcome, String messageId, Long seq, Instant sentAt, Long retryAfterMs,
            Instant until, String authorName, String authorRole) {
    }

    /**
     * Checks and stores a message in one call (migrations V2, V3): room locked, checks, message, member, and the
     * outbox row through the platform's {@code livestage_outbox_append} with {@code event}'s columns.
     */
    public Uni<PostOutcome> postMessage(UUID session, String userId, String name, String clientMessageId, String text,
            UUID messageId, Instant sentAt, OutboxMetadata event) {
        return pool.preparedQuery("select * from chat_post_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                + "$13, $14, $15)")
                .execute(Tuple.from(Arrays.asList(session, userId, name, clientMessageId, text, messageId, utc(sentAt),
                        sentAt.toString(), event.id(), event.aggregateType(), event.eventType(), event.topic(),
                        event.source(), event.dataSchema(), event.requestId())))
                .map(rows -> first(rows, r -> {
                    OffsetDateTime at = r.getOffsetDateTime("sent_at");
                    OffsetDateTime until = r.getOffsetDateTime("until");
                    UUID id = r.getUUID("message_id");
                    return new PostOutcome(r.getString("outcome"), id == null ? null : id.toString(), r.getLong("seq"),
                            at == null ? null : at.toInstant(), r.getLong("retry_after_ms"),
                            until == null ? null : until.toInstant(), r.getString("author_name"),
                            r.getString("author_role"));
                }));
    }

    /** For {@code Outbox.appendWithNextSequence}: takes a room's next chat sequence ({@code $1} = session id). */
    public static final String NEXT_ROOM_SEQUENCE =
            "update chat_rooms set last_seq = last_seq + 1 where session_id = $1 returning last_seq as seq";

    public Uni<Void> addReactions(SqlClient tx, UUID session, String reaction, long count) {
        return tx.preparedQuery("insert into chat_reaction_totals (session_id, reaction, total) values ($1, $2, $3) "
                + "on conflict (session_id, reaction) do update set total = chat_reaction_totals.total + excluded.total")
                .execute(Tuple.of(session, reaction, count)).replaceWithVoid();
    }

    public Uni<List<ReactionTotal>> reactionTotals(UUID session) {
        return pool.preparedQuery("select reaction, total from chat_reaction_totals where session_id = $1 order by reaction")
                .execute(Tuple.of(session)).map(rows -> list(rows, r -> new ReactionTotal(r.getString(0), r.getLong(1))));
    }

    public record ReactionTotal(String reaction, long total) {
    }

    public Uni<Void> logModeration(SqlClient tx, UUID id, UUID session, String actor, String action, String target,
            UUID messageId, String detailsJson, Instant at) {
        // $7 is bound as text and then cast: a String bound straight to a jsonb parameter is stored as a JSON string
        return tx.preparedQuery("insert into chat_moderation_log (id, session_id, actor_id, action, target_user_id, "
                + "message_id, details, at) values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8)")
                .execute(Tuple.from(Arrays.asList(id, session, actor, action, target, messageId, detailsJson, utc(at))))
                .replaceWithVoid();
    }

    public record ModerationEntry(String id, String actorId, String action, String targetUserId, String messageId,
            String details, Instant at) {
    }

    public Uni<List<ModerationEntry>> moderationLog(UUID session, int limit) {
        return pool.preparedQuery("select id, actor_id, action, target_user_id, message_id, details::text, at "
                + "from chat_moderation_log where session_id = $1 order by at desc, id limit $2")
                .execute(Tuple.of(session, limit))
                .map(rows -> list(rows, r -> new ModerationEntry(r.getUUID(0).toString(), r.getString(1),
                        r.getString(2), r.getString(3), r.getUUID(4) == null ? null : r.getUUID(4).toString(),
                        r.getString(5), r.getOffsetDateTime(6).toInstant())));
    }

    /** The seq of a message of this session, or null. */
    public Uni<Long> seqOf(UUID session, UUID messageId) {
        return pool.preparedQuery("select seq from chat_messages where session_id = $1 and id = $2")
                .execute(Tuple.of(session, messageId)).map(rows -> first(rows, row -> row.getLong(0)));
    }

    /** Undeleted messages with seq greater than {@code afterSeq}, oldest first. */
    public Uni<List<StoredMessage>> messagesAfter(UUID session, long afterSeq, int limit) {
        return pool.preparedQuery("select " + MESSAGE_COLUMNS + " from chat_messages where session_id = $1 and seq > $2 "
                + "and deleted_at is null order by seq limit $3").execute(Tuple.of(session, afterSeq, limit))
                .map(rows -> list(rows, ChatRepository::message));
    }

    /** The newest undeleted messages with seq less than {@code beforeSeq}, returned oldest first. */
    public Uni<List<StoredMessage>> messagesBefore(UUID session, long beforeSeq, int limit) {
        return pool.preparedQuery("select " + MESSAGE_COLUMNS + " from chat_messages where session_id = $1 and seq < $2 "
                + "and deleted_at is null order by seq desc limit $3").execute(Tuple.of(session, beforeSeq, limit))
                .map(rows -> {
                    List<StoredMessage> page = list(rows, ChatRepository::message);
                    Collections.reverse(page);
                    return page;
                });
    }

    private static RoomRow roomRow(Row r) {
        OffsetDateTime ended = r.getOffsetDateTime("ended_at");
        SessionView session = new SessionView(r.getUUID("session_id").toString(), r.getString("slug"),
                r.getString("title"), r.getString("host_id"), r.getString("kind"), r.getString("visibility"),
                r.getString("status"), r.getBoolean("enable_chat"), r.getBoolean("enable_reactions"),
                ended == null ? null : ended.toInstant(), r.getLong("session_seq"));
        String[] terms = r.getArrayOfStrings("blocked_terms");
        ChatSettings settings = new ChatSettings(r.getInteger("slow_mode_seconds"), r.getBoolean("signed_in_only"),
                r.getBoolean("reactions_only"), terms == null ? List.of() : List.of(terms));
        return new RoomRow(session, settings, r.getLong("last_seq"));
    }

    private static MemberRow memberRow(Row r) {
        OffsetDateTime until = r.getOffsetDateTime("timed_out_until");
        OffsetDateTime last = r.getOffsetDateTime("last_message_at");
        MemberView view = new MemberView(r.getString("user_id"), r.getString("name"), r.getString("role"),
                r.getBoolean("on_stage"), r.getBoolean("removed"), r.getLong("participant_seq"));
        return new MemberRow(view, r.getBoolean("banned"), until == null ? null : until.toInstant(),
                last == null ? null : last.toInstant());
    }

    private static StoredMessage message(Row r) {
        return new StoredMessage(r.getUUID("id").toString(), r.getLong("seq"), r.getUUID("session_id").toString(),
                r.getString("author_id"), r.getString("author_name"), r.getString("author_role"), r.getString("text"),
                r.getString("client_message_id"), r.getOffsetDateTime("sent_at").toInstant());
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> map) {
        var it = rows.iterator();
        return it.hasNext() ? map.apply(it.next()) : null;
    }

    private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(map.apply(row));
        }
        return out;
    }
}
