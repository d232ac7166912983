package io.livestage.session;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A user the host invited to a PRIVATE session. */
@Entity
@Table(name = "invites")
@IdClass(Invite.Key.class)
public class Invite extends PanacheEntityBase {
    @Id
    @Column(name = "session_id")
    public UUID sessionId;
    @Id
    @Column(name = "user_id")
    public String userId;
    @Column(name = "invited_by", nullable = false)
    public String invitedBy;
    @Column(name = "invited_at", nullable = false)
    public Instant invitedAt;

    public static class Key implements Serializable {
        public UUID sessionId;
        public String userId;

        public Key() {
        }

        public Key(UUID sessionId, String userId) {
            this.sessionId = sessionId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sessionId, k.sessionId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionId, userId);
        }
    }
}
