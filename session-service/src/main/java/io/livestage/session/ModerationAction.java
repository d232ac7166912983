package io.livestage.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Audit trail of moderation decisions (who did what to whom, when). */
@Entity
@Table(name = "moderation_log")
public class ModerationAction extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "session_id", nullable = false)
    public UUID sessionId;
    @Column(nullable = false)
    public String actor;
    @Column(nullable = false)
    public String action;
    public String target;
    public String detail;
    @Column(nullable = false)
    public Instant at;

    public static ModerationAction of(UUID sessionId, String actor, String action, String target, String detail,
            Instant at) {
        ModerationAction entry = new ModerationAction();
        entry.sessionId = sessionId;
        entry.actor = actor;
        entry.action = action;
        entry.target = target;
        entry.detail = detail;
        entry.at = at;
        return entry;
    }
}
