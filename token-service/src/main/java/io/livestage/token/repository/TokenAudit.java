package io.livestage.token.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One minted token, for audit: identity, role, grants and expiry. The token itself is never stored. */
@Entity
@Table(name = "issued_tokens")
public class TokenAudit extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "session_id", nullable = false)
    public UUID sessionId;
    @Column(nullable = false)
    public String identity;
    @Column(name = "user_id")
    public String userId;
    @Column(nullable = false)
    public String role;
    @Column(nullable = false, columnDefinition = "text")
    public String grants;
    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
