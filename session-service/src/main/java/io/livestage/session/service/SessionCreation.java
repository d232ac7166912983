package io.livestage.session.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import org.hibernate.exception.ConstraintViolationException;

import io.livestage.events.EventType;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.IdempotencyRecord;
import io.livestage.session.Session;
import io.livestage.session.Settings;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.IdempotencyRecordRepository;
import io.livestage.session.repository.SessionRepository;
import io.livestage.session.repository.SessionRows;

/**
 * Creates sessions: a fresh slug (retried on the rare collision) and, with an Idempotency-Key, the key claimed in the
 * transaction that inserts the session and its {@code session.created}.
 */
@ApplicationScoped
public class SessionCreation {
    private static final int SLUG_ATTEMPTS = 5;
    private static final String UNIQUE_VIOLATION = "23505";

    private final SessionRepository sessions;
    private final SessionRows rows;
    private final IdempotencyRecordRepository idempotencyRecords;
    private final HibernateOutbox outbox;
    private final SlugGenerator slugs;
    private final ObjectMapper json;

    public SessionCreation(SessionRepository sessions, SessionRows rows, IdempotencyRecordRepository idempotencyRecords,
            HibernateOutbox outbox, SlugGenerator slugs, ObjectMapper json) {
        this.sessions = sessions;
        this.rows = rows;
        this.idempotencyRecords = idempotencyRecords;
        this.outbox = outbox;
        this.slugs = slugs;
        this.json = json;
    }

    /**
     * Creates a session hosted by {@code hostId}. With an idempotency key (null: none) the key is claimed in the
     * transaction that inserts the session; a key the caller already used answers that session (replayed) when the
     * request is the same, 422 when it differs.
     */
    public Uni<CreatedSession> create(String hostId, NewSession request, IdempotencyKey key) {
        Instant now = Times.now();
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.title = request.title().strip();
        session.description = SessionService.blankToNull(request.description());
        session.hostId = hostId;
        session.spaceId = request.spaceId();
        session.kind = request.kind();
        session.visibility = Objects.requireNonNullElse(request.visibility(), SessionVisibility.PUBLIC);
        session.status = SessionStatus.SCHEDULED;
        session.scheduledAt = request.scheduledAt() == null ? null : request.scheduledAt().truncatedTo(ChronoUnit.MICROS);
        session.createdAt = now;
        session.updatedAt = now;
        session.settings = SettingsRules.apply(Settings.defaults(request.kind()), request.settings());
        session.eventSequence = 1;
        IdempotencyRecord record = key == null ? null : record(hostId, key, request, session.id, now);
        // The unique constraint is the slug check: a collision (about 1 in 10^12 per pair) retries with a new slug,
        // which saves a query on every create.
        return Uni.createFrom().deferred(() -> {
            session.slug = slugs.next();
            if (record == null) {
                // Without a key (the usual create): the row and its event in one statement, no Hibernate session.
                return rows.insertCreated(session).map(s -> new CreatedSession(s, false));
            }
            return outbox.transaction(() -> claim(record).chain(earlier -> earlier != null ? replay(earlier, record)
                    : sessions.persist(session)
                            .call(s -> outbox.append(EventType.SESSION_CREATED, s.id.toString(), s.eventSequence, now,
                                    new SessionCreated(s.snapshot())))
                            .map(s -> new CreatedSession(s, false))));
        }).onFailure(SessionCreation::isSlugCollision).retry().atMost(SLUG_ATTEMPTS - 1);
    }

    private Uni<IdempotencyRecord> claim(IdempotencyRecord record) {
        return record == null ? Uni.createFrom().nullItem() : idempotencyRecords.claim(record);
    }

    private Uni<CreatedSession> replay(IdempotencyRecord earlier, IdempotencyRecord attempt) {
        if (!earlier.requestHash.equals(attempt.requestHash)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "This " + IdempotencyKey.HEADER
                    + " was used for a different request within the last " + IdempotencyKey.LIFETIME.toHours()
                    + " hours; send a new key for a new session", IdempotencyKey.HEADER);
        }
        return sessions.findById(earlier.sessionId).map(s -> {
            if (s == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "The session created with this "
                        + IdempotencyKey.HEADER + " has been deleted", IdempotencyKey.HEADER);
            }
            return new CreatedSession(s, true);
        });
    }

    private IdempotencyRecord record(String hostId, IdempotencyKey key, NewSession request, UUID sessionId,
            Instant now) {
        IdempotencyRecord record = new IdempotencyRecord();
        record.userId = hostId;
        record.idempotencyKey = key.value();
        record.requestHash = fingerprint(request);
        record.sessionId = sessionId;
        record.createdAt = now;
        record.expiresAt = now.plus(IdempotencyKey.LIFETIME);
        return record;
    }

    /** SHA-256 of the parsed request as JSON: the same body sent again matches, whatever its spacing or field order. */
    private String fingerprint(NewSession request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint the create request", e);
        }
    }

    private static boolean isSlugCollision(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && violation.getConstraintName() != null && violation.getConstraintName().contains("slug")) {
                return true;
            }
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    && pg.getConstraint() != null && pg.getConstraint().contains("slug")) {
                return true;
            }
        }
        return false;
    }
}
