package io.livestage.session.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Grace;
import io.livestage.session.Session;
import io.livestage.session.Settings;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.PageCursor;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionQuery;
import io.livestage.session.repository.SessionRepository;
import io.livestage.session.repository.SessionRows;
import io.livestage.session.repository.StageRequestRepository;

/**
 * Session use cases after creation ({@link SessionCreation}): reading, listing, editing and the lifecycle. Every
 * change and the event reporting it are written in one transaction (outbox); a change is made under a row lock so
 * concurrent requests on one session apply one after the other.
 */
@ApplicationScoped
public class SessionService {
    private final SessionRepository sessions;
    private final SessionRows rows;
    private final Pool pool;
    private final ParticipantRepository participants;
    private final StageRequestRepository stageRequests;
    private final HibernateOutbox outbox;
    private final SessionEvents events;

    public SessionService(SessionRepository sessions, SessionRows rows, Pool pool, ParticipantRepository participants,
            StageRequestRepository stageRequests, HibernateOutbox outbox, SessionEvents events) {
        this.sessions = sessions;
        this.rows = rows;
        this.pool = pool;
        this.participants = participants;
        this.stageRequests = stageRequests;
        this.outbox = outbox;
        this.events = events;
    }

    /** A detached copy of the session (read without Hibernate), or 404 when the viewer may not see it. */
    public Uni<Session> get(UUID id, String viewer) {
        return rows.findById(id).map(s -> visible(s, viewer));
    }

    public Uni<Session> getBySlug(String slug, String viewer) {
        return rows.findBySlug(slug).map(s -> visible(s, viewer));
    }

    /** One page of the list, newest first; the repository reads one row more to know whether another follows. */
    public Uni<SessionSlice> list(SessionFilter filter) {
        String cursor = filter.cursor();
        PageCursor after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        SessionQuery query = new SessionQuery(filter.viewer(), filter.status(), filter.hostId(), filter.spaceId(),
                filter.visibility(), after, filter.limit());
        return rows.page(query).map(page -> slice(page, filter.limit()));
    }

    private static SessionSlice slice(List<Session> rows, int limit) {
        boolean more = rows.size() > limit;
        List<Session> items = more ? rows.subList(0, limit) : rows;
        String next = more ? new PageCursor(items.get(limit - 1).createdAt, items.get(limit - 1).id).encode() : null;
        return new SessionSlice(items, next);
    }

    public Uni<Session> update(UUID id, String caller, SessionChanges request) {
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
                Settings updated = SettingsRules.apply(session.settings.copy(), request.settings());
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
    private Uni<Session> change(UUID id, String caller, Function<Session, Object> mutation) {
        // On the reactive SQL client (BEGIN, lock, update with its event, COMMIT), not Hibernate: see SessionRows.
        return pool.withTransaction(transaction -> rows.lock(transaction, id).map(session -> owned(session, id, caller))
                .chain(session -> {
                    Object event = mutation.apply(session);
                    return event == null ? Uni.createFrom().item(session) : rows.changed(transaction, session, event);
                }))
                .invoke(outbox::committed);
    }

    private Uni<Session> lockOwned(UUID id, String caller) {
        return sessions.lock(id).map(session -> owned(session, id, caller));
    }

    private static Session owned(Session session, UUID id, String caller) {
        if (session == null || !session.isVisibleTo(caller)) {
            throw ProblemException.notFound("Session " + id);
        }
        if (!session.isHostedBy(caller)) {
            throw ProblemException.forbidden("Only the host of this session can change it");
        }
        return session;
    }

    private static Session visible(Session session, String viewer) {
        if (session == null || !session.isVisibleTo(viewer)) {
            throw ProblemException.notFound("Session");
        }
        return session;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant now() {
        return Times.now();
    }
}
