package io.livestage.session.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.events.EventType;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.outbox.Outbox;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.IdempotencyRecord;
import io.livestage.session.Grace;
import io.livestage.session.Session;
import io.livestage.session.Settings;
import io.livestage.session.repository.IdempotencyRecordRepository;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionQuery;
import io.livestage.session.repository.SessionRepository;
import io.livestage.session.repository.StageRequestRepository;
import io.livestage.session.rest.CreateSessionRequest;
import io.livestage.session.rest.SettingsRequest;
import io.livestage.session.rest.UpdateSessionRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Session use cases. Every change and the event reporting it are written in one transaction (outbox); a change is
 * made under a row lock so concurrent requests on one session apply one after the other.
 */
@ApplicationScoped
public class SessionService {
    private static final int SLUG_ATTEMPTS = 5;

    private final SessionRepository sessions;
    private final ParticipantRepository participants;
    private final StageRequestRepository stageRequests;
    private final Outbox outbox;
    private final SessionEvents events;
    private final SlugGenerator slugs;
    private final IdempotencyRecordRepository idempotencyRecords;
    private final ObjectMapper json;

    public SessionService(SessionRepository sessions, ParticipantRepository participants,
            StageRequestRepository stageRequests, Outbox outbox, SessionEvents events, SlugGenerator slugs,
            IdempotencyRecordRepository idempotencyRecords, ObjectMapper json) {
        this.sessions = sessions;
        this.participants = participants;
        this.stageRequests = stageRequests;
        this.outbox = outbox;
        this.events = events;
        this.slugs = slugs;
        this.idempotencyRecords = idempotencyRecords;
        this.json = json;
    }

