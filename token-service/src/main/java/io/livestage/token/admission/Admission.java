package io.livestage.token.admission;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;

/**
 * Reads the admission projection ({@link AdmissionProjection}) for one token request: the session by id or slug and,
 * in the same indexed read, the caller's record in it. No write, no lock: every instance serves from it. An answer read
 * a moment ago comes from {@link AdmissionCache}, which forgets it as soon as the projection changes.
 */
@ApplicationScoped
public class Admission {
    private static final String COLUMNS = "select s.session_id, s.slug, s.host_id, s.kind, s.visibility, s.status,"
            + " s.scheduled_at, p.role, p.removed from admission_sessions s left join admission_participants p"
            + " on p.session_id = s.session_id and p.identity = $2 where s.status <> 'DELETED' and ";
    private static final String BY_ID = COLUMNS + "s.session_id = $1";
    private static final String BY_SLUG = COLUMNS + "s.slug = $1 limit 1";
    private static final String REMOVED = "select removed from admission_participants where session_id = $1"
            + " and identity = $2";

    /** A session as projected, and the caller in it ({@code role} null when the caller never joined). */
    public record Known(String id, String slug, String hostId, SessionKind kind, SessionVisibility visibility,
            SessionStatus status, Instant scheduledAt, ParticipantRole role, boolean removed) {

        public boolean hostedBy(String userId) {
            return userId != null && userId.equals(hostId);
        }
    }

    private final Pool pool;
    private final AdmissionCache cache;

    public Admission(Pool pool, AdmissionCache cache) {
        this.pool = pool;
        this.cache = cache;
    }

    /** The session {@code ref} (id or slug) with {@code identity}'s record, or null when it is not projected (yet). */
    public Uni<Known> find(String ref, String identity) {
        Known cached = cache.get(ref, identity);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long stamp = cache.stamp();
        UUID id = uuid(ref);
        Uni<RowSet<Row>> rows = id != null ? pool.preparedQuery(BY_ID).execute(Tuple.of(id, identity))
                : pool.preparedQuery(BY_SLUG).execute(Tuple.of(ref, identity));
        return rows.map(set -> {
            var it = set.iterator();
            Known known = it.hasNext() ? known(it.next()) : null;
            cache.put(ref, identity, known, stamp);
            return known;
        });
    }

    /** Whether {@code identity} was removed from the session, as projected. */
    public Uni<Boolean> removed(String sessionId, String identity) {
        UUID id = uuid(sessionId);
        if (id == null || identity == null) {
            return Uni.createFrom().item(false);
        }
        return pool.preparedQuery(REMOVED).execute(Tuple.of(id, identity)).map(set -> {
            var it = set.iterator();
            return it.hasNext() && Boolean.TRUE.equals(it.next().getBoolean(0));
        });
    }

    private static Known known(Row row) {
        OffsetDateTime scheduled = row.getOffsetDateTime("scheduled_at");
        String status = row.getString("status");
        String role = row.getString("role");
        return new Known(row.getUUID("session_id").toString(), row.getString("slug"), row.getString("host_id"),
                SessionKind.valueOf(row.getString("kind")), SessionVisibility.valueOf(row.getString("visibility")),
                SessionStatus.valueOf(status), scheduled == null ? null : scheduled.toInstant(),
                role == null ? null : ParticipantRole.valueOf(role), Boolean.TRUE.equals(row.getBoolean("removed")));
    }

    /** {@code ref} as a session id, or null when it is not one (a slug). */
    public static UUID uuid(String ref) {
        if (ref == null || ref.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(ref);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
