package io.livestage.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.platform.problem.ProblemException;

/** A raised hand. Its queue inputs (xp, requestedAt, speakingSeconds) are fixed when it is made. */
@Entity
@Table(name = "stage_requests")
public class StageRequest extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "session_id", nullable = false)
    public UUID sessionId;
    @Column(nullable = false)
    public String identity;
    @Column(name = "user_id", nullable = false)
    public String userId;
    @Column(nullable = false)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StageRequestStatus status;
    @Column(nullable = false)
    public int xp;
    @Column(name = "speaking_seconds", nullable = false)
    public long speakingSeconds;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "decided_by")
    public String decidedBy;
    @Version
    public long version;

    public void decide(StageRequestStatus outcome, String by, Instant now) {
        if (status != StageRequestStatus.PENDING) {
            throw ProblemException.conflict("This request is already " + status);
        }
        status = outcome;
        decidedBy = by;
        decidedAt = now;
    }

    public StageRequestSnapshot snapshot() {
        return new StageRequestSnapshot(id.toString(), identity, userId, name, status, xp, speakingSeconds,
                requestedAt, decidedAt, decidedBy);
    }
}
