package io.livestage.session;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.problem.ProblemException;

/**
 * A live audio room or video session. Owns its lifecycle: SCHEDULED -> ACTIVE -> ENDED, SCHEDULED -> CANCELLED.
 * Every change also bumps {@link #eventSequence}, the per-session sequence carried by the event that reports it.
 */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {
    /** A scheduled session may go live this long before its scheduled time (the same window joiners get). */
    public static final Duration EARLY_START = Duration.ofMinutes(15);

    @Id
    public UUID id;
    @Column(nullable = false, unique = true, length = 8)
    public String slug;
    @Column(nullable = false)
    public String title;
    public String description;
    @Column(name = "host_id", nullable = false)
    public String hostId;
    @Column(name = "space_id")
    public String spaceId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionKind kind;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionVisibility visibility;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionStatus status;
    @Column(name = "scheduled_at")
    public Instant scheduledAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Embedded
    public Settings settings;
    @Column(name = "event_sequence", nullable = false)
    public long eventSequence;
    /** When LiveKit last reported the room finished (everyone gone) while the session was live; null once rejoined. */
    @Column(name = "room_finished_at")
    public Instant roomFinishedAt;
    @Version
    public long version;

    public boolean isHostedBy(String userId) {
        return userId != null && userId.equals(hostId);
    }

    /** Whether {@code userId} (null when anonymous) may see this session at all. */
    public boolean isVisibleTo(String userId) {
        return visibility != SessionVisibility.PRIVATE || isHostedBy(userId);
    }

    public long nextEventSequence() {
        return ++eventSequence;
    }

    public void start(Instant now) {
        if (status != SessionStatus.SCHEDULED) {
            throw ProblemException.conflict("Only a SCHEDULED session can start; this one is " + status);
        }
        if (scheduledAt != null && now.isBefore(scheduledAt.minus(EARLY_START))) {
            throw ProblemException.conflict("This session is scheduled for " + scheduledAt
                    + "; it can start from 15 minutes before, or change scheduledAt first");
        }
        status = SessionStatus.ACTIVE;
        startedAt = now;
        updatedAt = now;
    }

    public void end(Instant now) {
        if (status != SessionStatus.ACTIVE) {
            throw ProblemException.conflict("Only an ACTIVE session can end; this one is " + status
                    + (status == SessionStatus.SCHEDULED ? " (cancel it instead)" : ""));
        }
        status = SessionStatus.ENDED;
        endedAt = now;
        updatedAt = now;
    }

    public void cancel(Instant now) {
        if (status != SessionStatus.SCHEDULED) {
            throw ProblemException.conflict("Only a SCHEDULED session can be cancelled; this one is " + status
                    + (status == SessionStatus.ACTIVE ? " (end it instead)" : ""));
        }
        status = SessionStatus.CANCELLED;
        updatedAt = now;
    }

    /** Ended or called off: nothing about it can change any more. */
    public boolean isOver() {
        return status == SessionStatus.ENDED || status == SessionStatus.CANCELLED;
    }

    /** Open to joiners unless over, and for a scheduled session from {@link #EARLY_START} before its time. */
    public void checkJoinable(Instant now) {
        if (isOver()) {
            throw ProblemException.conflict("This session is " + status + "; it can no longer be joined");
        }
        if (status == SessionStatus.SCHEDULED && scheduledAt != null && now.isBefore(scheduledAt.minus(EARLY_START))) {
            throw ProblemException.conflict("This session opens at " + scheduledAt.minus(EARLY_START)
                    + " (15 minutes before it starts)");
        }
    }

    /** Hands may be raised only while the session is live and the host takes guests. */
    public void checkStageOpen() {
        if (status != SessionStatus.ACTIVE) {
            throw ProblemException.conflict("The stage opens when the session is live; it is " + status);
        }
        if (!settings.allowGuests) {
            throw ProblemException.conflict("The host does not take guests in this session");
        }
    }

    public void checkDeletable() {
        if (status == SessionStatus.ACTIVE) {
            throw ProblemException.conflict("A live session cannot be deleted; end it first");
        }
    }

    public void checkEditable() {
        if (isOver()) {
            throw ProblemException.conflict("A session that is " + status + " can no longer be changed");
        }
    }

    public long durationSeconds() {
        return startedAt == null || endedAt == null ? 0 : Duration.between(startedAt, endedAt).toSeconds();
    }

    public SessionSnapshot snapshot() {
        return new SessionSnapshot(id.toString(), slug, title, description, hostId, spaceId, kind, visibility, status,
                scheduledAt, startedAt, endedAt, createdAt, settings.toEvent());
    }
}