    /**
     * Creates a session hosted by {@code hostId}. With an idempotency key (null: none) the key is claimed in the
     * transaction that inserts the session; a key the caller already used answers that session (replayed) when the
     * request is the same, 422 when it differs.
     */
    public Uni<CreatedSession> create(String hostId, CreateSessionRequest request, IdempotencyKey key) {
        Instant now = now();
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.title = request.title().strip();
        session.description = blankToNull(request.description());
        session.hostId = hostId;
        session.spaceId = request.spaceId();
        session.kind = request.kind();
        session.visibility = Objects.requireNonNullElse(request.visibility(), SessionVisibility.PUBLIC);
        session.status = SessionStatus.SCHEDULED;
        session.scheduledAt = request.scheduledAt() == null ? null : request.scheduledAt().truncatedTo(ChronoUnit.MICROS);
        session.createdAt = now;
        session.updatedAt = now;
        session.settings = apply(Settings.defaults(request.kind()), request.settings());
        session.eventSequence = 1;
        IdempotencyRecord record = key == null ? null : record(hostId, key, request, session.id, now);
        // The unique constraint is the slug check: a collision (about 1 in 10^12 per pair) retries with a new slug,
        // which saves a query on every create.
        return Uni.createFrom().deferred(() -> {
            session.slug = slugs.next();
            return outbox.transaction(() -> claim(record).chain(earlier -> earlier != null ? replay(earlier, record)
                    : sessions.persist(session)
                            .call(s -> outbox.append(EventType.SESSION_CREATED, s.id.toString(), s.eventSequence, now,
                                    new SessionCreated(s.snapshot())))
                            .map(s -> new CreatedSession(s, false))));
        }).onFailure(SessionService::isSlugCollision).retry().atMost(SLUG_ATTEMPTS - 1);
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

    private IdempotencyRecord record(String hostId, IdempotencyKey key, CreateSessionRequest request, UUID sessionId,
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
    private String fingerprint(CreateSessionRequest request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint the create request", e);
        }
    }

    private static boolean isSlugCollision(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation
                    && violation.getConstraintName() != null && violation.getConstraintName().contains("slug")) {
                return true;
            }
        }
        return false;
    }

    @WithSession
    public Uni<Session> get(UUID id, String viewer) {
        return sessions.findById(id).map(s -> visible(s, viewer));
    }

    @WithSession
    public Uni<Session> getBySlug(String slug, String viewer) {
        return sessions.findBySlug(slug).map(s -> visible(s, viewer));
    }

    @WithSession
    public Uni<List<Session>> list(SessionQuery query) {
        return sessions.page(query);
    }

    public Uni<Session> update(UUID id, String caller, UpdateSessionRequest request) {
        return change(id, caller, session -> {
            session.checkEditable();
            List<String> changed = new ArrayList<>();
            if (request.title() != null && !request.title().strip().equals(session.title)) {
                session.title = request.title().strip();
                changed.add("title");
            }
            if (request.description() != null && !Objects.equals(blankToNull(request.description()), session.description)) {
                session.description = blankToNull(request.description());
                changed.add("description");
            }
            if (request.scheduledAt() != null) {
                if (session.status != SessionStatus.SCHEDULED) {
                    throw ProblemException.conflict("Only a SCHEDULED session can be rescheduled; this one is " + session.status);
                }
                Instant scheduledAt = request.scheduledAt().truncatedTo(ChronoUnit.MICROS);
                if (!scheduledAt.equals(session.scheduledAt)) {
                    session.scheduledAt = scheduledAt;
                    changed.add("scheduledAt");
                }
            }
            if (request.settings() != null) {
                Settings updated = apply(session.settings.copy(), request.settings());
                if (!updated.sameAs(session.settings)) {
                    session.settings = updated;
                    changed.add("settings");
                }
            }
            if (changed.isEmpty()) {
                return null;
            }
            session.updatedAt = now();
            return new SessionUpdated(session.snapshot(), List.copyOf(changed));
        });
    }

    public Uni<Session> start(UUID id, String caller) {
        return change(id, caller, session -> {
            session.start(now());
            return new SessionStarted(session.snapshot());
        });
    }

    /** Ends for everyone: present participants leave (speaking time closed), waiting hands expire. */
    public Uni<Session> end(UUID id, String caller) {
        return outbox.transaction(() -> lockOwned(id, caller).call(session -> finish(session, now())));
    }

    /**
     * Ends a live session whose LiveKit room finished (everyone gone) and stayed finished for the whole
     * {@code grace}; a rejoin in between cleared {@link Session#roomFinishedAt}. False when there was nothing to end.
     */
    public Uni<Boolean> endAbandoned(UUID id, Grace grace) {
        return outbox.transaction(() -> sessions.lock(id).chain(session -> {
            Instant now = now();
            if (session == null || session.status != SessionStatus.ACTIVE || !grace.expired(session.roomFinishedAt, now)) {
                return Uni.createFrom().item(false);
            }
            return finish(session, now).replaceWith(true);
        }));
    }

    private Uni<Void> finish(Session session, Instant now) {
        session.end(now);
        return participants.allPresent(session.id)
                .invoke(present -> present.forEach(p -> p.depart(now)))
                .chain(() -> stageRequests.expireAll(session.id, now))
                .chain(() -> events.emit(session, new SessionEnded(session.snapshot(), session.durationSeconds()), now))
                .replaceWithVoid();
    }

    public Uni<Session> cancel(UUID id, String caller) {
        return change(id, caller, session -> {
            session.cancel(now());
            return new SessionCancelled(session.snapshot());
        });
    }

    public Uni<Void> delete(UUID id, String caller) {
        return outbox.transaction(() -> lockOwned(id, caller)
                .call(session -> {
                    session.checkDeletable();
                    return events.emit(session, new SessionDeleted(session.snapshot()), now());
                })
                .call(sessions::delete)
                .replaceWithVoid());
    }

    /** Locks the caller's session, applies {@code mutation} and records the event it returns (none if null). */
    private Uni<Session> change(UUID id, String caller, java.util.function.Function<Session, Object> mutation) {
        return outbox.transaction(() -> lockOwned(id, caller).call(session -> {
            Object event = mutation.apply(session);
            return event == null ? Uni.createFrom().voidItem() : events.emit(session, event, session.updatedAt);
        }));
    }

    private Uni<Session> lockOwned(UUID id, String caller) {
        return sessions.lock(id).map(session -> {
            if (session == null || !session.isVisibleTo(caller)) {
                throw ProblemException.notFound("Session " + id);
            }
            if (!session.isHostedBy(caller)) {
                throw ProblemException.forbidden("Only the host of this session can change it");
            }
            return session;
        });
    }

    private static Session visible(Session session, String viewer) {
        if (session == null || !session.isVisibleTo(viewer)) {
            throw ProblemException.notFound("Session");
        }
        return session;
    }

    static Settings apply(Settings target, SettingsRequest request) {
        if (request != null) {
            if (request.maxParticipants() != null) target.maxParticipants = request.maxParticipants();
            if (request.allowGuests() != null) target.allowGuests = request.allowGuests();
            if (request.requireApproval() != null) target.requireApproval = request.requireApproval();
            if (request.maxGuests() != null) target.maxGuests = request.maxGuests();
            if (request.enableChat() != null) target.enableChat = request.enableChat();
            if (request.enableReactions() != null) target.enableReactions = request.enableReactions();
            if (request.guestAudioDefault() != null) target.guestAudioDefault = request.guestAudioDefault();
            if (request.guestVideoDefault() != null) target.guestVideoDefault = request.guestVideoDefault();
            if (request.recordingEnabled() != null) target.recordingEnabled = request.recordingEnabled();
            if (request.transcriptionEnabled() != null) target.transcriptionEnabled = request.transcriptionEnabled();
        }
        if (target.maxGuests >= target.maxParticipants) {
            throw ProblemException.invalid("settings.maxGuests",
                    "maxGuests (" + target.maxGuests + ") must be below maxParticipants (" + target.maxParticipants + ")");
        }
        return target;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant now() {
        return Times.now();
    }
}
